-- Merging copies of a project (fieldcase merge): the change groups of other copies that this
-- one has taken in (so that merging the same copy again adds nothing), and the conflicts a
-- merge found, each with both values, until someone settles it.

CREATE TABLE known_groups (
    id       INTEGER PRIMARY KEY,
    uuid     TEXT NOT NULL UNIQUE,
    merge_id INTEGER NOT NULL
);

CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY,
    table_name  TEXT NOT NULL,
    row_uuid    TEXT NOT NULL,
    field       TEXT NOT NULL,
    mine        TEXT,
    theirs      TEXT,
    what        TEXT NOT NULL,
    other       TEXT NOT NULL,
    found_in    INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'mine', 'theirs')),
    settled_at  TEXT,
    settled_by  TEXT
);
CREATE UNIQUE INDEX conflicts_once ON conflicts (table_name, row_uuid, field, coalesce(theirs, ''));
