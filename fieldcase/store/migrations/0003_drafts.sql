-- Drafts: sources being typed, saved every few seconds so a crash loses almost nothing.

CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    source_id   INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    fields      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
    text        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    saved_at    TEXT NOT NULL
);
