"""Sets of characters as sorted runs of half-open spans ``[start, end)``: union, length,
overlap and difference, in time linear in the number of spans (never per character);
and which units of a text a span touches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

Span = tuple[int, int]


def merged(spans: Iterable[Span]) -> list[Span]:
    """The union of ``spans`` as sorted, disjoint, non-adjacent runs; empty spans drop out."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def length(runs: Iterable[Span]) -> int:
    """How many characters disjoint runs cover."""
    return sum(end - start for start, end in runs)


def overlap(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """The characters in both of two :func:`merged` run lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def difference(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """The characters of ``a`` not in ``b`` (both :func:`merged`)."""
    out: list[Span] = []
    j = 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k, at = j, start
        while k < len(b) and b[k][0] < end:
            if b[k][0] > at:
                out.append((at, b[k][0]))
            at = max(at, b[k][1])
            k += 1
        if at < end:
            out.append((at, end))
    return out


class Units:
    """The units of one text (sorted, disjoint spans), to ask which of them a span touches."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = list(spans)
        self._starts = [s for s, _ in self.spans]
        self._ends = [e for _, e in self.spans]

    def touched(self, start: int, end: int) -> range:
        """Indices of the units that share at least one character with ``[start, end)``."""
        if start >= end:
            return range(0)
        return range(bisect_right(self._ends, start), bisect_left(self._starts, end))
