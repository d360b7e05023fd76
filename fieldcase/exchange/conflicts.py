"""Settling what a merge could not decide: keep mine, or take theirs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import drafts, merging
from fieldcase.store.merging import MEMO_TARGETS, TABLES
from fieldcase.text import english

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def settle(project: Project, conflict_id: int, keep: str) -> dict[str, Any]:
    """Settle conflict ``conflict_id``: the side kept is put in place where the row holds the
    other (``theirs``, as a merge leaves it; ``mine``, after a sync took the team's side); a
    text put in place re-anchors the codings like any edit. Of a delete
    against a change, the side kept that deleted deletes, whichever side it is (the merge
    kept the row meanwhile). One change, so undo takes it back. Returns the conflict as settled."""
    if keep not in ("mine", "theirs"):
        raise InputError(f"--keep is mine or theirs, not {keep!r}")
    found = merging.conflict(project, conflict_id)
    if found is None:
        raise NotFoundError(f"no conflict {conflict_id}; `fieldcase conflicts` lists them")
    if found["status"] != "open":
        raise InputError(f"conflict {conflict_id} was settled already ({found['status']} kept)")
    table, key = found["table_name"], found["row_uuid"]
    summary = f"Settled conflict {conflict_id} ({table} {found['field']}): kept {keep}"
    kept: list[tuple[dict[str, Any], str]] = []
    with project.change("conflict.settle", summary) as w:
        if found["what"] == "delete":
            kept = _settle_delete(project, w, found, keep)
        else:
            side = current_side(project, found)  # (a synced member may hold either side now)
            if side != keep and (keep == "theirs" or side == "theirs"):
                put_side(project, w, found, keep)
        w.update("conflicts", conflict_id, {"status": keep, "settled_at": w.at, "settled_by": project.user})
    del table, key
    settled = merging.conflict(project, conflict_id)
    assert settled is not None
    # a kept edit of a source the delete took: set aside (undo brings its draft back)
    settled["kept_edits"] = [drafts.keep_aside(project, source, text) for source, text in kept]
    return settled


_DELETED = ("deleted", "deleted here", "deleted there")  # (the last two: as older merges wrote it)


def _settle_delete(project: Project, w: Any, found: dict[str, Any], keep: str) -> list[tuple[dict[str, Any], str]]:
    """Delete the row when the side kept is the one that deleted it (refused while other
    rows depend on it); of a source, returns its kept edits to set aside."""
    table = found["table_name"]
    kept = json.loads(found[keep]) if found[keep] is not None else None
    row = merging.row_by_uuid(project, table, found["row_uuid"]) if table not in merging.JOINS else None
    if kept not in _DELETED or row is None:
        return []
    held = merging.dependents(project, table, row["id"])
    if held:
        what = ", ".join(english.count_rows(n, t) for t, n in sorted(held.items()))
        raise InputError(f"conflict {found['id']}: keeping the delete would delete this {table[:-1]} and the "
                         f"{what} that depend on it; delete it yourself if you mean to (its command "
                         "says what goes and undo brings it back), or keep the other side; nothing was changed")
    edits = drafts.take_edits(project, w, row["id"]) if table == "sources" else []
    w.delete(table, row["id"])
    return edits


def about(project: Project, row: dict[str, Any]) -> str:
    """The thing a conflict is about, as the user knows it (a source's title, a code's key,
    a speaker's label; a row deleted since as the change log last held it)."""
    table = row["table_name"]
    if table in merging.JOINS:
        return str(table)
    found = merging.last_known(project, table, row["row_uuid"])
    name = next((str(found[c]) for c in ("title", "key", "name", "label", "quote", "name_zh") if found.get(c)),
                str(row["row_uuid"])[:8])
    return f"{table.rstrip('s')} {name}"


def text_places(project: Project, row: dict[str, Any]) -> list[tuple[str, str]]:
    """Where the two texts of a text conflict differ: (mine's words, theirs') at each place."""
    from fieldcase.text.changes import changed_places

    mine, theirs = (merging.text_of(project, str(json.loads(row[side]) if row[side] else "")) or ""
                    for side in ("mine", "theirs"))
    return changed_places(mine, theirs)


def put_side(project: Project, w: Any, found: dict[str, Any], side: str) -> None:
    """Put one side (``mine`` or ``theirs``) of conflict ``found`` in place, as settling with
    it would, without settling it (a value conflict or a text, not a delete)."""
    _take_theirs(project, w, {**found, "theirs": found[side]})


def current_side(project: Project, found: dict[str, Any]) -> str | None:
    """Which side of conflict ``found`` the row holds now (None: neither, or no row)."""
    table, column = found["table_name"], found["field"]
    if table not in TABLES or table in merging.JOINS or found["what"] == "delete":
        return None
    row = merging.row_by_uuid(project, table, found["row_uuid"])
    if row is None or column not in row:
        return None
    value = row[column]
    target = TABLES[table].get(column) or (MEMO_TARGETS.get(row.get("target_type") or "")
                                           if column == "target_id" else None)
    if target and value is not None:
        value = merging.row_by_id(project, target, int(value))["uuid"]
    said = json.dumps(value, ensure_ascii=False)
    return next((side for side in ("mine", "theirs") if found[side] == said), None)


def _take_theirs(project: Project, w: Any, found: dict[str, Any]) -> None:
    table, column = found["table_name"], found["field"]
    stored = merging.row_by_uuid(project, table, found["row_uuid"]) if table not in merging.JOINS else None
    row = [stored] if stored else []
    theirs = json.loads(found["theirs"]) if found["theirs"] is not None else None
    if not row:
        raise InputError(f"conflict {found['id']}: the {table} row it is about is no longer here")
    if found["what"] == "text":
        from fieldcase.store.texts import replace_text

        text = merging.text_of(project, str(theirs))
        if text is None:
            raise InputError(f"conflict {found['id']}: their text was not kept")
        replace_text(project, row[0]["id"], text, writer=w)
        return
    target = TABLES[table].get(column) or (MEMO_TARGETS.get(row[0].get("target_type") or "")
                                           if column == "target_id" else None)
    if target and theirs is not None:
        named = merging.row_by_uuid(project, target, str(theirs))
        if named is None:
            raise InputError(f"conflict {found['id']}: the {target} row their value names is not here")
        theirs = named["id"]
    w.update(table, row[0]["id"], {column: theirs})
