-- Sets (the project file's migration 0011): named groups of codes or of sources, and their
-- members, keyed as the merge keys them (a member row by "set|member").

CREATE TABLE sets (
    uuid        text PRIMARY KEY,
    kind        text NOT NULL,
    name        text NOT NULL,
    description text,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE set_codes (
    uuid     text PRIMARY KEY,
    set_uuid text NOT NULL,
    code_uuid text NOT NULL
);

CREATE TABLE set_sources (
    uuid        text PRIMARY KEY,
    set_uuid    text NOT NULL,
    source_uuid text NOT NULL
);
