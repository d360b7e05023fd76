"""How each tool a REFI-QDA project is written for counts text positions, and the text
file it expects: stored offsets (code points over ``\\n`` text) turned into the target's.

The standard counts code points; NVivo counts UTF-16 code units over its ``.txt`` as
written, with CRLF line ends (two units each) and a BOM it does not count; ATLAS.ti
writes CRLF but counts each line end as one, so its numbers are code points of the
``\\n`` text; QualCoder counts as its Qt editor does, UTF-16 code units over the ``\\n``
text (a line end one), and its ``.txt`` begins with a BOM.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One tool's way of writing and counting a plain-text source."""

    name: str
    producer: str  # named in ``origin``, so that a reader knows how the positions count
    crlf: bool  # line ends written as CRLF
    utf16: bool  # positions in UTF-16 code units (a line end as it is written: CRLF two), else code points
    # (CRLF as one)
    bom: bool  # the .txt begins with a UTF-8 BOM (not counted)
    label: str = ""  # as a person picks it

    def file_text(self, text: str) -> str:
        """The ``.txt`` content (without the BOM) for a stored text."""
        return text.replace("\n", "\r\n") if self.crlf else text

    def counter(self, text: str) -> Counter:
        """Turns offsets into ``text`` (as stored) into this target's positions."""
        return Counter(text, self)


TARGETS = {
    "standard": Target("standard", "REFI-QDA 1.5 (code points)", crlf=False, utf16=False, bom=False,
                       label="the standard (other tools)"),
    "nvivo": Target("nvivo", "NVivo (UTF-16 code units, CRLF as 2)", crlf=True, utf16=True, bom=True, label="NVivo"),
    "atlas": Target("atlas", "ATLAS.ti (code points, CRLF as 1)", crlf=True, utf16=False, bom=False, label="ATLAS.ti"),
    "maxqda": Target("maxqda", "MAXQDA (code points)", crlf=False, utf16=False, bom=False, label="MAXQDA"),
    "qualcoder": Target("qualcoder", "QualCoder (UTF-16 code units, a line end as 1)", crlf=False, utf16=True,
                        bom=True, label="QualCoder"),
}

_EXTRA = re.compile("[\n\U00010000-\U0010ffff]")  # a unit more each in UTF-16 over CRLF text
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # a unit more each in UTF-16 over \n text


class Counter:
    """Offsets into one stored text as a target counts them: each position adds the
    characters before it that the target counts twice (found once, looked up by bisection)."""

    def __init__(self, text: str, target: Target) -> None:
        found = _EXTRA if target.crlf else _ASTRAL
        self.extra = [m.start() for m in found.finditer(text)] if target.utf16 else []

    def __call__(self, offset: int) -> int:
        """The target's position of stored offset ``offset``."""
        return offset + bisect_left(self.extra, offset) if self.extra else offset


def target(name: str) -> Target:
    """The target called ``name``; a ValueError names them all if there is none."""
    if name not in TARGETS:
        raise ValueError(f"target one of {', '.join(TARGETS)}, not {name!r}")
    return TARGETS[name]
