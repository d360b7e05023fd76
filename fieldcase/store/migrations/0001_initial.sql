-- The first schema: project metadata, sites, cases, sources, speaker turns,
-- typed attributes and the append-only change log.

CREATE TABLE project_info (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    county      TEXT,
    province    TEXT,
    region      TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL
);

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    site_id     INTEGER REFERENCES sites(id) ON DELETE RESTRICT,
    name        TEXT NOT NULL COLLATE NOCASE,
    kind        TEXT NOT NULL
                CHECK (kind IN ('person', 'household', 'enterprise', 'organisation', 'event')),
    notes       TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL
);
CREATE UNIQUE INDEX cases_site_name ON cases (coalesce(site_id, 0), name);
CREATE INDEX cases_site ON cases (site_id);

CREATE TABLE sources (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('interview', 'observation', 'document')),
    title             TEXT NOT NULL,
    date              TEXT,
    place             TEXT,
    interviewer       TEXT,
    language          TEXT,
    consent           TEXT,
    site_id           INTEGER REFERENCES sites(id) ON DELETE RESTRICT,
    original_filename TEXT,
    file_sha256       TEXT,
    encoding          TEXT,
    text              TEXT NOT NULL,
    text_sha256       TEXT NOT NULL UNIQUE,
    chars             INTEGER NOT NULL,
    turns             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(turns)),
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    modified_at       TEXT NOT NULL,
    modified_by       TEXT NOT NULL
);
CREATE INDEX sources_site ON sources (site_id);

CREATE TABLE source_cases (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    UNIQUE (source_id, case_id)
);
CREATE INDEX source_cases_case ON source_cases (case_id);

-- Speaker turns, derived from the text and replaced with it, are kept with the source as a
-- JSON array of [seq, speaker, start, speech, end, timestamp]; the view shows them as rows.
CREATE VIEW turns AS
SELECT s.id AS source_id,
       json_extract(t.value, '$[0]') AS seq,
       json_extract(t.value, '$[1]') AS speaker,
       json_extract(t.value, '$[2]') AS start_offset,
       json_extract(t.value, '$[3]') AS speech_offset,
       json_extract(t.value, '$[4]') AS end_offset,
       json_extract(t.value, '$[5]') AS timestamp
FROM sources s, json_each(s.turns) t;

-- Earlier texts of sources, by content hash, kept when a text is replaced or removed.
CREATE TABLE text_versions (
    sha256   TEXT PRIMARY KEY,
    text     TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

CREATE TABLE attributes (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    applies_to  TEXT NOT NULL CHECK (applies_to IN ('site', 'case', 'source')),
    name        TEXT NOT NULL COLLATE NOCASE,
    value_type  TEXT NOT NULL
                CHECK (value_type IN ('text', 'integer', 'number', 'date', 'boolean', 'choice')),
    choices     TEXT,
    description TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    UNIQUE (applies_to, name)
);

CREATE TABLE site_attribute_values (
    id           INTEGER PRIMARY KEY,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    site_id      INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    value,
    UNIQUE (attribute_id, site_id)
);

CREATE TABLE case_attribute_values (
    id           INTEGER PRIMARY KEY,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    value,
    UNIQUE (attribute_id, case_id)
);

CREATE TABLE source_attribute_values (
    id           INTEGER PRIMARY KEY,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    value,
    UNIQUE (attribute_id, source_id)
);

-- The change log: one group per user action, one row per row written.
CREATE TABLE change_groups (
    id      INTEGER PRIMARY KEY,
    uuid    TEXT NOT NULL UNIQUE,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    action  TEXT NOT NULL,
    summary TEXT NOT NULL,
    undoes  INTEGER REFERENCES change_groups(id)
);

CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES change_groups(id),
    seq        INTEGER NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    row_uuid   TEXT,
    before     TEXT,
    after      TEXT,
    UNIQUE (group_id, seq)
);
CREATE INDEX changes_row ON changes (table_name, row_id);

CREATE TRIGGER change_groups_append_only_update BEFORE UPDATE ON change_groups
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_groups_append_only_delete BEFORE DELETE ON change_groups
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
