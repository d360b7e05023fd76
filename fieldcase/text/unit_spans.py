"""Every unit of a text in order, as :mod:`fieldcase.text.units` finds them one at a time:
the sentences, the paragraphs (non-blank lines) and the words of speaker turns.

Spans are half-open ``[start, end)``, in text order, never empty and never overlapping;
the blanks between units belong to none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fieldcase.text.units import Sentences, paragraph_span

Span = tuple[int, int]


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` as :func:`~fieldcase.text.units.sentence_span` finds them."""
    found = Sentences(text)
    out: list[Span] = []
    pos, last_end = 0, 0
    while pos < len(text):
        start, end = found.span(pos)
        if start < end and start >= last_end and end > pos:
            out.append((start, end))
            pos = last_end = end
        else:
            pos += 1
    return out


def paragraphs(text: str) -> list[Span]:
    """The lines of ``text`` that hold more than blanks."""
    out: list[Span] = []
    pos = 0
    while pos <= len(text):
        start, end = paragraph_span(text, pos)
        if text[start:end].strip():
            out.append((start, end))
        pos = end + 1
    return out


def turn_words(turns: Sequence[Mapping[str, Any]]) -> list[Span]:
    """The words of each speaker turn (after its label), as ``fieldcase code --turn`` codes them."""
    return [(t["speech"], t["end"]) for t in turns if t["speech"] < t["end"]]


def whole(text: str) -> list[Span]:
    """The whole text as one unit (none when it is empty)."""
    return [(0, len(text))] if text else []
