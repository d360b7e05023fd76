"""How many terminal columns text takes: East Asian wide and full-width characters take two."""

from __future__ import annotations

import unicodedata
from functools import cache


def display_width(text: str) -> int:
    """Columns taken by ``text`` in a terminal or a monospaced font (CJK count two)."""
    if text.isascii():  # every ASCII character takes one column: tables of many rows print fast
        return len(text)
    return sum(map(_char_width, text))


@cache
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
