"""The matching core of full-text search: every place a term occurs, and the hits kept
as offsets so that 50,000 of them stay cheap.

Matching ignores case (the caller folds text and term alike); a hit is exactly where
``str.find`` finds the term. Searching a project (its index, its scope) is
:mod:`fieldcase.analysis.search`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, repeat
from operator import add, sub
from typing import Any, overload

DEFAULT_CONTEXT = 30


class Hit:
    """One place a term was found: ``text[start:end]`` of a source; its context is cut
    from the text only when asked for, so a query with 50,000 hits stays cheap."""

    __slots__ = ("source_id", "start", "end", "term", "_text", "_width")

    def __init__(self, source_id: int, start: int, end: int, term: str, text: str, width: int) -> None:
        self.source_id, self.start, self.end, self.term = source_id, start, end, term
        self._text, self._width = text, width

    @property
    def match(self) -> str:
        """The text found, as stored (case and variants as written there)."""
        return self._text[self.start : self.end]

    @property
    def left(self) -> str:
        """Up to the context width of text before the match, on one line."""
        return _flat(self._text[max(0, self.start - self._width) : self.start])

    @property
    def right(self) -> str:
        """Up to the context width of text after the match, on one line."""
        return _flat(self._text[self.end : self.end + self._width])

    @property
    def context(self) -> str:
        """A keyword-in-context line: the match in brackets between its neighbours."""
        return f"{self.left}【{self.match}】{self.right}"

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON-ready data, with its context line."""
        left, match, right = self.left, self.match, self.right
        return {"source_id": self.source_id, "start": self.start, "end": self.end, "term": self.term,
                "left": left, "match": match, "right": right, "context": f"{left}【{match}】{right}"}

    def __repr__(self) -> str:
        return f"Hit({self.source_id}, {self.start}, {self.end}, {self.term!r})"


class Hits(Sequence[Hit]):
    """The hits of a search, stored as offsets per source; a :class:`Hit` is made only
    when one is looked at, so counting or paging 50,000 hits stays cheap."""

    def __init__(self, context: int) -> None:
        self.context = context
        self._blocks: list[tuple[int, str, list[int], list[int], list[str]]] = []
        self._ends: list[int] = []  # running total of hits after each block

    def add(self, source_id: int, text: str, starts: list[int], lengths: list[int], terms: list[str]) -> None:
        """Add a source's hits: starts in order, with one length and term or one per hit."""
        if starts:
            self._blocks.append((source_id, text, starts, lengths, terms))
            self._ends.append((self._ends[-1] if self._ends else 0) + len(starts))

    def cut(self, limit: int) -> Hits:
        """The first ``limit`` hits."""
        kept = Hits(self.context)
        for block in self._blocks:
            room = limit - len(kept)
            if room <= 0:
                break
            source_id, text, starts, lengths, terms = block
            one = len(lengths) == 1
            kept.add(source_id, text, starts[:room], lengths if one else lengths[:room], terms if one else terms[:room])
        return kept

    def offsets(self) -> Iterator[tuple[int, int, int]]:
        """``(source_id, start, end)`` of every hit, without making hit objects."""
        for source_id, _, starts, lengths, _ in self._blocks:
            if len(lengths) == 1:
                n = lengths[0]
                yield from ((source_id, at, at + n) for at in starts)
            else:
                yield from ((source_id, at, at + n) for at, n in zip(starts, lengths))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        b = bisect_right(self._ends, index)
        source_id, text, starts, lengths, terms = self._blocks[b]
        i = index - (self._ends[b - 1] if b else 0)
        one = len(lengths) == 1
        start = starts[i]
        return Hit(source_id, start, start + lengths[0 if one else i], terms[0 if one else i], text, self.context)

    def __iter__(self) -> Iterator[Hit]:
        for source_id, text, starts, lengths, terms in self._blocks:
            one = len(lengths) == 1
            for i, start in enumerate(starts):
                yield Hit(source_id, start, start + lengths[0 if one else i], terms[0 if one else i], text,
                          self.context)


def find_all(text: str, term: str) -> list[int]:
    """Every start of ``term`` in ``text``, overlapping ones included."""
    n = len(term)
    if n and not _has_border(term):
        # No occurrence can overlap another, so splitting finds them all (in C).
        parts = text.split(term)
        if len(parts) == 1:
            return []
        return list(map(sub, accumulate(map(add, map(len, parts[:-1]), repeat(n))), repeat(n)))
    found, at = [], text.find(term)
    while at != -1:
        found.append(at)
        at = text.find(term, at + 1)
    return found


def _has_border(term: str) -> bool:
    """Whether a proper prefix of ``term`` is also its suffix (so matches may overlap)."""
    return any(term[:k] == term[-k:] for k in range(1, len(term)))


def _flat(text: str) -> str:
    return " ".join(text.split("\n")).replace("\r", "").replace("\t", " ")
