"""How many terminal columns text takes: East Asian wide and full-width characters take two."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns taken by ``text`` in a terminal or a monospaced font (CJK count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)
