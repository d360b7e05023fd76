"""Stored coding suggestions and the researcher's decisions on them.

Generated suggestions are derived data and are replaced by the next run; a decision
(accept, reject, widen) goes through the change log, so it can be undone, and a
rejected suggestion is remembered by its code and words so it is not offered again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import scoping
from fieldcase.store.changes import now

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.store.rows import Coding

STATUSES = ("open", "accepted", "rejected")


@dataclass
class Known:
    """What keeps a span from being suggested again."""

    coded: dict[tuple[int, int], list[tuple[int, int]]]  # (source, code) -> coded spans
    rejected: set[tuple[int, int, str]]  # (source, code, quote)
    decided: set[tuple[int, int, int, int]]  # (source, code, start, end)

    def excludes(self, source_id: int, code_id: int, start: int, end: int, quote: str) -> bool:
        """Whether this span is rejected, decided, or mostly coded with the code already."""
        if (source_id, code_id, quote) in self.rejected or (source_id, code_id, start, end) in self.decided:
            return True
        for s, e in self.coded.get((source_id, code_id), ()):
            if min(e, end) - max(s, start) >= (end - start) / 2:
                return True
        return False


def _in(column: str, values: list[int]) -> tuple[str, list[str]]:
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(values)]


def known(project: Project, source_ids: list[int], code_ids: list[int]) -> Known:
    """Codings and decisions on these sources and codes (only the user's while blind)."""
    from fieldcase.store import blinding

    in_sources, p1 = _in("source_id", source_ids)
    in_codes, p2 = _in("code_id", code_ids)
    shown = blinding.visible(project, None)
    by_coder = "" if shown is None else " AND coder IN (SELECT value FROM json_each(?))"
    coded: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in project.conn.execute(
        f"SELECT source_id, code_id, start_offset, end_offset FROM codings WHERE status = 'active'"
        f" AND {in_sources} AND {in_codes}{by_coder}", [*p1, *p2, *([] if shown is None else [json.dumps(shown)])]
    ):
        coded.setdefault((r[0], r[1]), []).append((r[2], r[3]))
    rejected, decided = set(), set()
    for r in project.conn.execute(
        f"SELECT source_id, code_id, start_offset, end_offset, quote, status FROM suggestions"
        f" WHERE (status != 'open' OR decided_by IS NOT NULL) AND {in_sources} AND {in_codes}", [*p1, *p2]
    ):
        decided.add((r[0], r[1], r[2], r[3]))
        if r[5] == "rejected":
            rejected.add((r[0], r[1], r[4]))
        elif r[5] == "open":  # widened: what it now covers is not suggested again in pieces
            coded.setdefault((r[0], r[1]), []).append((r[2], r[3]))
    return Known(coded, rejected, decided)


def replace_open(
    project: Project, source_ids: list[int], code_ids: list[int], rows: list[tuple[Any, ...]]
) -> set[tuple[int, int, int, int]]:
    """Put fresh suggestions in place of the open ones for these sources and codes. A row is
    ``(source_id, code_id, start, end, unit, quote, score, triggers_json)``.

    A suggestion made again keeps its id (so ``suggestions accept 12`` still means the same
    words after a re-run); open ones not made again go. Returns the new ones'
    ``(source_id, code_id, start, end)``.
    """
    in_sources, p1 = _in("source_id", source_ids)
    in_codes, p2 = _in("code_id", code_ids)
    stamp = now()
    with project.transaction():
        old = {
            (r[1], r[2], r[3], r[4]): r[0]
            for r in project.conn.execute(
                f"SELECT id, source_id, code_id, start_offset, end_offset FROM suggestions"
                f" WHERE status = 'open' AND decided_by IS NULL AND {in_sources} AND {in_codes}",
                [*p1, *p2],
            )
        }
        again, fresh, made = [], [], set()
        for row in rows:
            key = (row[0], row[1], row[2], row[3])
            kept = old.pop(key, None)
            if kept is None:
                fresh.append((*row, stamp))
                made.add(key)
            else:
                again.append((row[4], row[5], row[6], row[7], kept))
        project.conn.executemany("DELETE FROM suggestions WHERE id = ?", [(i,) for i in old.values()])
        project.conn.executemany(
            "UPDATE suggestions SET unit = ?, quote = ?, score = ?, triggers = ? WHERE id = ?", again
        )
        project.conn.executemany(
            "INSERT OR IGNORE INTO suggestions (source_id, code_id, start_offset, end_offset, unit, quote,"
            " score, triggers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            fresh,
        )
    return made


_SELECT = (
    "SELECT g.id, g.source_id, s.title AS source_title, g.code_id, c.key AS code_key, c.name_zh AS code_name_zh,"
    " c.name_en AS code_name_en, c.color AS code_color, g.start_offset AS start, g.end_offset AS end, g.unit,"
    " g.quote, g.score, g.triggers, g.status, g.decided_by, g.decided_at, g.coding_id"
    " FROM suggestions g JOIN codes c ON c.id = g.code_id JOIN sources s ON s.id = g.source_id"
)


def _decode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["triggers"] = json.loads(row["triggers"])
    return rows


ORDERS = {
    "text": "g.source_id, g.start_offset, g.score DESC, c.position",
    "score": "g.score DESC, g.source_id, g.start_offset, c.position",
}


def list_all(
    project: Project, scope: Scope | None = None, *, status: str | None = "open", min_score: float = 0.0,
    order: str = "text", **narrow: Unpack[Narrowing],
) -> list[dict[str, Any]]:
    """Suggestions in a scope (a code takes its sub-codes) in source and text order (best
    first at one place), or with ``order="score"`` best first, then in text order."""
    if order not in ORDERS:
        raise InputError(f"suggestions are listed in {' or '.join(ORDERS)} order, not {order!r}")
    where = scoping.Where()
    where.add("g.score >= ?", min_score)
    if status is not None:
        if status not in STATUSES:
            raise InputError(f"a suggestion is open, accepted or rejected, not {status!r}")
        where.add("g.status = ?", status)
    where.extend(scoping.where(project, Scope.of(scope, **narrow), scoping.SUGGESTIONS))
    return _decode(project.query(f"{_SELECT}{where.sql()} ORDER BY {ORDERS[order]}", where.params))


def get(project: Project, suggestion_id: int) -> dict[str, Any]:
    """One suggestion."""
    rows = project.query(f"{_SELECT} WHERE g.id = ?", [suggestion_id])
    if not rows:
        raise NotFoundError(f"no suggestion {suggestion_id}")
    return _decode(rows)[0]


def _what(row: dict[str, Any]) -> str:
    """A suggestion as history names it: its code by name, its source by title."""
    return f"{row['code_name_zh'] or row['code_name_en'] or row['code_key']} in {row['source_title']}"


def _open(project: Project, suggestion_id: int) -> dict[str, Any]:
    row = get(project, suggestion_id)
    if row["status"] != "open":
        raise InputError(f"suggestion {suggestion_id} was already {row['status']}")
    return row


def accept(project: Project, suggestion_id: int, *, coder: str | None = None) -> Coding:
    """Code the suggested span, by ``coder`` (default: the project user); returns the coding."""
    from fieldcase.store import codings

    row = _open(project, suggestion_id)
    with project.change("suggestion.accept", f"Coded {_what(row)} (accepted suggestion {suggestion_id})") as w:
        coding, _ = codings.add(project, row["source_id"], row["code_id"], row["start"], row["end"],
                                coder=coder, writer=w)
        w.update("suggestions", suggestion_id, {"status": "accepted", "decided_by": coder or project.user,
                                                "decided_at": now(), "coding_id": coding["id"]})
    return coding


def reject(project: Project, suggestion_id: int) -> None:
    """Turn a suggestion down; the same words are not suggested for the code again."""
    row = _open(project, suggestion_id)
    with project.change("suggestion.reject", f"Rejected suggestion {suggestion_id}: {_what(row)}") as w:
        w.update("suggestions", suggestion_id, {"status": "rejected", "decided_by": project.user,
                                                "decided_at": now()})


def widen(project: Project, suggestion_id: int) -> dict[str, Any]:
    """Grow a suggestion to the next larger unit: sentence → speaker turn → paragraph."""
    from fieldcase.store import sources
    from fieldcase.text.suggest import widen as wider

    row = _open(project, suggestion_id)
    source = sources.get(project, row["source_id"])
    grown = wider(source["text"], source["turns"], row["start"], row["end"], row["unit"])
    if grown is None:
        raise InputError(f"suggestion {suggestion_id} already covers its whole paragraph")
    unit, start, end = grown
    with project.change("suggestion.widen", f"Widened suggestion {suggestion_id} ({_what(row)}) to a {unit}") as w:
        for twin in project.query(
            "SELECT id FROM suggestions WHERE source_id = ? AND code_id = ? AND start_offset = ?"
            " AND end_offset = ? AND id != ?", [row["source_id"], row["code_id"], start, end, suggestion_id]
        ):
            w.delete("suggestions", twin["id"])
        # still open, but a choice the researcher made: the next run keeps it (see replace_open)
        w.update("suggestions", suggestion_id, {"start_offset": start, "end_offset": end, "unit": unit,
                                                "quote": source["text"][start:end],
                                                "decided_by": project.user, "decided_at": now()})
    return get(project, suggestion_id)
