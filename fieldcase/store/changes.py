"""Every write goes through a change group, which logs each row's before and after state.

The log (``change_groups``, ``changes``) is append-only and is what undo and audit read; a
purge alone may replace payloads with its tombstone (see :mod:`fieldcase.store.erasure`).
Large texts are not copied into the log: a source row is logged with its text hash,
and replaced or removed texts are kept in ``text_versions``.
"""

from __future__ import annotations

import json
from operator import itemgetter
import sqlite3
import uuid as uuidlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# Tables whose rows are entities: they get a UUID and created/modified stamps.
ENTITY_TABLES = frozenset({"sites", "cases", "sources", "attributes", "codes", "codings", "memos", "speakers",
                           "framework_cells", "sets"})
# Columns kept out of the log: large texts (a hash column stands for them) and what
# is derived from them.
OMIT_FROM_LOG = {"sources": frozenset({"text", "turns"})}
# Columns an insert does not log because the entry already says them: a coding's words
# are its source's text at its offsets when it was made (the log holds the source's text
# hash in order), and a new row's id, UUID and stamps are the entry's row id, row UUID and
# its group's time and user. Only values equal to what the entry says are left out.
WORDS_OF_INSERT = {"codings": frozenset({"quote", "context_before", "context_after"})}
STAMPS = ("created_at", "created_by", "modified_at", "modified_by")


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds, e.g. ``2026-11-22T08:10:00.123Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_uuid() -> str:
    """A fresh random UUID in its canonical text form."""
    return str(uuidlib.uuid4())


class ChangeWriter:
    """Writes rows inside one transaction and logs them as one change group."""

    def __init__(self, project: Project, action: str, summary: str, undoes: int | None = None):
        self.project = project
        self.action = action
        self.summary = summary
        self.undoes = undoes
        self.group_id: int | None = None
        self._seq = 0
        self._now = now()
        self._next_id: dict[str, int] = {}
        # set by a merge around the writes it makes on behalf of another copy: which of that
        # copy's change groups set each column ("*": all); recorded with each entry logged
        self.origin: dict[str, str] | None = None
        # the group's UUID when it is one more copy's record of a change made elsewhere (a
        # purge pulled from the hub, applied here as the same change); else a fresh one
        self.uuid: str | None = None

    @property
    def at(self) -> str:
        """When this change group was made (every row it writes is stamped so)."""
        return self._now

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.project.conn

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert a row (stamping entity rows) and return its id.

        A new row never takes the id of a row the log has seen (one deleted or undone),
        so that an id in the log names one row for good and a redo can put it back.
        """
        row = dict(values)
        row.setdefault("id", self._fresh_id(table))
        self._stamp(table, row)
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cursor = self._conn.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values())
        )
        row_id = cursor.lastrowid
        assert row_id is not None
        self._log("insert", table, row_id, row.get("uuid"), None, self._said_elsewhere(table, row_id, row))
        return row_id

    def _stamp(self, table: str, row: dict[str, Any]) -> None:
        """Give a new entity row its UUID and who made it when (unless given)."""
        if table in ENTITY_TABLES:
            if "uuid" not in row:  # not setdefault: a UUID drawn for every row given one costs
                row["uuid"] = new_uuid()
            row.setdefault("created_at", self._now)
            row.setdefault("created_by", self.project.user)
            row.setdefault("modified_at", row["created_at"])  # given: a row imported as its producer last changed it
            row.setdefault("modified_by", row["created_by"])

    def _said_elsewhere(self, table: str, row_id: int, row: dict[str, Any]) -> dict[str, Any]:
        """A new row as its insert is logged: without what the entry says already (see
        ``WORDS_OF_INSERT``); :func:`as_inserted` puts the id, UUID and stamps back."""
        said = {"id": row_id, "uuid": row.get("uuid"), "created_at": self._now, "modified_at": self._now,
                "created_by": self.project.user, "modified_by": self.project.user}
        words = WORDS_OF_INSERT.get(table, frozenset())
        return {k: v for k, v in row.items() if k not in words and not (k in said and said[k] == v)}

    def insert_many(self, table: str, values: list[dict[str, Any]]) -> list[int]:
        """Insert rows of one shape (the same columns) as :meth:`insert` does each, in two
        statements, each row's log entry made in one pass; their ids."""
        if not values:
            return []
        shape = [c for c in values[0] if c != "id"]
        if "id" in values[0]:
            ids = [int(v["id"]) for v in values]
            for row_id in ids:
                self._taken(table, row_id)
        else:
            first = self._fresh_id(table)
            ids = list(range(first, first + len(values)))
            self._next_id[table] = first + len(values)
        stamps: dict[str, Any] = {}
        if table in ENTITY_TABLES:
            stamps = {"created_at": self._now, "created_by": self.project.user}
        made = [c for c in ("created_at", "created_by") if c in stamps and c not in shape]  # the writer's own
        given = [c for c in ("created_at", "created_by") if c in stamps and c in shape]
        body = [c for c in shape if not (stamps and c.startswith("modified_"))]
        fresh_uuid = bool(stamps) and "uuid" not in shape
        columns = ["id", *body, *(["uuid"] if fresh_uuid else []), *made,
                   *(["modified_at", "modified_by"] if stamps else [])]
        left_out = OMIT_FROM_LOG.get(table, frozenset()) | WORDS_OF_INSERT.get(table, frozenset()) | {"uuid"}
        logged_columns = [c for c in body if c not in left_out and c not in given]
        group = self._group()
        rows, entries = [], []
        pick = itemgetter(*body) if len(body) > 1 else (lambda v: (v[body[0]],)) if body else (lambda v: ())
        heads = [_ENCODE(c) + ":" for c in logged_columns]
        logged = itemgetter(*logged_columns) if len(logged_columns) > 1 else None
        defaults = (self._now, self.project.user)
        for row_id, v in zip(ids, values, strict=True):
            uuid = new_uuid() if fresh_uuid else v.get("uuid")
            at = v["created_at"] if "created_at" in given else self._now
            by = v["created_by"] if "created_by" in given else self.project.user
            row = [row_id, *pick(v)]
            if fresh_uuid:
                row.append(uuid)
            if stamps:
                row += [(at, by)[("created_at", "created_by").index(c)] for c in made]
                row += (at, by)
            rows.append(row)
            shown = logged(v) if logged is not None else tuple(v[c] for c in logged_columns)
            said = ",".join(head + _value(x) for head, x in zip(heads, shown, strict=True))
            if given and (at, by) != defaults:  # a stamp the row was given is logged when it is not the group's
                extra: dict[str, Any] = {c: x for c, x in (("created_at", at), ("created_by", by))
                                         if c in given and x != stamps[c]}
                extra |= {"modified" + c[len("created"):]: x for c, x in extra.items()}
                said = ",".join(p for p in (said, _ENCODE(extra)[1:-1]) if p)
            self._seq += 1
            entries.append((group, self._seq, "insert", table, row_id, uuid, None, "{" + said + "}"))
        names = ", ".join(f'"{c}"' for c in columns)
        self._conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})', rows)
        self._conn.executemany(
            "INSERT INTO changes (group_id, seq, op, table_name, row_id, row_uuid, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
        return ids

    def insert_tuples(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> range:
        """Insert new rows given as tuples of ``columns`` (an entity's ``uuid`` among them;
        no id, no stamps: each row gets a fresh id and the group's time and user), logged
        exactly as :meth:`insert_many` logs them, but each entry made by SQLite from the row
        just written, in one statement, with no JSON made in Python (a bulk import writes
        200,000 codings). Values are text, integers or NULL. Returns the rows' ids, in order."""
        if not rows:
            return range(0)
        entity = table in ENTITY_TABLES
        if entity and "uuid" not in columns:
            raise ValueError(f"rows of {table} need their UUID")
        first = self._fresh_id(table)
        self._next_id[table] = first + len(rows)
        stamps = (self._now, self.project.user, self._now, self.project.user) if entity else ()
        names = ", ".join(f'"{c}"' for c in ("id", *columns, *(STAMPS if entity else ())))
        self._conn.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * (1 + len(columns) + len(stamps)))})',
            [(row_id, *row, *stamps) for row_id, row in zip(range(first, first + len(rows)), rows, strict=True)])
        left_out = OMIT_FROM_LOG.get(table, frozenset()) | WORDS_OF_INSERT.get(table, frozenset()) | {"uuid"}
        logged = [c for c in columns if c not in left_out]
        pairs = ", ".join(f"'{c}', \"{c}\"" for c in logged)
        group, seq = self._group(), self._seq + 1
        self._conn.execute(
            "INSERT INTO changes (group_id, seq, op, table_name, row_id, row_uuid, before, after)"
            f" SELECT ?, ? + id, 'insert', ?, id, {'uuid' if entity else 'NULL'}, NULL, json_object({pairs})"
            f' FROM "{table}" WHERE id BETWEEN ? AND ? ORDER BY id',
            [group, seq - first, table, first, first + len(rows) - 1])
        self._seq += len(rows)
        return range(first, first + len(rows))

    def restore(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row exactly as it once was (same id, UUID and stamps): undo of a delete."""
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        self._conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values()))
        row_id: int = row["id"]
        self._taken(table, row_id)
        self._log("insert", table, row_id, row.get("uuid"), None, row)
        return row_id

    def adopt(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row made in another copy of the project, keeping its UUID and stamps
        (who made it, and when), under a fresh id of this copy; logged as an insert is."""
        row = {**row, "id": self._fresh_id(table)}
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        self._conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values()))
        self._log("insert", table, row["id"], row.get("uuid"), None, self._said_elsewhere(table, row["id"], row))
        return int(row["id"])

    def fresh_id(self, table: str) -> int:
        """An id for a row of ``table`` to be written by :meth:`adopt_many`."""
        return self._fresh_id(table)

    def adopt_many(self, table: str, rows: list[dict[str, Any]], origins: list[dict[str, str]]) -> None:
        """:meth:`adopt` for many rows of one table at once; each row holds its ``id`` (from
        :meth:`fresh_id`) and the same columns; ``origins``: each row's (see ``origin``)."""
        if not rows:
            return
        columns = list(rows[0])
        self._conn.executemany(
            f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)})'
            f' VALUES ({", ".join("?" for _ in columns)})', map(itemgetter(*columns), rows))
        group = self._group()
        omit = OMIT_FROM_LOG.get(table, frozenset())
        entries, marks = [], []
        origin_json: dict[tuple[tuple[str, str], ...], str] = {}  # (rows of one merge share a few origins)
        left_out = omit | WORDS_OF_INSERT.get(table, frozenset()) | {"id", "uuid"}
        said_by = {"created_at": self._now, "modified_at": self._now, "created_by": self.project.user,
                   "modified_by": self.project.user}
        kept = [c for c in columns if c not in left_out]
        for row, origin in zip(rows, origins, strict=True):
            self._seq += 1
            # what _said_elsewhere and _json make of it, in one pass (a merge brings many rows)
            said = _ENCODE({c: row[c] for c in kept if c not in said_by or row[c] != said_by[c]})
            entries.append((group, self._seq, "insert", table, row["id"], row.get("uuid"), None, said))
            shape = tuple(origin.items())
            if shape not in origin_json:
                origin_json[shape] = json.dumps(origin, separators=(",", ":"))
            marks.append((group, self._seq, origin_json[shape]))
        self._conn.executemany(
            "INSERT INTO changes (group_id, seq, op, table_name, row_id, row_uuid, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
        self._conn.executemany("INSERT INTO change_origins (group_id, seq, columns) VALUES (?, ?, ?)", marks)

    def update(self, table: str, row_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """Change some columns of a row; returns the row as it was before. Values equal to
        the stored ones write nothing and log nothing (a form saved unchanged is no change
        for undo to take back)."""
        before = self._fetch(table, row_id)
        if all(before.get(k) == v for k, v in values.items()):
            return before
        row = dict(values)
        if table in ENTITY_TABLES:  # stamped now and by me, unless given (a colleague's change a merge takes)
            row.setdefault("modified_at", self._now)
            row.setdefault("modified_by", self.project.user)
        if table == "sources" and "text" in row and row["text"] != before["text"]:
            self.keep_text(before["text"], before["text_sha256"])
        assignments = ", ".join(f'"{c}" = ?' for c in row)
        self._conn.execute(
            f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*row.values(), row_id]
        )
        after = {**before, **row}
        self._log("update", table, row_id, before.get("uuid"), before, after)
        return before

    def delete(self, table: str, row_id: int) -> dict[str, Any]:
        """Delete a row; returns the row as it was."""
        before = self._fetch(table, row_id)
        if table == "sources":
            self.keep_text(before["text"], before["text_sha256"])
        self._conn.execute(f'DELETE FROM "{table}" WHERE id = ?', [row_id])
        self._log("delete", table, row_id, before.get("uuid"), before, None)
        return before

    def rekey(self, table: str, row_id: int, new_uuid: str) -> None:
        """Give a row another UUID, when two copies made the same thing and agree on one;
        logged as an update under the old UUID (undo puts it back) and a touch under the new,
        so that another copy or the hub drops the old key and takes the row by the new."""
        before = self._fetch(table, row_id)
        self._conn.execute(f'UPDATE "{table}" SET uuid = ? WHERE id = ?', [new_uuid, row_id])
        after = {**before, "uuid": new_uuid}
        self._log("update", table, row_id, before["uuid"], before, after)
        self._log("update", table, row_id, new_uuid, after, after)

    def touch(self, table: str, row_id: int) -> None:
        """Log a row as written though it is unchanged here (a row it points at took another
        UUID), so that another copy or the hub writes it again with the key it points at."""
        row = self._fetch(table, row_id)
        self._log("update", table, row_id, row.get("uuid"), row, row)

    def erase(self, table: str, row_id: int, tombstone: str) -> None:
        """Delete a row for good (a purge): logged with ``tombstone`` in place of the row, so
        that the log says which row went, and when and by whom, but never what it held."""
        row_uuid = self._fetch(table, row_id).get("uuid")
        self._conn.execute(f'DELETE FROM "{table}" WHERE id = ?', [row_id])
        self._log_raw("delete", table, row_id, row_uuid, tombstone, None)

    def rewrite(self, table: str, row_id: int, values: dict[str, Any], tombstone: str) -> None:
        """Change a row as a purge does: logged with ``tombstone`` for its before and after."""
        row_uuid = self._fetch(table, row_id).get("uuid")
        assignments = ", ".join(f'"{c}" = ?' for c in values)
        self._conn.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*values.values(), row_id])
        self._log_raw("update", table, row_id, row_uuid, tombstone, tombstone)

    def keep_text(self, text: str, sha256: str) -> None:
        """Store a text under its hash so that the log can refer to it later."""
        self._conn.execute(
            "INSERT OR IGNORE INTO text_versions (sha256, text, saved_at) VALUES (?, ?, ?)",
            [sha256, text, self._now],
        )

    def _fresh_id(self, table: str) -> int:
        """One more than the highest id the table or the log has for it (asked once per
        table and change group: every write of the group goes through this writer)."""
        if table not in self._next_id:
            in_table = self._conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0
            in_log = self._conn.execute(
                "SELECT max(row_id) FROM changes WHERE table_name = ?", [table]
            ).fetchone()[0] or 0
            self._next_id[table] = max(in_table, in_log) + 1
        fresh = self._next_id[table]
        self._next_id[table] = fresh + 1
        return fresh

    def _taken(self, table: str, row_id: int) -> None:
        """Note an id written as it was (a restore), so no fresh id repeats it."""
        if table in self._next_id:
            self._next_id[table] = max(self._next_id[table], row_id + 1)

    def _fetch(self, table: str, row_id: int) -> dict[str, Any]:
        cursor = self._conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])
        found = cursor.fetchone()
        if found is None:
            raise LookupError(f"no row {row_id} in {table}")
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def open_group(self) -> int:
        """Record this change group now (it is otherwise recorded with its first row)."""
        return self._group()

    def _group(self) -> int:
        if self.group_id is None:
            cursor = self._conn.execute(
                "INSERT INTO change_groups (uuid, at, user, action, summary, undoes)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [self.uuid or new_uuid(), self._now, self.project.user, self.action, self.summary, self.undoes],
            )
            self.group_id = cursor.lastrowid
        assert self.group_id is not None
        return self.group_id

    def _log(
        self,
        op: str,
        table: str,
        row_id: int,
        row_uuid: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        omit = OMIT_FROM_LOG.get(table, frozenset())
        self._log_raw(op, table, row_id, row_uuid, _json(before, omit), _json(after, omit))

    def _log_raw(
        self, op: str, table: str, row_id: int, row_uuid: str | None, before: str | None, after: str | None
    ) -> None:
        group = self._group()
        self._seq += 1
        self._conn.execute(
            "INSERT INTO changes (group_id, seq, op, table_name, row_id, row_uuid, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [group, self._seq, op, table, row_id, row_uuid, before, after],
        )
        if self.origin:
            self._conn.execute("INSERT INTO change_origins (group_id, seq, columns) VALUES (?, ?, ?)",
                               [group, self._seq, json.dumps(self.origin, separators=(",", ":"))])


def as_inserted(table: str, payload: dict[str, Any], row_id: int, row_uuid: str | None, at: str,
                user: str) -> dict[str, Any]:
    """An insert's logged row with the id, UUID and stamps its entry and group say put back
    (a coding's words are not: they are its source's text at the time)."""
    full = {"id": row_id, **payload}
    if table in ENTITY_TABLES:
        full.setdefault("uuid", row_uuid)
        for stamp in STAMPS:
            full.setdefault(stamp, at if stamp.endswith("_at") else user)
    return full


def _json(row: dict[str, Any] | None, omit: frozenset[str]) -> str | None:
    if row is None:
        return None
    return _ENCODE({k: v for k, v in row.items() if k not in omit})


# one encoder for every logged row (json.dumps with options makes a new one each call)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_STRING = json.encoder.encode_basestring  # a str as _ENCODE writes it, in C


def _value(value: Any) -> str:
    """One value of a logged row as :data:`_ENCODE` writes it (the common kinds without the
    encoder's set-up, which costs more than the value when a bulk insert logs 200,000 rows)."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return str(_STRING(value))
    if kind is int:
        return str(value)
    return _ENCODE(value)
