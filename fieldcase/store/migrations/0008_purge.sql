-- Erasure: the change log stays append-only with one exception, itself logged. While a purge
-- is the newest change group, it may replace the payloads of earlier changes with its own
-- tombstone ({"purged": true, "change": ITS ID, "by": …, "at": …, "what": …}) and the summaries
-- of earlier groups with words that no longer name what it erased. Nothing else in a row
-- changes, and nothing is ever deleted from the log.

DROP TRIGGER changes_append_only_update;
CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
WHEN NOT (
    new.id IS old.id AND new.group_id IS old.group_id AND new.seq IS old.seq AND new.op IS old.op
    AND new.table_name IS old.table_name AND new.row_id IS old.row_id AND new.row_uuid IS old.row_uuid
    AND old.group_id < (SELECT max(id) FROM change_groups)
    AND (SELECT action FROM change_groups ORDER BY id DESC LIMIT 1) = 'purge'
    AND (new.before IS old.before OR (old.before IS NOT NULL AND CASE WHEN json_valid(new.before)
         THEN json_extract(new.before, '$.purged') = 1
              AND json_extract(new.before, '$.change') = (SELECT max(id) FROM change_groups) ELSE 0 END))
    AND (new.after IS old.after OR (old.after IS NOT NULL AND CASE WHEN json_valid(new.after)
         THEN json_extract(new.after, '$.purged') = 1
              AND json_extract(new.after, '$.change') = (SELECT max(id) FROM change_groups) ELSE 0 END))
)
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

DROP TRIGGER change_groups_append_only_update;
CREATE TRIGGER change_groups_append_only_update BEFORE UPDATE ON change_groups
WHEN NOT (
    new.id IS old.id AND new.uuid IS old.uuid AND new.at IS old.at AND new.user IS old.user
    AND new.action IS old.action AND new.undoes IS old.undoes
    AND old.id < (SELECT max(id) FROM change_groups)
    AND (SELECT action FROM change_groups ORDER BY id DESC LIMIT 1) = 'purge'
)
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
