"""Two coders' codings of one text counted into a 2×2 table per code (see
:mod:`fieldcase.coding.reliability`), over units of the text or over its characters.

A coder applied a code to a unit when one of their codings of that code (not of its
sub-codes) shares at least one character with the unit. Characters are counted by span
arithmetic (:mod:`fieldcase.coding.intervals`), never one by one. With ``coded_only`` the
units are only those some in-scope coding of either coder touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from fieldcase.coding.intervals import Units, difference, length, merged, overlap
from fieldcase.coding.reliability import Table

Span = tuple[int, int]
Layers = dict[tuple[str, int], list[Span]]  # (coder, code id) → that coder's spans of that code


class Differ(NamedTuple):
    """A unit (or, by characters, a run of them) that only ``coder`` applied the code to."""

    start: int
    end: int
    code_id: int
    coder: str


Tallied = tuple[dict[int, Table], list[Differ]]


def by_characters(size: int, layers: Layers, coders: tuple[str, str], code_ids: Sequence[int], *,
                  coded_only: bool = False) -> Tallied:
    """Each character of a text of ``size`` characters a unit."""
    a, b = coders
    wanted = set(code_ids)
    runs = {key: merged(spans) for key, spans in layers.items() if key[1] in wanted}
    units = length(merged(s for r in runs.values() for s in r)) if coded_only else size
    tables: dict[int, Table] = {}
    differ: list[Differ] = []
    for code_id in code_ids:
        mine, theirs = runs.get((a, code_id), []), runs.get((b, code_id), [])
        both = length(overlap(mine, theirs))
        tables[code_id] = Table(both, length(mine) - both, length(theirs) - both, units)
        differ += [Differ(s, e, code_id, a) for s, e in difference(mine, theirs)]
        differ += [Differ(s, e, code_id, b) for s, e in difference(theirs, mine)]
    return tables, differ


def by_units(units: Sequence[Span], layers: Layers, coders: tuple[str, str], code_ids: Sequence[int], *,
             coded_only: bool = False) -> Tallied:
    """Each of ``units`` (sorted, disjoint spans) a unit."""
    a, b = coders
    found = Units(units)
    touched: dict[tuple[str, int], set[int]] = {}
    wanted = set(code_ids)
    for key, spans in layers.items():
        if key[1] in wanted:
            hit = touched.setdefault(key, set())
            for start, end in spans:
                hit.update(found.touched(start, end))
    count = len(set().union(*touched.values())) if coded_only else len(units)
    tables: dict[int, Table] = {}
    differ: list[Differ] = []
    for code_id in code_ids:
        mine, theirs = touched.get((a, code_id), set()), touched.get((b, code_id), set())
        both = len(mine & theirs)
        tables[code_id] = Table(both, len(mine) - both, len(theirs) - both, count)
        differ += [Differ(*units[i], code_id, a if i in mine else b) for i in sorted(mine ^ theirs)]
    return tables, differ
