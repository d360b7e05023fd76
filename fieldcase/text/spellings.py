"""Finding listed names in text in every spelling: case and width (``ZHANG SAN``,
``Ｚｈａｎｇ Ｓａｎ``), spaces and joins (``Zhang  San``, ``ZhangSan``, ``张 三``),
Traditional characters (``張三``) and accents (``Zhāng``).

Text is folded character by character (:func:`fold_char`) with a map from each folded
character back to the character it came from, so a name found in the folded text is
replaced in the text as written. A Latin name matches whole words only (Li, not in Like);
a *standalone* name (a surname used alone as a speaker label) matches only where no
letter, digit or Chinese character touches it (``刘：``, ``（刘，``, never in ``刘海``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

# What may stand between the parts of a name once folded (full-width forms fold to these).
SEPARATORS = " \t\n-_.\u00b7\u2027\u30fb"  # a line break too: hard-wrapped text splits names
_SEP = "[" + re.escape(SEPARATORS) + "]*"
_LATIN_BEFORE, _LATIN_AFTER = "(?<![a-z0-9])", "(?![a-z0-9])"
_ALONE_BEFORE, _ALONE_AFTER = r"(?<![^\W_])", r"(?![^\W_])"
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))


def is_han(ch: str) -> bool:
    """Whether one character is a Chinese character."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in HAN_RANGES)


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """One character as names are compared: compatibility and width forms unified (NFKC),
    case folded, accents dropped, Traditional made Simplified, any space but a line break
    made a plain space. The result may be empty (an accent alone) or longer (``ß``)."""
    from fieldcase.text.fold import variant_table

    if unicodedata.category(ch) == "Cf":
        return ""  # zero-width spaces, soft hyphens, direction marks: invisible, so nothing
    if unicodedata.category(ch) == "Pd":
        return "-"  # every dash (‐ ‑ – —) as the hyphen
    folded = unicodedata.normalize("NFKC", ch).casefold()
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    table = variant_table()
    return "".join(" " if c.isspace() and c != "\n" else table.get(ord(c), c) for c in folded)


def fold_map(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded, and for each folded character the index of the character it came
    from (``None`` when every character folds to exactly one, so indexes are unchanged)."""
    table: dict[int, str] = {}
    for ch in set(text):
        folded = fold_char(ch)
        if len(folded) != 1:
            break
        if folded != ch:
            table[ord(ch)] = folded
    else:
        return text.translate(table), None
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        parts.append(folded)
        origin.extend([i] * len(folded))
    return "".join(parts), origin


def fold_name(text: str) -> str:
    """``text`` folded as names are compared."""
    return fold_map(text)[0]


def units(name: str) -> list[str]:
    """The folded parts of a name between which spaces may be left out or added: words
    (split at spaces, hyphens, dots and case changes, ``ZhangSan``) and each Chinese character."""
    out: list[str] = []
    current = ""
    previous = ""
    for ch in name:
        folded = fold_char(ch)
        if not folded:
            continue
        if all(c in SEPARATORS or c == "\n" for c in folded):
            if current:
                out.append(current)
            current = ""
        else:
            if current and (is_han(folded[0]) or is_han(current[-1]) or (previous.islower() and ch.isupper())):
                out.append(current)
                current = ""
            current += folded
        previous = ch
    return out + [current] if current else out


def name_pattern(name: str, *, standalone: bool = False) -> str | None:
    """A regular expression over folded text for every spelling of ``name`` (None if the
    name has nothing to match)."""
    parts = units(name)
    if not parts:
        return None
    body = _SEP.join(re.escape(p) for p in parts)
    if standalone:
        return _ALONE_BEFORE + body + _ALONE_AFTER
    first, last = parts[0][0], parts[-1][-1]
    before = _LATIN_BEFORE if first.isascii() and first.isalnum() else ""
    after = _LATIN_AFTER if last.isascii() and last.isalnum() else ""
    return before + body + after


class Found(NamedTuple):
    """A listed name found in a text: ``[start, end)`` in the text as written."""

    start: int
    end: int
    name: str
    standalone: bool


class NameFinder:
    """Finds any of many names (and standalone names) in a text, longest first."""

    def __init__(self, names: Iterable[str] = (), *, standalone: Iterable[str] = ()) -> None:
        entries = [(n, False) for n in dict.fromkeys(names)] + [(n, True) for n in dict.fromkeys(standalone)]
        compiled = [(n, alone, p) for n, alone in entries if (p := name_pattern(n, standalone=alone))]
        compiled.sort(key=lambda e: -len("".join(units(e[0]))))
        self.entries = [(n, alone) for n, alone, _ in compiled]
        self.pattern = (
            re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, _, p) in enumerate(compiled))) if compiled else None
        )

    def __bool__(self) -> bool:
        return self.pattern is not None

    def find(self, text: str) -> list[Found]:
        """Every listed name in ``text``, left to right, not overlapping."""
        if self.pattern is None or not text:
            return []
        folded, origin = fold_map(text)
        found = []
        for match in self.pattern.finditer(folded):
            name, alone = self.entries[int(match.lastgroup[1:])]  # type: ignore[index]  # every alternative of the pattern is a named group
            start, end = match.span()
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
                while end < len(text) and not fold_char(text[end]):
                    end += 1  # an accent written after the name belongs to it
            found.append(Found(start, end, name, alone))
        return found

    def replace(self, text: str, value: Callable[[Found], str]) -> str:
        """``text`` with every name found replaced by ``value(found)``."""
        found = self.find(text)
        if not found:
            return text
        out, at = [], 0
        for hit in found:
            out.append(text[at : hit.start])
            out.append(value(hit))
            at = hit.end
        out.append(text[at:])
        return "".join(out)

    def covers(self, text: str) -> bool:
        """Whether ``text`` as a whole is a spelling of one listed name."""
        found = self.find(text)
        return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)
