"""Which language a body of text is mostly in: Chinese or English, for the headings and
labels of a chapter written around it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fieldcase.text.spellings import HAN_RANGES

LANGUAGES = ("zh", "en")
# A Chinese character carries about as much as three Latin letters (a short word), so
# a text counts as Chinese when its Han characters times this reach its Latin letters.
HAN_WEIGHT = 3
HAN = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES) + "]")
_LATIN = re.compile("[A-Za-z]")


def chapter_language(texts: Iterable[str], default: str = "zh") -> str:
    """``zh`` when the texts are mostly Chinese by content, ``en`` when mostly Latin
    letters, ``default`` when they hold neither."""
    han = latin = 0
    for text in texts:
        han += len(HAN.findall(text))
        latin += len(_LATIN.findall(text))
    if not han and not latin:
        return default
    return "zh" if han * HAN_WEIGHT >= latin else "en"
