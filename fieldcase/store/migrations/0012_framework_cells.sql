-- Framework matrices (the framework method): a cell is one case under one code (a theme),
-- holding the researcher's summary, and linked to the codings it rests on.

CREATE TABLE framework_cells (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    code_id     INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    summary     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    UNIQUE (case_id, code_id)
);
CREATE INDEX framework_cells_code ON framework_cells (code_id);

CREATE TABLE framework_links (
    id        INTEGER PRIMARY KEY,
    cell_id   INTEGER NOT NULL REFERENCES framework_cells(id) ON DELETE CASCADE,
    coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
    UNIQUE (cell_id, coding_id)
);
CREATE INDEX framework_links_coding ON framework_links (coding_id);
