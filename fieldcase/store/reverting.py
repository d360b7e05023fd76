"""Writing the inverse of a change group, refusing when later work stands on it.

A revert never destroys work done since the change it reverses: it stops with one line
naming the change in the way when a later change still in effect touched the same rows,
when a row it would delete is used by another (a colleague's coding on a code it added,
a memo on it, an unsaved draft), or when a row it would put back lost what it needs or
its place. The whole revert is one transaction, so a refusal leaves nothing half done.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError
from fieldcase.store.db import errors as db_errors, foreign_keys

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

InEffect = Callable[[int], bool]

_STAMPS = {"modified_at", "modified_by"}
# What a memo's target_type means, by the table of its target.
_MEMO_TARGETS = {"sites": "site", "cases": "case", "sources": "source", "codes": "code", "codings": "coding"}
# Rows that may go with what they point at: derived data that is made again when needed.
_DERIVED = {"word_cache": "1", "suggestions": "status = 'open' AND decided_by IS NULL"}
_STEPS = ("undo", "redo")


class Refused(InputError):
    """A revert that would harm other work; ``head`` names that work, ``advice`` how to go on."""

    def __init__(self, head: str, advice: str, blocker: dict[str, Any] | None) -> None:
        super().__init__(f"{head}; {advice}")
        self.head = head
        self.advice = advice
        self.blocker = blocker


def group(project: Project, group_id: int) -> dict[str, Any] | None:
    """One change group (id, at, user, action, summary, undoes), or ``None``."""
    rows = project.query(
        "SELECT id, at, user, action, summary, undoes FROM change_groups WHERE id = ?", [group_id]
    )
    return rows[0] if rows else None


def owner(project: Project, user: str) -> str:
    """``your`` for the current user, else ``NAME's``."""
    return "your" if user == project.user else f"{user}'s"


def describe(project: Project, found: dict[str, Any]) -> str:
    """``li's change #45 (Coded … in source 4 [3, 9))``."""
    return f"{owner(project, found['user'])} change #{found['id']} ({found['summary']})"


def revert_group(
    project: Project, w: ChangeWriter, target: dict[str, Any], *, undoing: int, verb: str,
    in_effect: InEffect,
) -> None:
    """Write the inverse of group ``undoing`` (``target`` is what the user asked to
    ``verb``: the same group, or the original of an undo being redone)."""
    refuse = _Refuser(project, target, verb, in_effect, undoing)
    purged = _purged_in(project, undoing)
    if purged is not None:
        raise refuse(None, f"was erased by purge #{purged['change']} ({purged['what']}, by {purged['by']})",
                     "what it changed", "a purge cannot be undone")
    later = _later_overlap(project, undoing, in_effect)
    if later is not None:
        raise refuse(later, "changed the same rows since")
    w.open_group()  # recorded even when nothing is left to write, so the change counts as undone
    changes = project.query(
        "SELECT op, table_name, row_id, before, after FROM changes WHERE group_id = ? ORDER BY seq DESC",
        [undoing],
    )
    # sources whose text this group changes too: its codings' offsets go back with the text
    edited = {c["row_id"] for c in changes if c["table_name"] == "sources" and c["op"] == "update"}
    for change in changes:
        try:
            _step(project, w, change, refuse, edited)
        except db_errors("IntegrityError") as err:
            row = json.loads(change["before"] or change["after"])
            raise refuse.integrity(change["table_name"], row, err) from err


def _step(project: Project, w: ChangeWriter, change: dict[str, Any], refuse: _Refuser, edited: set[int]) -> None:
    """Undo one logged row change, after checking that nobody else's work is in the way."""
    table, row_id = change["table_name"], change["row_id"]
    before = json.loads(change["before"]) if change["before"] else None
    after = json.loads(change["after"]) if change["after"] else None
    exists = _exists(project, table, row_id)
    if change["op"] == "insert":
        if exists:
            refuse.dependents(table, row_id)
            w.delete(table, row_id)
        return
    assert before is not None
    if change["op"] == "delete":
        if exists:
            raise refuse.holder(table, row_id, "now holds its place")
        refuse.parents(table, before)
        placed = table == "codings" and before["source_id"] not in edited
        w.restore(table, _placed(project, before) if placed else _with_text(project, table, before))
        return
    assert after is not None
    values = {k: before[k] for k in before if k not in _STAMPS and before[k] != after.get(k)}
    if not values:
        return
    if not exists:
        raise refuse.remover(table, row_id)
    refuse.parents(table, values)
    if table == "sources" and "text_sha256" in values:
        refuse.anchored(row_id)
    w.update(table, row_id, _with_text(project, table, {**values}, full=before))


class _Refuser:
    """Finds the change in the way of a revert and words the refusal."""

    def __init__(self, project: Project, target: dict[str, Any], verb: str, in_effect: InEffect,
                 undoing: int) -> None:
        self.project = project
        self.undoing = undoing
        self.target = target
        self.verb = verb
        self.in_effect = in_effect
        # groups written from now on (the revert's own) are never in the way
        self.newest = project.conn.execute("SELECT max(id) FROM change_groups").fetchone()[0] or 0
        self.keys = foreign_keys(project.conn)

    def __call__(self, blocker: dict[str, Any] | None, why: str, what: str = "other work",
                 advice: str = "nothing was changed") -> Refused:
        project = self.project
        me = project.user
        head = f"cannot {self.verb} #{self.target['id']} ({self.target['summary']}): "
        if blocker is not None and blocker["action"] == "purge":
            return Refused(head + f"{describe(project, blocker)} {why}", "a purge cannot be undone", None)
        if blocker is None:
            return Refused(head + f"{what} {why}", advice, None)
        head += f"{describe(project, blocker)} {why}"
        return Refused(head, _advice(blocker, me), blocker)

    def dependents(self, table: str, row_id: int) -> None:
        """Refuse if a row outside this revert points at the row about to be deleted."""
        for child_table, child_id in _dependents(self.project, self.keys, table, row_id):
            if child_table == "drafts":
                draft = self.project.query("SELECT created_by FROM drafts WHERE id = ?", [child_id])[0]
                raise self(None, "depends on it", f"{owner(self.project, draft['created_by'])} unsaved draft "
                           f"#{child_id}", "store or discard the draft first")
            raise self(self.last_change(child_table, child_id), "depends on what it made",
                       f"row {child_id} of {child_table}")

    def anchored(self, source_id: int) -> None:
        """Refuse to change a text back under codings made or moved on it since."""
        for (group_id,) in self.project.conn.execute(
            "SELECT DISTINCT c.group_id FROM codings k JOIN changes c ON c.table_name = 'codings'"
            " AND c.row_id = k.id WHERE k.source_id = ? AND c.group_id > ? AND c.group_id <= ?"
            " ORDER BY c.group_id DESC", [source_id, self.undoing, self.newest],
        ):
            found = group(self.project, group_id)
            if found is not None and found["action"] not in _STEPS and self.in_effect(group_id):
                raise self(found, "coded the text it changed since")

    def parents(self, table: str, values: dict[str, Any]) -> None:
        """Refuse if a row to be written points at a row that is gone."""
        for child, column, parent_table in self.keys:
            parent_id = values.get(column) if child == table else None
            if parent_id is not None and not _exists(self.project, parent_table, parent_id):
                raise self.remover(parent_table, parent_id, "removed what it needs")

    def holder(self, table: str, row_id: int, why: str) -> Refused:
        return self(self.last_change(table, row_id), why, f"row {row_id} of {table}")

    def remover(self, table: str, row_id: int, why: str = "removed it since") -> Refused:
        found = self.project.conn.execute(
            "SELECT group_id FROM changes WHERE table_name = ? AND row_id = ? AND op = 'delete'"
            " ORDER BY group_id DESC LIMIT 1", [table, row_id],
        ).fetchone()
        if found is None:
            return self(None, "is gone, removed outside the change log", f"row {row_id} of {table}")
        return self(group(self.project, found[0]), why)

    def integrity(self, table: str, row: dict[str, Any], err: Exception) -> Refused:
        """A constraint the revert would break: name the row that holds the same values."""
        match = re.fullmatch(r"UNIQUE constraint failed: (\w+\.\w+(?:, \w+\.\w+)*)", str(err))
        if match:
            columns = [c.split(".")[1] for c in match.group(1).split(", ")]
            where = " AND ".join(f'"{c}" IS ?' for c in columns)
            found = self.project.conn.execute(
                f'SELECT id FROM "{table}" WHERE {where} AND id != ?', [*(row.get(c) for c in columns), row["id"]]
            ).fetchone()
            if found is not None:
                return self.holder(table, found[0], "now holds the same " + ", ".join(columns))
        return self(None, f"is in the way ({err})", f"a row of {table}")

    def last_change(self, table: str, row_id: int) -> dict[str, Any] | None:
        """The newest change still in effect that wrote a row (the one to undo to free it)."""
        ids = [r[0] for r in self.project.conn.execute(
            "SELECT DISTINCT group_id FROM changes WHERE table_name = ? AND row_id = ? AND group_id <= ?"
            " ORDER BY group_id DESC", [table, row_id, self.newest],
        )]
        for group_id in ids:
            found = group(self.project, group_id)
            if found is not None and found["action"] not in _STEPS and self.in_effect(group_id):
                return found
        return group(self.project, ids[0]) if ids else None


def _advice(blocker: dict[str, Any], me: str) -> str:
    """How to get the blocking change out of the way: its author steps it back, or anyone reverts it."""
    who = "you" if blocker["user"] == me else blocker["user"]
    if blocker["action"] in _STEPS:
        step = "redo" if blocker["action"] == "undo" else "undo"
        return f"{who} can {step} it first (fieldcase {step})"
    revert = f"fieldcase revert {blocker['id']} --of {blocker['user']}"
    if who == "you":
        return f"undo it first, or: {revert}"
    return f"{who} can undo it, or you can revert it first: {revert}"


def _later_overlap(project: Project, group_id: int, in_effect: InEffect) -> dict[str, Any] | None:
    """The newest later change still in effect that touched a row this group touched."""
    later = project.conn.execute(
        "SELECT DISTINCT other.group_id FROM changes mine JOIN changes other"
        " ON other.table_name = mine.table_name AND other.row_id = mine.row_id"
        " WHERE mine.group_id = ? AND other.group_id > ? ORDER BY other.group_id DESC",
        [group_id, group_id],
    ).fetchall()
    for (other_id,) in later:
        found = group(project, other_id)
        if found is not None and found["action"] not in _STEPS and in_effect(other_id):
            return found
    return None


def _purged_in(project: Project, group_id: int) -> dict[str, Any] | None:
    """The tombstone of the purge that erased what a group wrote, if one did."""
    found = project.conn.execute(
        "SELECT coalesce(before, after) FROM changes WHERE group_id = ?"
        " AND json_extract(coalesce(before, after), '$.purged') = 1 LIMIT 1", [group_id]).fetchone()
    return json.loads(found[0]) if found else None


def _exists(project: Project, table: str, row_id: int) -> bool:
    return project.conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [row_id]).fetchone() is not None


def _dependents(
    project: Project, keys: list[tuple[str, str, str]], table: str, row_id: int
) -> list[tuple[str, int]]:
    """Rows that point at a row (by a foreign key, or as a memo's target), derived data aside."""
    found: list[tuple[str, int]] = []
    for child, column, parent in keys:
        if parent != table:
            continue
        derived = _DERIVED.get(child)
        keep = f" AND NOT ({derived})" if derived else ""
        id_column = "source_id" if child == "word_cache" else "id"
        found += [(child, r[0]) for r in project.conn.execute(
            f'SELECT {id_column} FROM "{child}" WHERE "{column}" = ?{keep}', [row_id])]
    if table in _MEMO_TARGETS:
        found += [("memos", r[0]) for r in project.conn.execute(
            "SELECT id FROM memos WHERE target_type = ? AND target_id = ?", [_MEMO_TARGETS[table], row_id])]
    return found


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


def _placed(project: Project, coding: dict[str, Any]) -> dict[str, Any]:
    """A coding put back by an undo, on its words in its source's text as it is now: the text
    may have been edited since the coding was deleted (by someone else, or before a merge).
    Where the words are no longer at its offsets it goes to the nearest place that holds
    them, or, when none does, stays orphaned at its old place to be re-anchored by hand."""
    found = project.conn.execute("SELECT text FROM sources WHERE id = ?", [coding["source_id"]]).fetchone()
    start, end, quote = coding["start_offset"], coding["end_offset"], coding["quote"] or ""
    if found is None or coding["status"] != "active" or found[0][start:end] == quote:
        return coding
    text = found[0]
    places, at = [], text.find(quote) if quote else -1
    while at >= 0:
        places.append(at)
        at = text.find(quote, at + 1)
    if not places:
        lost = min(start, len(text))
        return {**coding, "status": "orphaned", "start_offset": lost, "end_offset": lost}
    best = min(places, key=lambda p: (abs(p - start), p))
    return {**coding, "start_offset": best, "end_offset": best + len(quote)}
