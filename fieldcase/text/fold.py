"""Folding text for search: case, and optionally Traditional to Simplified Chinese.

Every fold maps one character to one character, so an offset in the folded text is the
same offset in the stored text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The CJK blocks whose characters OpenCC may convert one by one.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))


@lru_cache(maxsize=1)
def variant_table() -> dict[int, str]:
    """Traditional (and variant) characters mapped to their Simplified form, by OpenCC's
    character-level t2s conversion; only conversions of one character to one are kept."""
    import opencc

    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a conversion swallowed a line break: go one by one
        convert = opencc.OpenCC("t2s").convert
        converted = [convert(c) for c in chars]
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


_FINAL_SIGMA = str.maketrans("ς", "σ")


def fold_case(text: str) -> str:
    """Lower-case ``text`` character by character, keeping its length (a final sigma is
    an ordinary sigma, so that a word and its part fold alike)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(low := c.lower()) != 1 else low for c in text)
    return lowered.translate(_FINAL_SIGMA) if "ς" in lowered else lowered


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=1)
def _variant_pattern() -> re.Pattern[str]:
    """Any BMP character that variant folding changes: a regex class scans in C about 15
    times faster than ``str.translate`` with a dict (a class with astral characters does not)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(variant_table()) if c < 0x10000) + "]")


def fold(text: str, *, variants: bool = False) -> str:
    """Fold case and, with ``variants``, Traditional characters to Simplified."""
    folded = fold_case(text)
    if not variants:
        return folded
    table = variant_table()
    folded = _variant_pattern().sub(lambda m: table[ord(m.group())], folded)
    if _ASTRAL.search(folded):  # rare: characters beyond the BMP
        folded = folded.translate({k: v for k, v in table.items() if k >= 0x10000})
    return folded


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Each Simplified target with every character folding to it, the target first."""
    groups: dict[str, list[str]] = {}
    for code, target in variant_table().items():
        groups.setdefault(target, [target]).append(chr(code))
    return {ch: "".join(group) for group in groups.values() for ch in group}


def variant_class(ch: str) -> str:
    """The characters that match ``ch`` when variants are folded (``ch`` itself at least)."""
    return _classes().get(ch, ch)
