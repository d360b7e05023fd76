"""Two coders' codings of one text compared, code by code: where both applied a code, where
only one did (a disagreement). Pure: spans in, pieces out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

BOTH, A_ONLY, B_ONLY = "both", "a", "b"


class Piece(NamedTuple):
    """``[start, end)`` coded with ``code`` (a key) by both coders, or by one only (``kind``)."""

    start: int
    end: int
    code: str
    kind: str


def pieces(codings: Iterable[Mapping[str, Any]], a: str, b: str) -> list[Piece]:
    """Split the codings of coders ``a`` and ``b`` (``coder``, ``code_key``, ``start``,
    ``end``) into pieces, per code: the characters both coded with it, only ``a``, only
    ``b``; adjacent characters of one kind are one piece. In text order."""
    per_code: dict[str, list[tuple[int, int, int]]] = {}
    for c in codings:
        side = 1 if c["coder"] == a else 2 if c["coder"] == b else 0
        if side and c["end"] > c["start"]:
            events = per_code.setdefault(c["code_key"], [])
            events += [(c["start"], side, 1), (c["end"], side, -1)]
    out: list[Piece] = []
    for code, events in per_code.items():
        events.sort()
        depth = {1: 0, 2: 0}
        last, open_kind, open_at = 0, "", 0
        for offset, side, step in events:
            if offset != last:
                kind = _kind(depth[1] > 0, depth[2] > 0)
                if kind != open_kind:
                    if open_kind:
                        out.append(Piece(open_at, last, code, open_kind))
                    open_kind, open_at = kind, last
                last = offset
            depth[side] += step
        if open_kind:
            out.append(Piece(open_at, last, code, open_kind))
    out = [p for p in out if p.end > p.start]
    out.sort(key=lambda p: (p.start, p.end, p.code))
    return out


def _kind(in_a: bool, in_b: bool) -> str:
    return BOTH if in_a and in_b else A_ONLY if in_a else B_ONLY if in_b else ""


def disagreements(found: list[Piece]) -> list[tuple[int, int]]:
    """The places where one coder applied a code the other did not: the spans of the
    one-sided pieces, overlapping ones joined, in text order."""
    spans = sorted((p.start, p.end) for p in found if p.kind != BOTH)
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def next_elsewhere(places: Mapping[int, list[tuple[int, int]]], order: Sequence[int], here: int | None,
                   direction: int) -> tuple[int, int, int] | None:
    """The first disagreement ``(source, start, end)`` of the nearest source after ``here`` in
    ``order`` that has one (``direction`` < 0: the last one of the nearest before it); None
    when there is none that way. ``places``: each source's disagreements, in text order."""
    at = order.index(here) if here in order else (-1 if direction > 0 else len(order))
    others = order[at + 1:] if direction > 0 else list(reversed(order[:max(at, 0)]))
    for source in others:
        found = places.get(source)
        if found:
            start, end = found[0] if direction > 0 else found[-1]
            return source, start, end
    return None
