"""Settling what a merge could not decide: keep mine, or take theirs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import merging
from fieldcase.store.merging import MEMO_TARGETS, TABLES

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def settle(project: Project, conflict_id: int, keep: str) -> dict[str, Any]:
    """Settle conflict ``conflict_id``: ``mine`` leaves things as they are, ``theirs`` puts
    their value in place (their text re-anchors the codings like any edit; their delete
    deletes). One change, so undo takes it back. Returns the conflict as settled."""
    if keep not in ("mine", "theirs"):
        raise InputError(f"--keep is mine or theirs, not {keep!r}")
    found = merging.conflict(project, conflict_id)
    if found is None:
        raise NotFoundError(f"no conflict {conflict_id}; `fieldcase conflicts` lists them")
    if found["status"] != "open":
        raise InputError(f"conflict {conflict_id} was settled already ({found['status']} kept)")
    table, key = found["table_name"], found["row_uuid"]
    summary = f"Settled conflict {conflict_id} ({table} {found['field']}): kept {keep}"
    with project.change("conflict.settle", summary) as w:
        if keep == "theirs":
            _take_theirs(project, w, found)
        w.update("conflicts", conflict_id, {"status": keep, "settled_at": w.at, "settled_by": project.user})
    del table, key
    settled = merging.conflict(project, conflict_id)
    assert settled is not None
    return settled


def _take_theirs(project: Project, w: Any, found: dict[str, Any]) -> None:
    table, column = found["table_name"], found["field"]
    stored = merging.row_by_uuid(project, table, found["row_uuid"]) if table not in merging.JOINS else None
    row = [stored] if stored else []
    theirs = json.loads(found["theirs"]) if found["theirs"] is not None else None
    if found["what"] == "delete":
        if theirs == "deleted there" and row:
            held = merging.dependents(project, table, row[0]["id"])
            if held:
                what = ", ".join(f"{n} {t}" for t, n in sorted(held.items()))
                raise InputError(f"conflict {found['id']}: taking theirs would delete this {table[:-1]} and the "
                                 f"{what} that depend on it; delete it yourself if you mean to (its command "
                                 "says what goes and undo brings it back), or keep mine; nothing was changed")
            w.delete(table, row[0]["id"])
        return
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
