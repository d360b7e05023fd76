"""Pseudonyms in a project export: names replaced in every text, and each coding's offsets
moved with the text around it (a pseudonym is rarely as long as the name it replaces).

The pseudonym table itself lives above this layer (``reports.pseudonyms``); an export is
handed an object of the :class:`Renaming` shape, or renames nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol


class Renaming(Protocol):
    """What an export calls to rename: a text, a code key, and where in a text the names are."""

    def __call__(self, text: str) -> str: ...

    def key(self, key: str) -> str: ...

    def replacements(self, text: str) -> list[tuple[int, int, str]]: ...


class Unchanged:
    """Renames nothing: an export with real names."""

    def __call__(self, text: str) -> str:
        return text

    def key(self, key: str) -> str:
        return key

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        return []


class Moved:
    """A text with its names replaced, and each offset of the stored text moved to the same
    place in it: an offset inside a replaced name goes to the start of its pseudonym when it
    starts a span and to its end when it ends one, so a coding keeps the whole pseudonym."""

    def __init__(self, text: str, replacements: list[tuple[int, int, str]]) -> None:
        self.ends: list[int] = []
        self.starts: list[int] = []
        self.shift: list[int] = [0]  # what the spans before each one add
        self.new: list[tuple[int, int]] = []
        pieces, at, delta = [], 0, 0
        for start, end, value in replacements:
            pieces += [text[at:start], value]
            self.new.append((start + delta, start + delta + len(value)))
            delta += len(value) - (end - start)
            self.starts.append(start)
            self.ends.append(end)
            self.shift.append(delta)
            at = end
        self.text = "".join(pieces) + text[at:] if replacements else text

    def __call__(self, offset: int, *, end: bool = False) -> int:
        """Where stored ``offset`` is in the renamed text (``end``: it ends a span)."""
        if not self.ends:
            return offset
        done = bisect_right(self.ends, offset)  # the names wholly before the offset
        if done < len(self.starts) and self.starts[done] < offset:
            return self.new[done][1 if end else 0]
        return offset + self.shift[done]
