"""What a merge reads of each copy: its rows by lasting key, and who last set what.

Rows are matched across copies by a key that means the same in both: an entity's UUID,
and for the rows that join entities (links, attribute values) the UUIDs they join. A
copy's *knowledge* is every change group it holds or has taken in from another copy; a
value set by a group the other copy knows is no news to it. This is what lets a merge
tell "changed on one side" from "changed on both" without a common ancestor file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from fieldcase.store.changes import OMIT_FROM_LOG, WORDS_OF_INSERT

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# Tables merged, parents before children, each with its foreign keys (column -> table).
TABLES: dict[str, dict[str, str]] = {
    "sites": {},
    "attributes": {},
    "codes": {"parent_id": "codes"},
    "cases": {"site_id": "sites"},
    "sources": {"site_id": "sites"},
    "speakers": {"source_id": "sources", "case_id": "cases"},
    "source_cases": {"source_id": "sources", "case_id": "cases"},
    "site_attribute_values": {"attribute_id": "attributes", "site_id": "sites"},
    "case_attribute_values": {"attribute_id": "attributes", "case_id": "cases"},
    "source_attribute_values": {"attribute_id": "attributes", "source_id": "sources"},
    "codings": {"source_id": "sources", "code_id": "codes"},
    "framework_cells": {"case_id": "cases", "code_id": "codes"},
    "framework_links": {"cell_id": "framework_cells", "coding_id": "codings"},
    "memos": {},  # target_id points at the table target_type names
    "pseudonyms": {"variant_of": "pseudonyms"},
    "glossary": {},
    "sets": {},
    "set_codes": {"set_id": "sets", "code_id": "codes"},
    "set_sources": {"set_id": "sets", "source_id": "sources"},
}
# Rows without a UUID are known by what they join (or by their own natural key).
JOINS = {
    "source_cases": ("source_id", "case_id"),
    "site_attribute_values": ("attribute_id", "site_id"),
    "case_attribute_values": ("attribute_id", "case_id"),
    "source_attribute_values": ("attribute_id", "source_id"),
    "framework_links": ("cell_id", "coding_id"),
    "pseudonyms": ("real",),
    "glossary": ("term",),
    "set_codes": ("set_id", "code_id"),
    "set_sources": ("set_id", "source_id"),
}
MEMO_TARGETS = {"source": "sources", "case": "cases", "site": "sites", "code": "codes", "coding": "codings"}
# Never compared: identity, stamps, and what is derived from another column.
NOT_COMPARED = frozenset({"id", "uuid", "created_at", "created_by", "modified_at", "modified_by",
                          "text", "chars", "turns", "quote", "context_before", "context_after"})


@dataclass
class Copy:
    """One copy of the project as a merge sees it."""

    project: Project | None  # None: a copy that is no project file (the hub)
    rows: dict[str, MutableMapping[str, dict[str, Any]]] = field(default_factory=dict)  # table -> key -> row
    uuids: dict[str, dict[int, str]] = field(default_factory=dict)  # table -> id -> key
    known: set[str] = field(default_factory=set)
    own: list[str] = field(default_factory=list)  # uuids of the change groups it holds, in order
    last: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (table, key, column) -> group
    touched: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, key) -> last group
    gone: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, key) -> deleting group
    made: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, key) -> inserting group
    set_apart: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # columns ``last`` holds
    read_at: int = -1  # its connection's count of rows written when its rows were read
    # a copy that is not a project file (the hub) brings its suggestions read already
    suggestions: dict[tuple[str, str, int, int], dict[str, Any]] | None = None

    @property
    def file(self) -> Project:
        """The project file this copy was read from."""
        if self.project is None:
            raise TypeError("this copy is not a project file")
        return self.project

    def set_by(self, table: str, key: str, column: str) -> str | None:
        """The change group that last set a column of a row (None: none this copy read)."""
        return self.last.get((table, key, column)) or self.made.get((table, key))

    def key_of(self, table: str, row_id: int | None) -> str | None:
        """The lasting key of ``table``'s row ``row_id`` (also of rows since deleted)."""
        return None if row_id is None else self.uuids.get(table, {}).get(row_id)


def read_copy(project: Project) -> Copy:
    """Everything a merge needs from ``project``: its rows and its history."""
    copy = Copy(project)
    for table in TABLES:
        copy.uuids[table] = {}
    # ids of entities deleted since (the log's delete names the row) -> UUID; those of the
    # rows there now come with the rows (an entity table before the tables joining it)
    for table, row_id, row_uuid in project.conn.execute(
        "SELECT DISTINCT table_name, row_id, row_uuid FROM changes WHERE op = 'delete' AND row_uuid IS NOT NULL"
    ):
        if table in copy.uuids:
            copy.uuids[table][row_id] = row_uuid
    for table in TABLES:
        read_rows(copy, table)
    copy.own = [r[0] for r in project.conn.execute("SELECT uuid FROM change_groups ORDER BY id")]
    copy.known = set(copy.own) | {r[0] for r in project.conn.execute("SELECT uuid FROM known_groups")}
    copy.read_at = project.conn.total_changes
    return copy


def read_history(copy: Copy, other_known: set[str]) -> None:
    """Who (which change group) last set each column of each row, and which rows went —
    read from the groups the other copy does not know only: a value set in a group the
    other copy knows is one it has seen, which is all a merge asks of the rest."""
    ids = [group_id for group_id, uuid in copy.file.conn.execute("SELECT id, uuid FROM change_groups")
           if uuid not in other_known]
    if ids:
        _read_history(copy, ids)


def read_rows(copy: Copy, table: str) -> None:
    """(Re)read ``copy``'s rows of ``table`` as they stand now: a table of rows joining
    others (small) whole; an entity table's keys now and each row when first asked for."""
    if table not in JOINS:
        keys = dict(copy.file.conn.execute(f'SELECT id, uuid FROM "{table}"').fetchall())
        copy.uuids[table].update(keys)
        copy.rows[table] = Rows(copy.file, table, set(keys.values()))
        return
    copy.rows[table] = {}
    for row in copy.file.query(f'SELECT * FROM "{table}"'):
        key = row_key(copy, table, row)
        if key is not None:
            copy.rows[table][key] = row
            copy.uuids[table][row["id"]] = key


class Rows(MutableMapping[str, dict[str, Any]]):
    """An entity table's rows by UUID, read from the file when first asked for (a merge
    looks at the few rows that changes touched, not at all of them)."""

    def __init__(self, project: Project, table: str, keys: set[str]) -> None:
        self.project, self.table, self.keys_now = project, table, keys
        self.cache: dict[str, dict[str, Any]] = {}
        self.columns = "*"  # what is read of a row (see without_words)

    def __getitem__(self, key: str) -> dict[str, Any]:
        if key not in self.keys_now:
            raise KeyError(key)
        if key not in self.cache:
            self.fetch([key])
        return self.cache[key]

    def fetch(self, keys: list[str]) -> None:
        """Read these rows (those not read yet) in one query."""
        wanted = [k for k in keys if k in self.keys_now and k not in self.cache]
        for start in range(0, len(wanted), 5000):
            for row in self.project.query(
                f'SELECT {self.columns} FROM "{self.table}" WHERE uuid IN (SELECT value FROM json_each(?))',
                [json.dumps(wanted[start:start + 5000])],
            ):
                self.cache[row["uuid"]] = row

    def __setitem__(self, key: str, row: dict[str, Any]) -> None:
        self.keys_now.add(key)
        self.cache[key] = row

    def __delitem__(self, key: str) -> None:
        self.keys_now.discard(key)
        self.cache.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self.keys_now

    def get(self, key: str, default: Any = None) -> Any:  # (called for every row a merge brings)
        if key not in self.keys_now:
            return default
        found = self.cache.get(key)
        if found is None:
            self.fetch([key])
            found = self.cache[key]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.keys_now))

    def __len__(self) -> int:
        return len(self.keys_now)

    def items(self) -> Any:  # every row: read in one pass
        self.fetch(sorted(self.keys_now))
        return [(k, self.cache[k]) for k in sorted(self.keys_now)]


def without_words(copy: Copy) -> None:
    """Read ``copy``'s active codings without their words (quote and context): a merge takes
    them from its own text of the source; an orphaned coding's, kept when it lost its place,
    are read."""
    rows = copy.rows.get("codings")
    if not isinstance(rows, Rows):
        return
    words = WORDS_OF_INSERT["codings"]
    names = [r[1] for r in copy.file.conn.execute("PRAGMA table_info(codings)")]
    rows.columns = ", ".join(f"CASE status WHEN 'active' THEN NULL ELSE \"{c}\" END AS \"{c}\"" if c in words
                             else f'"{c}"' for c in names)


def natural_keys(copy: Copy, table: str, columns: tuple[str, ...]) -> list[tuple[str, tuple[Any, ...]]]:
    """Each row's key and the values of ``columns`` that make it the same thing as
    another's (a coding's source, code, coder and span), a foreign key given as the UUID of
    the row it names; without reading the rest of the row."""
    picked = [f'(SELECT uuid FROM "{TABLES[table][c]}" WHERE id = t."{c}")' if c in TABLES[table] else f't."{c}"'
              for c in columns]
    return [(str(r[0]), tuple(r[1:])) for r in copy.file.conn.execute(
        f'SELECT t.uuid, {", ".join(picked)} FROM "{table}" t')]


def children_of(copy: Copy, table: str, column: str, row_id: int) -> list[str]:
    """The keys of ``table``'s rows whose ``column`` holds ``row_id``."""
    return [str(r[0]) for r in copy.file.conn.execute(f'SELECT uuid FROM "{table}" WHERE "{column}" = ?', [row_id])]


def row_key(copy: Copy, table: str, row: dict[str, Any]) -> str | None:
    """The key a row is matched by across copies (None if what it joins is unknown)."""
    if table not in JOINS:
        return str(row["uuid"])
    parts = []
    for column in JOINS[table]:
        target = TABLES[table].get(column)
        value = copy.key_of(target, row.get(column)) if target else row.get(column)
        if value is None:
            return None
        parts.append(str(value))
    return "|".join(parts)


@dataclass(frozen=True)
class Entry:
    """One logged row change as merges and the hub see it: which group made it (by UUID),
    its number there, what it did to which row (by lasting key), the columns it set, and
    for a write made on another copy's behalf, the groups that set them there."""

    group: str
    seq: int
    op: str
    table: str
    key: str
    columns: tuple[str, ...]
    origin: dict[str, str]


def entries(copy: Copy, group_ids: list[int], *, learning: bool = False) -> Iterator[Entry]:
    """The entries of these change groups of ``copy``, in the order they were written.
    ``learning``: only what :func:`learn` reads (an entity row made here is known by its
    key alone, so its logged values are not read: most of a merge's entries are these)."""
    plain = ("c.op = 'insert' AND o.columns IS NULL AND c.row_uuid IS NOT NULL"
             f" AND c.table_name NOT IN ({', '.join(repr(t) for t in JOINS)})")
    if not learning:  # such a row's columns are its logged names, read without its values
        plain += " AND json_valid(c.after) AND json_type(c.after) = 'object'"
    names = "NULL" if learning else f"CASE WHEN {plain} THEN (SELECT json_group_array(key) FROM json_each(c.after)) END"
    for table, row_uuid, op, before, after, group, seq, origins, listed in copy.file.conn.execute(
        f"SELECT c.table_name, c.row_uuid, c.op, CASE WHEN {plain} THEN NULL ELSE c.before END,"
        f" CASE WHEN {plain} THEN NULL ELSE c.after END, g.uuid, c.seq, o.columns, {names}"
        " FROM changes c JOIN change_groups g ON g.id = c.group_id"
        " LEFT JOIN change_origins o ON o.group_id = c.group_id AND o.seq = c.seq"
        " WHERE c.group_id IN (SELECT value FROM json_each(?)) ORDER BY c.id", [json.dumps(group_ids)]
    ):
        if table not in TABLES:
            continue
        if learning and op == "insert" and after is None and not origins and table not in JOINS:
            yield Entry(group, seq, op, table, row_uuid, (), {})
            continue
        if listed is not None:
            yield Entry(group, seq, op, table, row_uuid, _inserted_columns(table, listed), {})
            continue
        new, old = _payload(after), _payload(before)
        key = row_uuid if table not in JOINS else row_key(copy, table, new or old or {})
        if key is None:
            continue
        skip = _skip(table)
        columns = [] if op == "delete" else [
            c for c, v in new.items() if c not in skip and (op == "insert" or old.get(c) != v)]
        if op == "insert" and table == "sources" and "text_sha256" not in columns:
            columns.append("text_sha256")
        yield Entry(group, seq, op, table, key, tuple(columns), json.loads(origins) if origins else {})


_SKIP: dict[str, frozenset[str]] = {}  # by table: the columns an entry does not list as set
_INSERTED: dict[tuple[str, str], tuple[str, ...]] = {}  # by table and logged names: an insert's columns


def _skip(table: str) -> frozenset[str]:
    if table not in _SKIP:
        _SKIP[table] = OMIT_FROM_LOG.get(table, frozenset()) | WORDS_OF_INSERT.get(table, frozenset())
    return _SKIP[table]


def _inserted_columns(table: str, listed: str) -> tuple[str, ...]:
    """The columns an insert set, from the names its payload holds (as :func:`entries` lists
    them from the payload itself); the many inserts of a table share a few lists of names."""
    found = _INSERTED.get((table, listed))
    if found is None:
        names = json.loads(listed)
        columns = [] if "purged" in names else [c for c in names if c not in _skip(table)]
        if table == "sources" and "text_sha256" not in columns:
            columns.append("text_sha256")
        found = _INSERTED[(table, listed)] = tuple(columns)
    return found


def learn(copy: Copy, entry: Entry) -> None:
    """Note in ``copy`` who last set what, and which rows went, by one entry."""
    whole = entry.origin.get("*", entry.group)
    copy.touched[(entry.table, entry.key)] = whole
    if entry.op == "delete":
        copy.gone[(entry.table, entry.key)] = whole
        return
    copy.gone.pop((entry.table, entry.key), None)
    if entry.op == "insert" and not entry.origin:  # a row made here: every column by one group
        copy.made[(entry.table, entry.key)] = whole
        for column in copy.set_apart.pop((entry.table, entry.key), ()):
            copy.last.pop((entry.table, entry.key, column), None)
        return
    for column in entry.columns:
        copy.last[(entry.table, entry.key, column)] = entry.origin.get(column, whole)
        copy.set_apart.setdefault((entry.table, entry.key), set()).add(column)


def _read_history(copy: Copy, group_ids: list[int]) -> None:
    for entry in entries(copy, group_ids, learning=True):
        learn(copy, entry)


def _payload(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) and not found.get("purged") else {}


def text_of(project: Project, sha256: str) -> str | None:
    """A text by its hash: a source's current text or a kept version."""
    found = project.conn.execute(
        "SELECT text FROM sources WHERE text_sha256 = ? UNION ALL SELECT text FROM text_versions WHERE sha256 = ?"
        " LIMIT 1", [sha256, sha256]).fetchone()
    return None if found is None else str(found[0])


def text_base(copy: Copy, key: str, other_known: set[str]) -> str | None:
    """The hash of the text source ``key`` had before the first change to it that the other
    copy does not know (the text both copies last shared), or None when the log does not say
    (or this copy is no project file)."""
    if copy.project is None:
        return None
    for before, group in copy.project.conn.execute(
        "SELECT json_extract(c.before, '$.text_sha256'), g.uuid FROM changes c"
        " JOIN change_groups g ON g.id = c.group_id WHERE c.table_name = 'sources' AND c.row_uuid = ?"
        " AND c.op = 'update' AND json_extract(c.before, '$.text_sha256') IS NOT json_extract(c.after, '$.text_sha256')"
        " ORDER BY c.id", [key],
    ):
        if group not in other_known:
            return None if before is None else str(before)
    return None


def project_name(project: Project) -> str:
    """The project's name and UUID as ``project_info`` holds them."""
    info = dict(project.conn.execute("SELECT key, value FROM project_info WHERE key IN ('name', 'uuid')"))
    return f"{info.get('name', '?')} ({info.get('uuid', '?')})"


def project_uuid(project: Project) -> str | None:
    """The UUID the project was made with (a copy keeps it)."""
    found = project.conn.execute("SELECT value FROM project_info WHERE key = 'uuid'").fetchone()
    return None if found is None else str(found[0])


def open_conflicts(project: Project) -> list[dict[str, Any]]:
    """The conflicts no one has settled, oldest first."""
    return project.query("SELECT * FROM conflicts WHERE status = 'open' ORDER BY id")


def all_conflicts(project: Project) -> list[dict[str, Any]]:
    """Every conflict merges found, settled or not."""
    return project.query("SELECT * FROM conflicts ORDER BY id")


def side_in_place(project: Project, row: dict[str, Any]) -> str | None:
    """Which side of an open value conflict the project holds now, ``"mine"`` or ``"theirs"``: after a hub
    sync every member holds the finder's side, which for the others is ``theirs``. None for a text, a row
    gone, or a value that is neither."""
    if row["what"] != "value" or row["status"] != "open":
        return None
    held = row_by_uuid(project, str(row["table_name"]), str(row["row_uuid"]))
    if held is None or row["field"] not in held:
        return None
    for side in ("mine", "theirs"):
        if (json.loads(row[side]) if row[side] is not None else None) == held[row["field"]]:
            return side
    return None


def conflict(project: Project, conflict_id: int) -> dict[str, Any] | None:
    """One conflict by id."""
    found = project.query("SELECT * FROM conflicts WHERE id = ?", [conflict_id])
    return found[0] if found else None


def conflict_known(project: Project, table: str, key: str, column: str, theirs: str | None) -> bool:
    """Whether a merge already listed this conflict (the same value from the other side)."""
    return project.conn.execute(
        "SELECT 1 FROM conflicts WHERE table_name = ? AND row_uuid = ? AND field = ? AND coalesce(theirs, '') = ?",
        [table, key, column, theirs or ""]).fetchone() is not None


def id_of(project: Project, table: str, key: str, copy: Copy) -> int | None:
    """My id of the row ``key`` names in ``table`` (None if I have no such row)."""
    row = copy.rows.get(table, {}).get(key)
    return None if row is None else int(row["id"])


def source_by_text(project: Project, sha256: str) -> dict[str, Any] | None:
    """The source whose text has this hash, if any."""
    found = project.query("SELECT id, uuid FROM sources WHERE text_sha256 = ?", [sha256])
    return found[0] if found else None


def row_by_uuid(project: Project, table: str, uuid: str) -> dict[str, Any] | None:
    """``table``'s row with this UUID, if any."""
    found = project.query(f'SELECT * FROM "{table}" WHERE uuid = ?', [uuid])
    return found[0] if found else None


def last_known(project: Project, table: str, uuid: str) -> dict[str, Any]:
    """``table``'s row with this UUID as it stands, else as the change log last held it ({})."""
    found = row_by_uuid(project, table, uuid)
    if found is not None:
        return found
    logged = project.conn.execute(
        "SELECT coalesce(after, before) FROM changes WHERE table_name = ? AND row_uuid = ?"
        " AND json_valid(coalesce(after, before)) ORDER BY id DESC LIMIT 1", [table, uuid]).fetchone()
    held = json.loads(logged[0]) if logged else {}
    return held if isinstance(held, dict) else {}


def row_by_id(project: Project, table: str, row_id: int) -> dict[str, Any]:
    """``table``'s row ``row_id``."""
    return project.query(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])[0]


def text_of_source(project: Project, uuid: str) -> str:
    """The current text of the source with this UUID."""
    return str(project.conn.execute("SELECT text FROM sources WHERE uuid = ?", [uuid]).fetchone()[0])


def authors(project: Project, groups: set[str]) -> dict[str, tuple[str, str]]:
    """Who made these change groups and when, by UUID: those ``project`` made, and those it
    brought in from others whose authors it knows."""
    return {uuid: (user, at) for uuid, user, at in project.conn.execute(
        "SELECT uuid, author, at FROM known_groups WHERE author IS NOT NULL AND uuid IN (SELECT value FROM json_each(?1))"
        " UNION ALL SELECT uuid, user, at FROM change_groups WHERE uuid IN (SELECT value FROM json_each(?1))",
        [json.dumps(sorted(groups))])}


def suggestions(copy: Copy) -> dict[tuple[str, str, int, int], dict[str, Any]]:
    """A copy's suggestions by (source key, code key, start, end)."""
    if copy.suggestions is not None:
        return copy.suggestions
    out = {}
    for row in copy.file.query("SELECT * FROM suggestions"):
        source, code = copy.key_of("sources", row["source_id"]), copy.key_of("codes", row["code_id"])
        if source is not None and code is not None:
            out[(source, code, row["start_offset"], row["end_offset"])] = row
    return out


def forget_conflicts(project: Project, keys: dict[str, set[int]], words: list[str]) -> int:
    """Delete the conflicts about rows a purge erases or forgets, and those whose values hold
    a word it takes out (a name): a conflict keeps both values, so it would keep them."""
    uuids: set[str] = set()
    for table, ids in keys.items():
        listed = json.dumps(sorted(ids))
        uuids.update(r[0] for r in project.conn.execute(
            "SELECT DISTINCT row_uuid FROM changes WHERE table_name = ? AND row_uuid IS NOT NULL"
            " AND row_id IN (SELECT value FROM json_each(?))", [table, listed]))
    gone = 0
    for row_id, row_uuid, mine, theirs, other in project.conn.execute(
        "SELECT id, row_uuid, mine, theirs, other FROM conflicts"
    ).fetchall():
        held = " ".join(str(v) for v in (row_uuid, mine, theirs, other))
        if any(u in held for u in uuids) or any(w and w in held for w in words):
            project.conn.execute("DELETE FROM conflicts WHERE id = ?", [row_id])
            gone += 1
    return gone


def conflict_texts(project: Project, source_uuid: str) -> set[str]:
    """The hashes of texts merges kept for a source as the other side's in a conflict."""
    return {r[0] for r in project.conn.execute(
        "SELECT json_extract(theirs, '$') FROM conflicts WHERE table_name = 'sources' AND what = 'text'"
        " AND row_uuid = ?", [source_uuid])}


def note_known(project: Project, groups: set[str], by: Mapping[str, tuple[str, str]]) -> None:
    """Record that these groups of another copy (made by whom and when: ``by``) are known
    here though a merge of them changed nothing (their effects were here already); outside
    the change log, since no change was made (``merge_id`` 0)."""
    with project.transaction():
        project.conn.executemany("INSERT OR IGNORE INTO known_groups (uuid, merge_id, author, at) VALUES (?, 0, ?, ?)",
                                 [[g, *by.get(g, (None, None))] for g in sorted(groups)])


def groups_to_push(project: Project, known: set[str]) -> tuple[list[int], list[dict[str, Any]]]:
    """This project's change groups another store does not know: their ids, and each as the
    hub keeps it (uuid, at, user, action, summary, project)."""
    project_uuid = project.conn.execute("SELECT value FROM project_info WHERE key = 'uuid'").fetchone()
    ids, rows = [], []
    for group_id, uuid, at, user, action, summary in project.conn.execute(
        "SELECT id, uuid, at, user, action, summary FROM change_groups ORDER BY id"
    ):
        if uuid not in known:
            ids.append(group_id)
            rows.append({"uuid": uuid, "at": at, "user": user, "action": action, "summary": summary,
                         "project": project_uuid[0] if project_uuid else None})
    return ids, rows


def dependents(project: Project, table: str, row_id: int) -> dict[str, int]:
    """How many rows of each table point at ``table``'s row ``row_id`` (and would go with it)."""
    found: dict[str, int] = {}
    for child, columns in TABLES.items():
        for column, target in columns.items():
            if target == table:
                n = project.conn.execute(f'SELECT count(*) FROM "{child}" WHERE "{column}" = ?', [row_id]).fetchone()[0]
                if n:
                    found[child] = found.get(child, 0) + n
    kind = next((k for k, t in MEMO_TARGETS.items() if t == table), None)
    if kind is not None:
        n = project.conn.execute("SELECT count(*) FROM memos WHERE target_type = ? AND target_id = ?",
                                 [kind, row_id]).fetchone()[0]
        if n:
            found["memos"] = n
    return found
