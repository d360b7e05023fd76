-- Sets: named groups of codes or of sources (REFI-QDA's <Set>), usable as a scope. A set
-- holds codes or sources, not both; its members are join rows, matched across copies by
-- the set and the member they join.

CREATE TABLE sets (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('code', 'source')),
    name        TEXT NOT NULL COLLATE NOCASE,
    description TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE set_codes (
    id      INTEGER PRIMARY KEY,
    set_id  INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    UNIQUE (set_id, code_id)
);
CREATE INDEX set_codes_code ON set_codes (code_id);

CREATE TABLE set_sources (
    id        INTEGER PRIMARY KEY,
    set_id    INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    UNIQUE (set_id, source_id)
);
CREATE INDEX set_sources_source ON set_sources (source_id);
