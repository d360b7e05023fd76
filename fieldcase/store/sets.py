"""Sets: named groups of codes or of sources, each change logged, usable as a scope
(``--code-set``, ``--source-set``; see :mod:`fieldcase.store.scoping`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError
from fieldcase.store.lookup import find_row

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

KINDS = ("code", "source")
MEMBERS = {"code": ("set_codes", "code_id"), "source": ("set_sources", "source_id")}


def check_kind(kind: str) -> str:
    """``code`` or ``source`` (plurals accepted)."""
    word = (kind or "").strip().lower().removesuffix("s")
    if word not in KINDS:
        raise InputError(f"unknown kind of set {kind!r}; use code or source")
    return word


def find(project: Project, kind: str, ref: str | int) -> dict[str, Any]:
    """The code set or source set named by name, id or UUID."""
    kind = check_kind(kind)
    return find_row(project, "sets", ref, where="kind = ?", params=[kind])


def add(project: Project, kind: str, name: str, *, description: str | None = None, uuid: str | None = None,
        writer: ChangeWriter | None = None) -> int:
    """A new, empty set; returns its id. A name is one set's per kind."""
    kind, name = check_kind(kind), (name or "").strip()
    if not name:
        raise InputError("a set needs a name")
    if project.query("SELECT id FROM sets WHERE kind = ? AND name = ? COLLATE NOCASE", [kind, name]):
        raise InputError(f"a {kind} set named {name!r} already exists")
    row: dict[str, Any] = {"kind": kind, "name": name, "description": description}
    if uuid:
        row["uuid"] = uuid
    with project.writing(writer, "set.add", f"Added {kind} set {name}") as w:
        return w.insert("sets", row)


def add_members(project: Project, set_id: int, member_ids: list[int], *,
                writer: ChangeWriter | None = None) -> int:
    """Put codes or sources (by id, as the set's kind) in a set; returns how many were new."""
    kind, name = _kind_and_name(project, set_id)
    table, column = MEMBERS[kind]
    have = {r[0] for r in project.conn.execute(f"SELECT {column} FROM {table} WHERE set_id = ?", [set_id])}
    new = [m for m in dict.fromkeys(member_ids) if m not in have]
    if new:
        with project.writing(writer, "set.members", f"Added to {kind} set {name}") as w:
            w.insert_many(table, [{"set_id": set_id, column: m} for m in new])
    return len(new)


def remove_members(project: Project, set_id: int, member_ids: list[int]) -> int:
    """Take codes or sources out of a set; returns how many were in it."""
    kind, name = _kind_and_name(project, set_id)
    table, column = MEMBERS[kind]
    rows = [r[0] for r in project.conn.execute(
        f"SELECT id FROM {table} WHERE set_id = ? AND {column} IN (SELECT value FROM json_each(?))",
        [set_id, _json(member_ids)])]
    if rows:
        with project.change("set.members", f"Took out of {kind} set {name}") as w:
            for row_id in rows:
                w.delete(table, row_id)
    return len(rows)


def delete(project: Project, kind: str, ref: str | int) -> dict[str, Any]:
    """Delete a set (its members stay in the project); returns it as it was."""
    found = find(project, kind, ref)
    table, _ = MEMBERS[found["kind"]]
    with project.change("set.delete", f"Deleted {found['kind']} set {found['name']}") as w:
        for (row_id,) in project.conn.execute(f"SELECT id FROM {table} WHERE set_id = ? ORDER BY id",
                                              [found["id"]]).fetchall():
            w.delete(table, row_id)
        w.delete("sets", found["id"])
    return found


def list_all(project: Project, kind: str | None = None) -> list[dict[str, Any]]:
    """Every set (of one kind if given) with its number of members, by kind and name."""
    where, params = ("WHERE s.kind = ?", [check_kind(kind)]) if kind else ("", [])
    return project.query(
        "SELECT s.id, s.uuid, s.kind, s.name, s.description,"
        " CASE s.kind WHEN 'code' THEN (SELECT count(*) FROM set_codes m WHERE m.set_id = s.id)"
        " ELSE (SELECT count(*) FROM set_sources m WHERE m.set_id = s.id) END AS members"
        f" FROM sets s {where} ORDER BY s.kind, s.name", params)


def members(project: Project, set_id: int) -> list[dict[str, Any]]:
    """A set's codes (id, key, names) or sources (id, title), in id order."""
    kind, _ = _kind_and_name(project, set_id)
    if kind == "code":
        return project.query("SELECT c.id, c.uuid, c.key, c.name_zh, c.name_en FROM set_codes m"
                             " JOIN codes c ON c.id = m.code_id WHERE m.set_id = ? ORDER BY c.id", [set_id])
    return project.query("SELECT s.id, s.uuid, s.title FROM set_sources m JOIN sources s ON s.id = m.source_id"
                         " WHERE m.set_id = ? ORDER BY s.id", [set_id])


def member_ids(project: Project, kind: str, ref: str | int) -> list[int]:
    """The ids of the codes or sources in a set (a scope reads these)."""
    found = find(project, kind, ref)
    table, column = MEMBERS[found["kind"]]
    return [r[0] for r in project.conn.execute(f"SELECT {column} FROM {table} WHERE set_id = ? ORDER BY {column}",
                                               [found["id"]])]


def by_uuid(project: Project) -> dict[str, tuple[int, str, str]]:
    """Every set's id, kind and name by UUID (an import matches sets by these)."""
    return {r[0]: (r[1], r[2], r[3]) for r in project.conn.execute("SELECT uuid, id, kind, name FROM sets")}


def delete_memberships(project: Project, w: ChangeWriter, kind: str, member_id: int) -> None:
    """Take a code or source about to be deleted out of every set, logged (undo puts it back)."""
    table, column = MEMBERS[kind]
    for (row_id,) in project.conn.execute(f"SELECT id FROM {table} WHERE {column} = ? ORDER BY id",
                                          [member_id]).fetchall():
        w.delete(table, row_id)


def move_memberships(project: Project, w: ChangeWriter, code_id: int, into: int) -> None:
    """A code merged into another: its sets hold the other instead (once)."""
    held = {r[0] for r in project.conn.execute("SELECT set_id FROM set_codes WHERE code_id = ?", [into])}
    for row_id, set_id in project.conn.execute("SELECT id, set_id FROM set_codes WHERE code_id = ? ORDER BY id",
                                               [code_id]).fetchall():
        if set_id in held:
            w.delete("set_codes", row_id)
        else:
            w.update("set_codes", row_id, {"code_id": into})


def _kind_and_name(project: Project, set_id: int) -> tuple[str, str]:
    row = project.conn.execute("SELECT kind, name FROM sets WHERE id = ?", [set_id]).fetchone()
    if row is None:
        raise InputError(f"no set {set_id}")
    return str(row[0]), str(row[1])


def _json(ids: list[int]) -> str:
    import json

    return json.dumps(list(ids))
