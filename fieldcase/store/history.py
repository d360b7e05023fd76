"""Undo, redo, revert and history, read from the append-only change log.

Each person undoes only their own changes: undo reverses the current user's newest
change still in effect by writing its inverse as a new group (action ``undo``), and redo
reverses the current user's undos (action ``redo``), newest first, until that user makes
a new change. Reverting someone else's change is a separate step that names its author
(action ``revert``); it is a change of the one who reverts, so their undo takes it back.
None of them destroys later work: see :mod:`fieldcase.store.reverting`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store.reverting import group, owner, revert_group

if TYPE_CHECKING:
    from fieldcase.store.project import Project

STEPS = ("undo", "redo")  # actions that step through history rather than change the project


def in_effect(project: Project) -> dict[int, bool]:
    """Whether each group that a later group undoes is still in effect; any other group is.

    A group is in effect unless a group undoing it is in effect itself (an undo that was
    redone is not), so it is settled newest first.
    """
    undone_by: dict[int, list[int]] = {}
    for group_id, target in project.conn.execute(
        "SELECT id, undoes FROM change_groups WHERE undoes IS NOT NULL"
    ):
        undone_by.setdefault(target, []).append(group_id)
    involved = set(undone_by) | {g for groups in undone_by.values() for g in groups}
    effect: dict[int, bool] = {}
    for group_id in sorted(involved, reverse=True):
        effect[group_id] = not any(effect[g] for g in undone_by.get(group_id, ()))
    return effect


def history(
    project: Project, limit: int = 20, *, user: str | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """The newest change groups (of ``user``, else everyone's), newest first.

    ``authors``: of a merge or sync, who made the changes it brought in (what it wrote is
    theirs; ``user`` brought it). ``state`` says ``undone`` of a change no longer in effect, ``redone`` of an undo that
    was redone and ``purged`` of one whose rows a purge erased; ``rows`` is how many rows
    the group wrote. While blind coding is on, others' changes to codings and suggestions
    are left out.
    """
    from fieldcase.store import blinding

    effect = in_effect(project)
    clauses, params = (["g.user = ?"], [user]) if user is not None else ([], [])
    me = blinding.blind_as(project)
    if me is not None:
        clauses.append("(g.user = ? OR NOT EXISTS (SELECT 1 FROM changes c WHERE c.group_id = g.id"
                       " AND c.table_name IN ('codings', 'suggestions')))")
        params.append(me)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = project.query(
        "SELECT g.id, g.at, g.user, g.action, g.summary, g.undoes,"
        " (SELECT count(*) FROM changes c WHERE c.group_id = g.id) AS rows,"
        " (SELECT json_group_array(DISTINCT k.author) FROM known_groups k"
        "  WHERE k.merge_id = g.id AND k.author IS NOT NULL) AS authors,"
        " EXISTS (SELECT 1 FROM changes c WHERE c.group_id = g.id"
        "  AND json_extract(coalesce(c.before, c.after), '$.purged') = 1) AS purged"
        f" FROM change_groups g {where} ORDER BY g.id DESC LIMIT ? OFFSET ?",
        [*params, limit if limit > 0 else -1, offset],
    )
    for row in rows:
        row["authors"] = sorted(json.loads(row["authors"] or "[]"))
        gone = not effect.get(row["id"], True)
        row["undone"] = gone and row["action"] not in STEPS
        row["state"] = ("redone" if row["action"] == "undo" else "undone") if gone else ""
        if row.pop("purged") and row["action"] != "purge":
            row["state"] = "purged"  # its payloads are a purge's tombstone: it can no longer be undone
    return rows


def users(project: Project) -> list[str]:
    """Everyone who has made a change, in the order they first did."""
    return [r[0] for r in project.conn.execute("SELECT user FROM change_groups GROUP BY user ORDER BY min(id)")]


def undoable(project: Project) -> dict[str, Any] | None:
    """The current user's newest change still in effect (what undo would reverse)."""
    effect = in_effect(project)
    for row in project.conn.execute(
        "SELECT id FROM change_groups WHERE user = ? AND action NOT IN ('undo', 'redo') ORDER BY id DESC",
        [project.user],
    ):
        if effect.get(row[0], True):
            return group(project, row[0])
    return None


def undo(project: Project) -> dict[str, Any]:
    """Reverse the current user's newest change still in effect; returns that change."""
    with project.change("undo", "") as w:  # chosen inside the transaction: two undos never pick one change
        target = undoable(project)
        if target is None:
            raise InputError(f"nothing to undo: {project.user} has no change in effect; "
                             "the history lists everyone's")
        if target["action"] == "purge":
            raise InputError(f"cannot undo #{target['id']} ({target['summary']}): a purge cannot be undone, so undo "
                             f"stops there; an earlier change can still be reverted by its number "
                             f"(fieldcase revert ID --of {project.user})")
        if pulled(target):
            raise InputError(f"cannot undo #{target['id']} ({target['summary']}): it brought the team's work from "
                             f"the hub, and undo takes back only your own; a change of theirs is taken back by its "
                             f"author (their undo, then a sync), or by changing it again here; an earlier change of "
                             f"yours with fieldcase revert ID --of {project.user} (fieldcase history lists them)")
        w.summary, w.undoes = f"Undid: {target['summary']}", target["id"]
        revert_group(project, w, target, undoing=target["id"], verb="undo", in_effect=_effect_of(project))
    return target


def pulled(group: dict[str, Any]) -> bool:
    """Whether a change group brought the team's work from the hub (a sync's merge; before
    syncs were named so, a merge whose summary says it came from the hub)."""
    return bool(group["action"] == "sync" or (group["action"] == "merge" and " from the hub " in group["summary"]))


def redo(project: Project) -> dict[str, Any]:
    """Re-apply the change the current user most recently undid; returns it."""
    with project.change("redo", "") as w:
        chain = _redo_chain(project)
        if not chain:
            raise InputError(f"nothing to redo: {project.user} has undone nothing since their last change")
        undo_group = group(project, chain[-1])
        assert undo_group is not None
        original = group(project, undo_group["undoes"])
        assert original is not None
        w.summary, w.undoes = f"Redid: {original['summary']}", undo_group["id"]
        revert_group(project, w, original, undoing=undo_group["id"], verb="redo", in_effect=_effect_of(project))
    return original


def revert(project: Project, group_id: int, of: str) -> dict[str, Any]:
    """Reverse change ``group_id``, which ``of`` made (anyone's, said explicitly); returns it.

    The revert is the current user's change: their own undo takes it back.
    """
    with project.change("revert", "", undoes=group_id) as w:
        target = _revertible(project, group_id, of)
        # stored, and read by everyone: the author's name, never "your"
        w.summary = f"Reverted {of}'s #{group_id}: {target['summary']}"
        revert_group(project, w, target, undoing=group_id, verb="revert", in_effect=_effect_of(project))
    return target


def _revertible(project: Project, group_id: int, of: str) -> dict[str, Any]:
    """Change ``group_id`` if ``of`` made it and it is in effect; else a one-line error."""
    target = group(project, group_id)
    if target is None:
        raise NotFoundError(f"no change #{group_id} (fieldcase history lists them)")
    if target["user"] != of:
        raise InputError(f"change #{group_id} was made by {target['user']}, not {of}; "
                         f"to revert it say --of {target['user']}")
    if target["action"] == "purge":
        raise InputError(f"cannot revert #{group_id} ({target['summary']}): a purge cannot be undone")
    if target["action"] in STEPS:
        raise InputError(f"change #{group_id} is {owner(project, of)} {target['action']} of #{target['undoes']}; "
                         f"only {of} can step it back, with fieldcase {'redo' if target['action'] == 'undo' else 'undo'}")
    if not in_effect(project).get(group_id, True):
        raise InputError(f"change #{group_id} ({target['summary']}) is already undone")
    return target


def _effect_of(project: Project) -> Callable[[int], bool]:
    """Whether a change group is in effect (not undone)."""
    effect = in_effect(project)
    return lambda group_id: effect.get(group_id, True)


def _redo_chain(project: Project) -> list[int]:
    """The current user's undo groups that redo may take back, newest last: those since
    their last change of the project, less the ones already redone."""
    last = project.conn.execute(
        "SELECT max(id) FROM change_groups WHERE user = ? AND action NOT IN ('undo', 'redo')", [project.user]
    ).fetchone()[0] or 0
    chain: list[int] = []
    for group_id, action, target in project.conn.execute(
        "SELECT id, action, undoes FROM change_groups WHERE user = ? AND id > ? ORDER BY id",
        [project.user, last],
    ):
        if action == "undo":
            chain.append(group_id)
        elif target in chain:
            chain.remove(target)
    return chain
