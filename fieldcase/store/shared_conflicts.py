"""The project's side of conflicts shared through a hub: each conflict's lasting id (the same
on every member), the conflicts found here for the hub, and those found elsewhere taken in.

A conflict pulled from the hub is a fact of the team's, not a change made here: it is written
outside the change log (undo does not take it back), with ``found_in`` 0, as
:func:`fieldcase.store.merging.note_known` notes groups known without a change.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# what a conflict is about and its two values: the rest (who found it, where) may differ
_IDENTITY = ("table_name", "row_uuid", "field", "what")


def conflict_id(row: dict[str, Any]) -> str:
    """The lasting id of a conflict: a hash of what it is about and its two values taken
    either way round, so that members who find the same disagreement (from either side)
    give it the same id."""
    values = sorted(json.dumps(row[c]) for c in ("mine", "theirs"))
    said = json.dumps([*(row[c] for c in _IDENTITY), values], ensure_ascii=False)
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:32]


def kept_value(row: dict[str, Any], keep: str) -> str | None:
    """The value (as stored, JSON) that settling ``row`` with ``keep`` left current."""
    value = row["mine"] if keep == "mine" else row["theirs"]
    return None if value is None else str(value)


def keep_for(row: dict[str, Any], value: str | None) -> str:
    """Which side of ``row`` holds ``value``: a settlement made against the other way round."""
    return "mine" if row["mine"] == value else "theirs"


def local_conflicts(project: Project) -> list[dict[str, Any]]:
    """Every conflict here, settled or not, each with its lasting id (``shared_id``) and the
    UUID of the change group that found it (``found_group``; None for one taken in)."""
    rows = project.query(
        "SELECT c.*, g.uuid AS found_group, g.user AS found_user FROM conflicts c"
        " LEFT JOIN change_groups g ON g.id = c.found_in ORDER BY c.id")
    for row in rows:
        row["shared_id"] = conflict_id(row)
    return rows


# a change group that writes others' values under the user who runs it: never their own side
_NOT_OWN = ("merge", "sync", "conflict.align", "conflict.settle", "undo", "redo", "revert", "purge")


def own_side(project: Project, row: dict[str, Any]) -> str | None:
    """Which side of conflict ``row`` (as found by someone else) the current user set by a
    change of their own: ``mine``, ``theirs``, or None (neither: a third member's)."""
    found = project.query(
        "SELECT c.op, c.after FROM changes c JOIN change_groups g ON g.id = c.group_id"
        " WHERE c.row_uuid = ? AND c.table_name = ? AND g.user = ?"
        f" AND g.action NOT IN ({', '.join('?' for _ in _NOT_OWN)}) ORDER BY c.id DESC",
        [row["row_uuid"], row["table_name"], project.user, *_NOT_OWN])
    sides = {side: row[side] for side in ("mine", "theirs")}
    if row["what"] == "delete":
        deleted = [side for side, value in sides.items() if value is not None and json.loads(value) == "deleted"]
        if len(deleted) != 1 or not found:
            return None
        if any(f["op"] == "delete" for f in found):
            return deleted[0]
        return "theirs" if deleted[0] == "mine" else "mine"
    for change in found:
        after = json.loads(change["after"]) if change["op"] != "delete" and change["after"] else None
        if not isinstance(after, dict) or row["field"] not in after:
            continue
        said = json.dumps(after[row["field"]], ensure_ascii=False)
        return next((side for side, value in sides.items() if value == said), None)
    return None


def erased_here(project: Project, row_uuids: set[str]) -> set[str]:
    """Of these row UUIDs, those a purge here erased (a conflict about them is not taken in
    again: it may hold the words the purge took out)."""
    return {r[0] for r in project.conn.execute(
        "SELECT DISTINCT c.row_uuid FROM changes c JOIN change_groups g ON g.id = c.group_id"
        " WHERE g.action = 'purge' AND c.op = 'delete'"
        " AND c.row_uuid IN (SELECT value FROM json_each(?))", [json.dumps(sorted(row_uuids))])}


def missing_texts(project: Project, hashes: set[str]) -> set[str]:
    """Of these text hashes, those the project holds neither as a source's text nor kept."""
    held = {r[0] for r in project.conn.execute(
        "SELECT text_sha256 FROM sources WHERE text_sha256 IN (SELECT value FROM json_each(?1))"
        " UNION SELECT sha256 FROM text_versions WHERE sha256 IN (SELECT value FROM json_each(?1))",
        [json.dumps(sorted(hashes))])}
    return hashes - held


def take_in(project: Project, found: list[dict[str, Any]], settled: list[tuple[int, str, str, str]],
            texts: dict[str, str], at: str) -> None:
    """Write the conflicts found elsewhere (``found``: rows as the conflicts table holds them,
    without ``id``), the settlements that stand on the hub of conflicts here (``settled``:
    (id, status, settled_at, settled_by)) and the texts they name, in one transaction."""
    with project.transaction():
        project.conn.executemany(
            "INSERT OR IGNORE INTO text_versions (sha256, text, saved_at) VALUES (?, ?, ?)",
            [(sha, text, at) for sha, text in sorted(texts.items())])
        project.conn.executemany(
            "INSERT OR IGNORE INTO conflicts (table_name, row_uuid, field, mine, theirs, what, other, found_in,"
            " status, settled_at, settled_by) VALUES (:table_name, :row_uuid, :field, :mine, :theirs, :what,"
            " :other, 0, :status, :settled_at, :settled_by)", found)
        project.conn.executemany(
            "UPDATE conflicts SET status = ?, settled_at = ?, settled_by = ? WHERE id = ?",
            [(status, at_, by, conflict) for conflict, status, at_, by in settled])
