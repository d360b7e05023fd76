"""Text cut to terminal cells (a Chinese character takes two): clipped, and keyword-in-context
lines with the hit in the middle of whatever width a column has."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

ELLIPSIS = "…"
HIT_STYLE = "bold reverse"


def head(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells``."""
    used = 0
    for index, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > cells:
            return text[:index]
    return text


def tail(text: str, cells: int) -> str:
    """The longest end of ``text`` that fits in ``cells``."""
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += get_character_cell_size(text[index])
        if used > cells:
            return text[index + 1 :]
    return text


def clip(text: str, cells: int) -> str:
    """``text`` in at most ``cells``, an ellipsis marking a cut."""
    if cell_len(text) <= cells:
        return text
    return head(text, cells - 1) + ELLIPSIS if cells > 0 else ""


def centred(left: str, match: str, right: str, width: int, style: str = HIT_STYLE, *, align: bool = True) -> Text:
    """A line of ``width`` cells with ``match`` in its middle and as much of its context on
    either side as fits. ``align``: spaces keep the middle where context is short, so the hits
    of one query line up down a column; otherwise the other side takes the room. A hit too
    long for the line keeps its start and end, cut in the middle, with a little context each side."""
    width = max(1, width)
    side = min(4, max(0, (width - 3) // 4))  # context kept each side of a long hit
    keep = min(side, cell_len(left)) + min(side, cell_len(right))
    if cell_len(match) > width - keep:
        room = width - keep - 1
        first, last = head(match, (room + 1) // 2), tail(match, room // 2)
        match = first + ELLIPSIS + last if first else ELLIPSIS
    rest = width - cell_len(match)
    share = rest // 2
    if not align:  # the side short of context leaves its room to the other
        share = min(share, cell_len(left))
        share = max(share, rest - cell_len(right))
    before = tail(left, share)
    after = head(right, rest - (share if align else cell_len(before)))
    if not align:  # a wide character that did not fit on one side leaves its cell to the other
        before = tail(left, rest - cell_len(after))
    line = Text(" " * (share - cell_len(before)) if align else "", no_wrap=True, overflow="crop", end="")
    line.append(before)
    line.append(match, style=style)
    line.append(after)
    return line
