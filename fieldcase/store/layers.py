"""Coder layers: each coder's codings as spans, the sources each of several coders has
coded, and adopting one coder's coding into another layer (``consensus``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

from fieldcase.errors import InputError
from fieldcase.store import blinding, codings
from fieldcase.store.rows import Coding

if TYPE_CHECKING:
    from fieldcase.store.project import Project

CONSENSUS = "consensus"
"""The layer a team's agreed codings are adopted into."""


class Spanned(NamedTuple):
    """One active coding, as agreement reads it."""

    id: int
    source_id: int
    code_id: int
    coder: str
    start: int
    end: int


def spans(project: Project, coders: list[str], source_ids: list[int]) -> list[Spanned]:
    """The active codings of ``coders`` in the given sources, in source and text order
    (refused while blind coding hides any of them)."""
    blinding.refuse_others(project, coders, "comparing coders")
    rows = project.conn.execute(
        "SELECT id, source_id, code_id, coder, start_offset, end_offset FROM codings"
        " WHERE status = 'active' AND coder IN (SELECT value FROM json_each(?))"
        " AND source_id IN (SELECT value FROM json_each(?))",
        [json.dumps(coders), json.dumps(source_ids)],
    ).fetchall()
    return sorted((Spanned(*row) for row in rows), key=lambda s: (s.source_id, s.start, s.end, s.id))


def coded_by_each(project: Project, coders: list[str]) -> list[int]:
    """Ids of the sources in which every one of ``coders`` has an active coding, in id order
    (refused while blind coding hides any of them)."""
    blinding.refuse_others(project, coders, "comparing coders")
    return [r[0] for r in project.conn.execute(
        "SELECT source_id FROM codings WHERE status = 'active' AND coder IN (SELECT value FROM json_each(?))"
        " GROUP BY source_id HAVING count(DISTINCT coder) = ? ORDER BY source_id",
        [json.dumps(coders), len(set(coders))],
    )]


def sources_of_case(project: Project, case: str | int) -> list[int]:
    """Ids of the sources a case is in: linked to it, or with a speaker who is that case."""
    from fieldcase.store import cases

    case_id = cases.find(project, case)["id"]
    return [r[0] for r in project.conn.execute(
        "SELECT source_id FROM source_cases WHERE case_id = ? UNION SELECT source_id FROM speakers"
        " WHERE case_id = ? ORDER BY 1", [case_id, case_id],
    )]


def adopt(project: Project, coding_id: int | str, coder: str = CONSENSUS) -> tuple[Coding, bool]:
    """Copy a coding (its code and words, not its memo) into ``coder``'s layer, as one
    change; returns the copy and whether it is new (one already there is returned as is)."""
    found = codings.find(project, coding_id)
    coder = coder.strip()
    if not coder:
        raise InputError("name the layer to adopt into (--coder consensus)")
    if found["status"] != "active":
        raise InputError(f"coding {found['id']} lost its words in a text edit; re-anchor it before adopting it")
    if found["coder"] == coder:
        raise InputError(f"coding {found['id']} is already {coder}'s")
    described = codings.describe(codings.get(project, found["id"]))
    with project.change("coding.adopt", f"Adopted {described} by {found['coder']} into {coder}") as w:
        return codings.add(project, found["source_id"], found["code_id"], found["start_offset"],
                           found["end_offset"], coder=coder, writer=w)


def coders(project: Project) -> list[str]:
    """Everyone with an active coding in the project, in name order (only the user while
    blind coding is on)."""
    found = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT coder FROM codings WHERE status = 'active' ORDER BY coder")]
    shown = blinding.visible(project, None)
    return found if shown is None else [c for c in found if c in shown]
