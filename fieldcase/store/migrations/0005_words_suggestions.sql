-- Word counts and coding suggestions.

-- The project glossary: terms jieba must keep whole (新乡贤, 村两委, 土地流转).
CREATE TABLE glossary (
    id         INTEGER PRIMARY KEY,
    term       TEXT NOT NULL UNIQUE CHECK (length(trim(term)) > 0),
    note       TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- jieba's word counts per source text and dictionary: derived, dropped when either changes.
CREATE TABLE word_cache (
    source_id   INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    text_sha256 TEXT NOT NULL,
    dictionary  TEXT NOT NULL,
    counts      TEXT NOT NULL CHECK (json_valid(counts))
);

-- Spans the suggester proposes for a code, and what the researcher decided.
CREATE TABLE suggestions (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    code_id      INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset   INTEGER NOT NULL CHECK (end_offset > start_offset),
    unit         TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'paragraph')),
    quote        TEXT NOT NULL,
    score        REAL NOT NULL,
    triggers     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(triggers)),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_at   TEXT,
    decided_by   TEXT,
    coding_id    INTEGER REFERENCES codings(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (source_id, code_id, start_offset, end_offset)
);
CREATE INDEX suggestions_status ON suggestions (status, source_id);
CREATE INDEX suggestions_code ON suggestions (code_id, status);
