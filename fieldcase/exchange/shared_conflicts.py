"""Conflicts as the team's shared facts: what one member's sync (or merge) found, every
member lists; what one member settled, every member sees settled.

A sync pushes the conflicts found here that the hub lacks and the settlements made here of
conflicts the hub has open, then takes in the hub's conflicts and settlements this project
lacks. Each conflict is known everywhere by its lasting id (:func:`conflict_id`), so two
members who find the same one store it once. ``mine`` and ``theirs`` keep the finder's
sides: ``mine`` is the value the finder kept current, which the others take at their sync
(the finder pushed it as its own change). Each member lists it from their own side: one
whose own change set the finder's ``theirs`` holds it the other way round (``mine``: their
value), so ``--keep mine`` keeps what they set. A settlement's values, not its
words, are what travel: one made against the same conflict found the other way round is
read by the value it kept. Settling writes its value through the change log like any
change, so it reaches the others by the sync itself; here only the conflict's state moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldcase.exchange.conflicts import current_side, put_side
from fieldcase.hubstore import conflicts as hub_conflicts
from fieldcase.hubstore import sync as hub
from fieldcase.store import shared_conflicts as local
from fieldcase.store.shared_conflicts import conflict_id, keep_for, kept_value

if TYPE_CHECKING:
    from fieldcase.hubstore.sync import HubConnection
    from fieldcase.store.project import Project

__all__ = ["Shared", "conflict_id", "share"]


@dataclass
class Shared:
    """What one sync did with the team's conflicts."""

    pushed: int = 0  # conflicts found here, now on the hub
    settled_pushed: int = 0  # settlements made here, now on the hub
    pulled: int = 0  # conflicts found elsewhere, now listed here
    settled_pulled: int = 0  # conflicts open here that someone settled
    aligned: int = 0  # values put in place: the side the team's conflicts hold


def share(project: Project, conn: HubConnection, *, write: bool, at: str) -> Shared:
    """Push this project's conflicts and settlements the hub lacks (when ``write``), then take
    in the hub's that this project lacks; inside the caller's hub transaction."""
    done = Shared()
    here = local.local_conflicts(project)
    on_hub = {r["id"]: r for r in hub_conflicts.shared(conn)}
    if write:
        _push(conn, here, on_hub, done)
    _pull(project, conn, here, on_hub, done, at)
    return done


def _push(conn: HubConnection, here: list[dict[str, Any]], on_hub: dict[str, dict[str, Any]],
          done: Shared) -> None:
    found: dict[str, dict[str, Any]] = {}
    for row in here:
        key = row["shared_id"]
        if key in on_hub or key in found or row["found_group"] is None:
            continue  # (one taken in from the hub and gone from it since went by a purge there)
        found[key] = {"id": key, **{c: row[c] for c in hub_conflicts.FOUND_COLUMNS if c in row and c != "id"},
                      "found_in": row["found_group"], "found_by": row["found_user"] or "?"}
    hub_conflicts.put_found(conn, list(found.values()))
    on_hub.update({k: {**v, "keep": None} for k, v in found.items()})
    settled: dict[str, tuple[str, str, str, str]] = {}
    for row in here:
        there = on_hub.get(row["shared_id"])
        if row["status"] == "open" or there is None or there["keep"] is not None or row["shared_id"] in settled:
            continue
        keep = keep_for(there, kept_value(row, row["status"]))
        settled[row["shared_id"]] = (row["shared_id"], keep, row["settled_at"] or "", row["settled_by"] or "?")
        there.update(keep=keep, settled_at=row["settled_at"], settled_by=row["settled_by"])
    hub_conflicts.put_settled(conn, list(settled.values()))
    done.pushed, done.settled_pushed = len(found), len(settled)


def _pull(project: Project, conn: HubConnection, here: list[dict[str, Any]], on_hub: dict[str, dict[str, Any]],
          done: Shared, at: str) -> None:
    mine: dict[str, dict[str, Any]] = {}
    for row in here:
        mine.setdefault(row["shared_id"], row)
    new = [r for key, r in on_hub.items() if key not in mine]
    erased = local.erased_here(project, {r["row_uuid"] for r in new})
    found = [_as_here(project, r) for r in new if r["row_uuid"] not in erased]
    settled = []
    # the value each conflict that arrives (or is settled) here leaves current: what the
    # hub says, put in place where this project holds the other side
    align = [(r, "mine" if r["keep"] is None else r["keep"]) for r in new if r["row_uuid"] not in erased]
    for key, there in on_hub.items():
        held = mine.get(key)
        if held is None:
            continue
        if there["keep"] is None:
            if held["status"] == "open" and held["found_group"] is not None and held["mine"] != there["mine"]:
                align.append((there, "mine"))  # found here the other way round: the hub's first stands
            continue
        status = keep_for(held, kept_value(there, there["keep"]))
        if held["status"] != status:  # open here, or settled here too late: the hub's first stands
            settled.append((int(held["id"]), status, str(there["settled_at"]), str(there["settled_by"])))
            align.append((there, there["keep"]))
    hashes = {str(json.loads(r[side])) for r in found if r["what"] == "text" for side in ("mine", "theirs")
              if r[side] is not None}
    missing = local.missing_texts(project, hashes)
    texts = hub.texts(conn, missing) if missing else {}
    if found or settled:
        local.take_in(project, found, settled, texts, at)
    done.pulled, done.settled_pulled = len(found), len(settled)
    done.aligned = _align(project, align)


def _align(project: Project, wanted: list[tuple[dict[str, Any], str]]) -> int:
    """Put in place the side of each conflict the team holds, where this project holds the
    other (a value changed since to something else is left as it is); one change group,
    pushed with the rest, so the members' values meet. How many were put in place."""
    from fieldcase.errors import FieldcaseError

    todo = [(found, side) for found, side in wanted if current_side(project, found) not in (None, side)]
    if not todo:
        return 0
    with project.change("conflict.align", f"Took the team's side of {len(todo)} conflicts from the hub") as w:
        for found, side in todo:
            try:
                put_side(project, w, found, side)
            except FieldcaseError:
                continue  # (its row or text is not here: it stays listed, to settle by hand)
    return len(todo)


def _as_here(project: Project, row: dict[str, Any]) -> dict[str, Any]:
    """A hub conflict as this project's conflicts table holds it: ``mine`` is the side this
    member set when one of their own changes set it (the finder's ``theirs``), else the
    finder's ``mine``; a settlement is read by the value it kept."""
    keep = row["keep"]
    mine, theirs = row["mine"], row["theirs"]
    if local.own_side(project, row) == "theirs":
        mine, theirs = theirs, mine
    status = "open" if keep is None else keep_for({"mine": mine}, kept_value(row, keep))
    return {"table_name": row["table_name"], "row_uuid": row["row_uuid"], "field": row["field"],
            "mine": mine, "theirs": theirs, "what": row["what"],
            "other": f"found by {row['found_by']} merging {row['other']}",
            "status": status, "settled_at": row["settled_at"] if keep else None,
            "settled_by": row["settled_by"] if keep else None}
