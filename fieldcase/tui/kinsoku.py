"""Line breaking for Chinese text in the reader and the editors (禁则, kinsoku).

Textual folds a run of Chinese characters wherever the width ends, so a line could start
with 。or ， and a line could end with an opening “ or （. Chinese typesetting never does
that: the break moves back a character or two, which carry over to the next line. The
lines after it are wrapped again from there, so no line grows wider than the width.

:func:`install` puts this in front of Textual's wrapping of text areas (``textual``
is pinned: see pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = frozenset("。，、；：？！）」』】〕〉》”’…·～%％!?,.;:)]}")
"""Characters that may not begin a line: closing marks and punctuation."""
NO_LINE_END = frozenset("（「『【〔〈《“‘([{")
"""Characters that may not end a line: opening marks."""
CARRY = 2
"""At most this many characters move to the next line to satisfy the rules."""

Wrap = Callable[..., list[int]]


def kinsoku(text: str, offsets: list[int], width: int, tab_size: int, wrap: Wrap) -> list[int]:
    """``offsets`` (where ``wrap`` breaks ``text``), moved back where a line would start with
    closing punctuation or end with an opening mark; the rest is wrapped again from each
    moved break."""
    if not offsets or "\t" in text:
        return offsets
    out: list[int] = []
    start = 0
    pending = list(offsets)
    while pending:
        at = pending.pop(0)
        moved = at
        for _ in range(CARRY):
            if moved - 1 > start and (text[moved] in NO_LINE_START or text[moved - 1] in NO_LINE_END):
                moved -= 1
            else:
                break
        if moved != at and (text[moved] in NO_LINE_START or text[moved - 1] in NO_LINE_END):
            moved = at  # a run of punctuation longer than the carry: break where Textual did
        out.append(moved)
        if moved != at:
            pending = [moved + o for o in wrap(text[moved:], width, tab_size)]
        start = moved
    return out


def install() -> None:
    """Wrap Textual's text areas with :func:`kinsoku` (idempotent)."""
    from fieldcase.tui import compat

    compat.wrap_offsets_through(kinsoku)
