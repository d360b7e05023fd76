"""Which language a body of text is mostly in: Chinese or English, for the headings and
labels of a chapter written around it."""

from __future__ import annotations

from collections.abc import Iterable

from fieldcase.text.spellings import is_han

LANGUAGES = ("zh", "en")
# A Chinese character carries about as much as three Latin letters (a short word), so
# a text counts as Chinese when its Han characters times this reach its Latin letters.
HAN_WEIGHT = 3


def chapter_language(texts: Iterable[str], default: str = "zh") -> str:
    """``zh`` when the texts are mostly Chinese by content, ``en`` when mostly Latin
    letters, ``default`` when they hold neither."""
    han = latin = 0
    for text in texts:
        for ch in text:
            if is_han(ch):
                han += 1
            elif ch.isascii() and ch.isalpha():
                latin += 1
    if not han and not latin:
        return default
    return "zh" if han * HAN_WEIGHT >= latin else "en"
