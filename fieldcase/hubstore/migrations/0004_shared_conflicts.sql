-- Conflicts shared by the team: one a member's sync finds is stored here once (its id is
-- a hash of what it is about and its two values, whichever member found it and whichever
-- way round), and every member pulls it into its own list. Settling one is a row of its
-- own, the first settlement the hub takes being the one that stands. Both tables are
-- append-only like the history; only a purge deletes from them (a conflict keeps both
-- values, so a name purged must leave them too): purge_scrub (migration 0005, run as the
-- hub's owner) deletes from the view that takes the place of 0001's unused state table.

DROP TABLE conflicts;

CREATE TABLE conflicts_found (
    seq        bigserial PRIMARY KEY,
    id         text NOT NULL UNIQUE,
    table_name text NOT NULL,
    row_uuid   text NOT NULL,
    field      text NOT NULL,
    mine       text,
    theirs     text,
    what       text NOT NULL,
    other      text NOT NULL,
    found_in   text NOT NULL,
    found_by   text NOT NULL,
    pushed_by  text NOT NULL DEFAULT current_user,
    pushed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conflict_settlements (
    seq         bigserial PRIMARY KEY,
    conflict_id text NOT NULL UNIQUE REFERENCES conflicts_found(id),
    keep        text NOT NULL CHECK (keep IN ('mine', 'theirs')),
    settled_at  text NOT NULL,
    settled_by  text NOT NULL,
    pushed_by   text NOT NULL DEFAULT current_user,
    pushed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER conflicts_found_append_only BEFORE UPDATE ON conflicts_found
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER conflicts_found_no_truncate BEFORE TRUNCATE ON conflicts_found
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER conflict_settlements_append_only BEFORE UPDATE ON conflict_settlements
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER conflict_settlements_no_truncate BEFORE TRUNCATE ON conflict_settlements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- For a team lead with psql, and for `hub status`: each conflict with its state.
CREATE VIEW conflicts AS
SELECT f.id AS uuid, f.table_name, f.row_uuid, f.field, f.mine, f.theirs, f.what, f.other,
       f.found_in, f.found_by, coalesce(s.keep, 'open') AS status, s.settled_at, s.settled_by
  FROM conflicts_found f
  LEFT JOIN conflict_settlements s ON s.conflict_id = f.id;

-- A purge forgets the conflicts about what it erased (migration 0005's purge_scrub deletes
-- from this view): the conflict goes with its settlement.
CREATE FUNCTION forget_conflict() RETURNS trigger
    LANGUAGE plpgsql SET search_path = fieldcase, pg_temp AS $$
BEGIN
    DELETE FROM conflict_settlements WHERE conflict_id = OLD.uuid;
    DELETE FROM conflicts_found WHERE id = OLD.uuid;
    RETURN OLD;
END
$$;

CREATE TRIGGER conflicts_forget INSTEAD OF DELETE ON conflicts
    FOR EACH ROW EXECUTE FUNCTION forget_conflict();
