"""Carrying coded spans across an edit of the text they point into.

The old and new texts are aligned with a character diff. A span keeps the words it
had: it runs from the first to the last of its characters that survive the edit.
A span none of whose characters survive is *orphaned*, never moved onto other words.
Where a diff could place a boundary either side of a repeated character, an exact
occurrence of the old quote that overlaps the mapped span, or stands nearby with the
same neighbours, is preferred.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["same", "moved", "changed", "orphaned"]
CONTEXT = 8  # characters each side that must match to re-find a span by its quote


@dataclass(frozen=True)
class Anchor:
    """Where a span lands in the new text, and how it fared."""

    start: int
    end: int
    status: Status


class TextMap:
    """Which characters of ``old`` survive into ``new``, and where."""

    def __init__(self, old: str, new: str, *, timeout: float = 5.0):
        from diff_match_patch import diff_match_patch

        differ = diff_match_patch()
        differ.Diff_Timeout = timeout
        self.old, self.new = old, new
        # new index of each old character, or -1 where it was deleted
        self.to_new = [-1] * len(old)
        i = j = 0
        for op, chunk in differ.diff_main(old, new, False):
            n = len(chunk)
            if op == 0:
                self.to_new[i : i + n] = range(j, j + n)
                i += n
                j += n
            elif op < 0:
                i += n
            else:
                j += n
        # next_kept[i]: the first surviving old index >= i (len(old) if none)
        self.next_kept = [len(old)] * (len(old) + 1)
        for k in range(len(old) - 1, -1, -1):
            self.next_kept[k] = k if self.to_new[k] >= 0 else self.next_kept[k + 1]
        # prev_kept[i]: the last surviving old index < i (-1 if none)
        self.prev_kept = [-1] * (len(old) + 1)
        for k in range(1, len(old) + 1):
            self.prev_kept[k] = k - 1 if self.to_new[k - 1] >= 0 else self.prev_kept[k - 1]

    def point(self, index: int) -> int:
        """Where an old position (between characters) falls in the new text."""
        following = self.next_kept[min(index, len(self.old))]
        return self.to_new[following] if following < len(self.old) else len(self.new)

    def span(self, start: int, end: int, quote: str | None = None) -> Anchor:
        """Map ``[start, end)`` of the old text; ``quote`` is what it covered."""
        quote = self.old[start:end] if quote is None else quote
        first = self.next_kept[start]
        last = self.prev_kept[end]
        if first >= end or last < start:
            here = self.point(end)
            exact = self._refind(start, end, quote, here, here)
            if exact is None:
                return Anchor(here, here, "orphaned")
            new_start, new_end = exact, exact + len(quote)
        else:
            new_start, new_end = self.to_new[first], self.to_new[last] + 1
            if self.new[new_start:new_end] != quote:
                exact = self._overlapping_occurrence(quote, new_start, new_end)
                if exact is None:
                    exact = self._refind(start, end, quote, new_start, new_end)
                if exact is None:
                    return Anchor(new_start, new_end, "changed")
                new_start, new_end = exact, exact + len(quote)
        status: Status = "same" if (new_start, new_end) == (start, end) else "moved"
        return Anchor(new_start, new_end, status)

    def _refind(self, start: int, end: int, quote: str, near: int, near_end: int) -> int | None:
        """A nearby exact occurrence of ``quote`` whose context matches the old one on a side.

        A diff of repetitive text may read an edit two ways (which of two identical
        runs went); the words are taken to have survived only where they stand with
        the same neighbours (or the same text boundary) on at least one side.
        """
        if not quote:
            return None
        old, new = self.old, self.new
        before, after = old[max(0, start - CONTEXT) : start], old[end : end + CONTEXT]
        window = 2 * len(quote) + abs(len(new) - len(old)) + CONTEXT
        best = None
        at = new.find(quote, max(0, near - window))
        while at != -1 and at <= near_end + window:
            fits = new[max(0, at - CONTEXT) : at] == before or (
                new[at + len(quote) : at + len(quote) + CONTEXT] == after
            )
            if fits and (best is None or abs(at - near) < abs(best - near)):
                best = at
            at = new.find(quote, at + 1)
        return best

    def _overlapping_occurrence(self, quote: str, start: int, end: int) -> int | None:
        """The occurrence of ``quote`` overlapping ``[start, end)`` nearest to ``start``."""
        if not quote:
            return None
        best = None
        at = self.new.find(quote, max(0, start - len(quote) + 1))
        while at != -1 and at < end:
            if best is None or abs(at - start) < abs(best - start):
                best = at
            at = self.new.find(quote, at + 1)
        return best


def reanchor(old: str, new: str, spans: list[tuple[int, int]]) -> list[Anchor]:
    """Map each ``(start, end)`` span of ``old`` into ``new``."""
    if old == new:
        return [Anchor(s, e, "same") for s, e in spans]
    mapping = TextMap(old, new)
    return [mapping.span(s, e) for s, e in spans]
