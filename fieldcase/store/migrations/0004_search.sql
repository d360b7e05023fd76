-- The full-text search index: one row per indexed version of a source's text, and an
-- FTS5 index of its character pairs (see fieldcase/text/grams.py). Derived data: it is
-- rebuilt from the sources whenever it is missing, stale or made by another scheme.

CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL,
    text_sha256 TEXT NOT NULL,
    live        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX search_docs_source ON search_docs (source_id, live);

CREATE TABLE search_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE VIRTUAL TABLE search_grams USING fts5(
    grams, content = '', columnsize = 0, tokenize = 'ascii', prefix = '4'
);
