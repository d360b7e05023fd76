-- Who made each change group another copy brought in, and when: a merge (or a sync) writes
-- their work under the name of the one who merges, so the history and the question "who
-- changed this text?" name the colleague from here (NULL: a group known before this).

ALTER TABLE known_groups ADD COLUMN author TEXT;
ALTER TABLE known_groups ADD COLUMN at TEXT;
