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

-- Where a value a merge wrote came from: the other copy's change group that set it (by
-- column, "*" for all), so that a later merge sees it as theirs, not as a change made here.
CREATE TABLE change_origins (
    group_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    columns  TEXT NOT NULL,
    PRIMARY KEY (group_id, seq)
);
