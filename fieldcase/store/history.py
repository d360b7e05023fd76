"""Undo, redo and history, read from the append-only change log.

Undo reverses the newest change group that is still in effect by writing the
inverse changes as a new group (action ``undo``); redo reverses that undo (action
``redo``). Any other new change ends the chance to redo what was undone before it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

_STAMPS = {"modified_at", "modified_by"}


def _state(project: Project) -> tuple[set[int], list[int]]:
    """The ids of undone groups, and the undo groups that could be redone (newest last)."""
    undone: set[int] = set()
    redoable: list[int] = []
    for row in project.conn.execute("SELECT id, action, undoes FROM change_groups ORDER BY id"):
        group_id, action, target = row
        if action == "undo":
            undone.add(target)
            redoable.append(group_id)
        elif action == "redo":
            original = project.conn.execute(
                "SELECT undoes FROM change_groups WHERE id = ?", [target]
            ).fetchone()[0]
            undone.discard(original)
            if target in redoable:
                redoable.remove(target)
        else:
            redoable.clear()
    return undone, redoable


def history(project: Project, limit: int = 20) -> list[dict[str, Any]]:
    """The newest change groups, newest first, each saying if it is undone."""
    undone, _ = _state(project)
    rows = project.query(
        "SELECT g.id, g.at, g.user, g.action, g.summary, g.undoes,"
        " (SELECT count(*) FROM changes c WHERE c.group_id = g.id) AS rows"
        " FROM change_groups g ORDER BY g.id DESC LIMIT ?",
        [limit],
    )
    for row in rows:
        row["undone"] = row["id"] in undone
    return rows


def undo(project: Project) -> dict[str, Any]:
    """Reverse the newest change group still in effect; returns that group."""
    undone, _ = _state(project)
    target = project.conn.execute(
        "SELECT id, action, summary FROM change_groups WHERE action NOT IN ('undo', 'redo')"
        " ORDER BY id DESC"
    ).fetchall()
    group = next((g for g in target if g[0] not in undone), None)
    if group is None:
        raise InputError("nothing to undo")
    with project.change("undo", f"Undid: {group[2]}", undoes=group[0]) as w:
        _revert(project, w, group[0])
    return {"id": group[0], "action": group[1], "summary": group[2]}


def redo(project: Project) -> dict[str, Any]:
    """Re-apply the change group most recently undone; returns it."""
    _, redoable = _state(project)
    if not redoable:
        raise InputError("nothing to redo")
    undo_id = redoable[-1]
    original = project.query(
        "SELECT g.id, g.action, g.summary FROM change_groups u JOIN change_groups g"
        " ON g.id = u.undoes WHERE u.id = ?",
        [undo_id],
    )[0]
    with project.change("redo", f"Redid: {original['summary']}", undoes=undo_id) as w:
        _revert(project, w, undo_id)
    return original


def _revert(project: Project, w: ChangeWriter, group_id: int) -> None:
    """Write the inverse of every change in a group, newest first."""
    changes = project.query(
        "SELECT op, table_name, row_id, before, after FROM changes WHERE group_id = ? ORDER BY seq DESC",
        [group_id],
    )
    for change in changes:
        table, row_id = change["table_name"], change["row_id"]
        before = json.loads(change["before"]) if change["before"] else None
        after = json.loads(change["after"]) if change["after"] else None
        if change["op"] == "insert":
            if project.conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [row_id]).fetchone():
                w.delete(table, row_id)
        elif change["op"] == "delete":
            assert before is not None
            w.restore(table, _with_text(project, table, before))
        else:
            assert before is not None and after is not None
            values = {k: before[k] for k in before if k not in _STAMPS and before[k] != after.get(k)}
            if values:
                w.update(table, row_id, _with_text(project, table, {**values}, full=before))


def _with_text(
    project: Project, table: str, values: dict[str, Any], *, full: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Put back a source's text (kept by hash) and what is derived from it."""
    if table != "sources" or "text_sha256" not in values:
        return values
    from fieldcase.store.texts import derived_fields

    found = project.conn.execute(
        "SELECT text FROM text_versions WHERE sha256 = ?", [values["text_sha256"]]
    ).fetchone()
    if found is None:
        raise InputError("the earlier text of this source was not kept; cannot undo")
    kind = (full or values).get("kind", "interview")
    return {**values, **derived_fields(found[0], kind)}
