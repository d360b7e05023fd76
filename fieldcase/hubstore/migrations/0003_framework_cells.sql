-- Framework cells (a case under a code, with the researcher's summary) and their links to
-- the codings they rest on, as the project file keeps them (store migration 0012).

CREATE TABLE framework_cells (
    uuid        text PRIMARY KEY,
    case_uuid   text NOT NULL,
    code_uuid   text NOT NULL,
    summary     text NOT NULL DEFAULT '',
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

-- A link's key is the pair it joins, "cell-uuid/coding-uuid", as for source_cases.
CREATE TABLE framework_links (
    uuid        text PRIMARY KEY,
    cell_uuid   text NOT NULL,
    coding_uuid text NOT NULL
);
