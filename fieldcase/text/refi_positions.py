"""REFI-QDA positions as the producer counted them, mapped onto the text as fieldcase stores it.

The standard counts Unicode code points; NVivo counts UTF-16 code units (an emoji or a CJK
Extension B character is two) over the ``.txt`` as stored, CRLF as two; ATLAS.ti counts a
CRLF as one character though its ``.txt`` holds both; QualCoder writes the positions of its Qt
editor, UTF-16 code units with each line end one (a CRLF too, when its export was asked to
write CRLF for MAXQDA). A :class:`PositionMap` takes the
producer's text and way of counting and turns each position into an index of
:func:`~fieldcase.text.normalize.normalize_text` of that text (no BOM, ``\\n`` line ends,
NFC, no trailing space), so a selection lands on exactly the producer's words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

from fieldcase.text.normalize import normalize_text

UTF16 = "utf16"  # UTF-16 code units: NVivo
CRLF_ONE = "crlf-one"  # code points, a CRLF counted once: ATLAS.ti
UTF16_CRLF_ONE = "utf16-crlf-one"  # UTF-16 code units, a CRLF counted once: QualCoder (Qt)
CODE_POINTS = "code-points"  # the standard: everyone else
COUNTINGS = (UTF16, CRLF_ONE, UTF16_CRLF_ONE, CODE_POINTS)
COUNTING_WORDS = {UTF16: "UTF-16 units, a CRLF as two", CRLF_ONE: "characters, a CRLF as one",
                  UTF16_CRLF_ONE: "UTF-16 units, a line end as one",
                  CODE_POINTS: "characters (code points)"}  # as a report says it

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")


# How each producer counts, by a word of its ``origin`` (the first found wins). NVivo and
# ATLAS.ti are measured on their exports (../shared/refi). QualCoder stores and exports the
# selection of its QPlainTextEdit as is (code_text.py mark(), refi.py), and Qt counts UTF-16
# units with a line end (LF or CRLF) as one, measured with PyQt6. MAXQDA counts code points as
# the standard says (no export of its with selections measured), a CRLF as the two characters
# its .txt holds; Taguette exports codebooks only.
PRODUCERS = (("nvivo", UTF16), ("atlas", CRLF_ONE), ("maxqda", CODE_POINTS), ("qualcoder", UTF16_CRLF_ONE),
             ("taguette", CODE_POINTS))


def counting_for(origin: str | None) -> str:
    """How the tool named by a project's ``origin`` attribute counts positions (the
    standard's code points for a tool not in ``PRODUCERS``)."""
    said = (origin or "").lower()
    return next((counting for word, counting in PRODUCERS if word in said), CODE_POINTS)


class PositionMap:
    """The producer's positions over ``raw`` as indices into fieldcase's form of it (``text``)."""

    def __init__(self, raw: str, counting: str = CODE_POINTS) -> None:
        if counting not in COUNTINGS:
            raise ValueError(f"unknown way of counting positions {counting!r}")
        body = raw.removeprefix("\ufeff")
        self.text = normalize_text(raw)
        once = counting in (CRLF_ONE, UTF16_CRLF_ONE)
        # CRLF counted once: each CRLF's position as the producer counts (in code points)
        self._crlf_at = [m.start() - k for k, m in enumerate(re.finditer("\r\n", body))] if once else []
        # UTF-16: where each character above U+FFFF ends, in code units (of the text with
        # each CRLF made one character, when the producer counts it once)
        counted = body.replace("\r\n", "\n") if once else body
        self._astral_ends = ([m.start() + k + 2 for k, m in enumerate(_ASTRAL.finditer(counted))]
                             if counting in (UTF16, UTF16_CRLF_ONE) else [])
        # line ends made ``\n``: where each two-character CRLF ends in the body
        self._pair_ends = [m.end() for m in _LINE_ENDS.finditer(body) if m.end() - m.start() == 2]
        unified = _LINE_ENDS.sub("\n", body)
        self._nfc = _NfcLines(unified)
        self._nfc.check(self.text)
        # below the first place any table shifts a position, a position is its own index
        firsts = [t[0] for t in (self._astral_ends, self._crlf_at, self._pair_ends, self._nfc.starts) if t]
        self._unshifted = min(firsts, default=len(body) + len(self.text) + 1)

    def __call__(self, position: int) -> int:
        """The index in :attr:`text` of the producer's ``position`` (clamped to the text)."""
        point = max(0, position)
        if self._astral_ends:
            point -= bisect_right(self._astral_ends, point)
        if self._crlf_at:
            point += bisect_left(self._crlf_at, point)
        if self._pair_ends:
            point -= bisect_right(self._pair_ends, point)
        return min(self._nfc(point), len(self.text))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` of the producer as indices into :attr:`text`."""
        return self(start), self(end)

    def many(self, positions: list[int]) -> list[int]:
        """:meth:`__call__` of each of ``positions`` (one source's selections at once: the
        tables are looked up in place, and a text nothing shifts is only clamped)."""
        size, below = len(self.text), self._unshifted
        return [(p if p < size else size) if 0 <= p < below else self(p) for p in positions]


class _NfcLines:
    """Indices before and after NFC, line by line: a line end never composes with a
    neighbour, so only the lines NFC changes shift what follows them."""

    def __init__(self, unified: str) -> None:
        self.unified = unified
        self.starts: list[int] = []  # where each changed line starts (before NFC)
        self.lines: list[str] = []
        self.shifts: list[int] = []  # how much shorter the text is before each changed line
        if unicodedata.is_normalized("NFC", unified):
            return
        shift, start = 0, 0
        for line in unified.split("\n"):
            if not unicodedata.is_normalized("NFC", line):
                self.starts.append(start)
                self.lines.append(line)
                self.shifts.append(shift)
                shift += len(line) - len(unicodedata.normalize("NFC", line))
            start += len(line) + 1
        self.total = shift

    def __call__(self, index: int) -> int:
        at = bisect_right(self.starts, index) - 1
        if at < 0:
            return index
        line, start = self.lines[at], self.starts[at]
        if index <= start + len(line):
            inside = len(unicodedata.normalize("NFC", line[: index - start]))
            return start - self.shifts[at] + inside
        after = self.shifts[at] + len(line) - len(unicodedata.normalize("NFC", line))
        return index - after

    def check(self, text: str) -> None:
        """Make sure the mapping is over the same text :func:`normalize_text` gives."""
        expected = unicodedata.normalize("NFC", self.unified).rstrip()
        if expected != text:  # a change to normalize_text this module does not follow
            raise AssertionError("refi_positions no longer follows normalize_text")
