"""Pieces of texts, to tell whether other text still holds any of their words.

A piece starts at every character and runs until it is :data:`WIDTH` columns wide (a Chinese
character is two columns, a Latin letter one: twelve characters of Chinese say as much as two
dozen letters), if it has some letters in it. Pieces that other texts also hold (a question
every interview asks) can be dropped, so that what is left is distinctive. One Aho–Corasick
pass then finds any piece in a text of any length.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

WIDTH = 24  # columns: longer than a common phrase, shorter than any quote worth keeping


class Pieces:
    """The distinctive windows of some texts."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: set[str] = set()
        for text in texts:
            self.words.update(w for w in _windows(text) if sum(c.isalnum() for c in w) * 2 >= len(w))
        self._automaton: Any | None = None  # an ahocorasick.Automaton (which ships no types)

    @classmethod
    def of(cls, words: Iterable[str]) -> Pieces:
        """Pieces already picked (``words`` of another :class:`Pieces`)."""
        pieces = cls(())
        pieces.words = set(words)
        return pieces

    def __bool__(self) -> bool:
        return bool(self.words)

    def drop_found_in(self, texts: Iterable[str]) -> None:
        """Forget the pieces that any of ``texts`` holds too."""
        found = {word for text in texts for word in self._matches(text)}
        if found:
            self.words -= found
            self._automaton = None

    def first_in(self, text: str) -> str | None:
        """A piece that ``text`` holds, or None."""
        return next(self._matches(text), None)

    def _matches(self, text: str) -> Iterator[str]:
        if not self.words:
            return
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for word in self.words:
                automaton.add_word(word, word)
            automaton.make_automaton()
            self._automaton = automaton
        for _, word in self._automaton.iter(text):
            yield word


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _windows(text: str) -> Iterable[str]:
    """From each character, the shortest run :data:`WIDTH` columns wide (a text narrower than
    that is one piece, if it is at least a quarter as wide)."""
    widths = [_columns(c) for c in text]
    if sum(widths) < WIDTH:
        return [text] if sum(widths) * 4 >= WIDTH else []
    out, end, wide = [], 0, 0
    for start in range(len(text)):
        while end < len(text) and wide < WIDTH:
            wide += widths[end]
            end += 1
        if wide < WIDTH:
            break
        out.append(text[start:end])
        wide -= widths[start]
    return out
