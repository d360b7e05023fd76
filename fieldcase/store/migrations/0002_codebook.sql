-- The codebook (a tree of codes), codings of text spans, and memos.

CREATE TABLE codes (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    key         TEXT NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
    position    INTEGER NOT NULL DEFAULT 0,
    name_zh     TEXT,
    name_en     TEXT,
    description TEXT,
    inclusion   TEXT,
    exclusion   TEXT,
    example     TEXT,
    color       TEXT,
    keywords    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords)),
    origin      TEXT NOT NULL DEFAULT 'user',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL),
    CHECK (key GLOB '[A-Za-z0-9]*' AND key NOT GLOB '*[^A-Za-z0-9._-]*')
);
CREATE INDEX codes_parent ON codes (parent_id, position);

-- A coding ties [start_offset, end_offset) of a source's stored text to a code.
-- quote and the context around it are kept so that a coding can be re-found;
-- an orphaned coding lost all its words in a text edit and waits to be re-anchored.
CREATE TABLE codings (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    code_id        INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL,
    coder          TEXT NOT NULL,
    memo           TEXT,
    quote          TEXT NOT NULL,
    context_before TEXT NOT NULL DEFAULT '',
    context_after  TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'orphaned')),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    modified_at    TEXT NOT NULL,
    modified_by    TEXT NOT NULL,
    CHECK (0 <= start_offset AND start_offset <= end_offset),
    CHECK (status = 'orphaned' OR start_offset < end_offset)
);
CREATE UNIQUE INDEX codings_once ON codings (source_id, code_id, coder, start_offset, end_offset)
    WHERE status = 'active';
CREATE INDEX codings_code ON codings (code_id, source_id, start_offset);
CREATE INDEX codings_source ON codings (source_id, start_offset);

CREATE TABLE memos (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    target_type TEXT NOT NULL
                CHECK (target_type IN ('project', 'site', 'case', 'source', 'code', 'coding')),
    target_id   INTEGER,
    title       TEXT,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    CHECK ((target_type = 'project') = (target_id IS NULL))
);
CREATE INDEX memos_target ON memos (target_type, target_id);
