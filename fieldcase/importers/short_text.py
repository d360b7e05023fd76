"""Whether a short file is text: the tests that tell a few bytes of words from a few
random bytes, which a share of stray control characters cannot do below ``SHORT`` bytes.

Measured on random bytes, fewer than 5% of any length pass (none of one byte, under 1%
from seven, none from fifteen); what passes is what text of that size could be ("ok",
"好"), so no rule could refuse it without refusing text.
"""

from __future__ import annotations

import re
import unicodedata

from fieldcase.errors import InputError
from fieldcase.text.english import count

SHORT = 256
_WORD = re.compile(r"[^\W\d_]{2}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")
_ASCII_WORD = re.compile(r"[A-Za-z]{3}")
_PLAIN = frozenset(" \t\n\r.,;:!?'\"()-/&")
_WESTERN = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸ‘’“”–—…«»°€\u00a0")
_NOT_TEXT = frozenset({"Cc", "Co", "Cn", "Cs"})  # controls, private use, unassigned, lone surrogates
_ALLOWED = frozenset("\t\n\r\f\x1b")  # controls text does hold (escape, as the long-file rule allows)


def check_short(text: str, size: int) -> None:
    """Refuse a short file's text unless it reads as text: nothing unassigned, private or
    a lone surrogate; control characters (besides line breaks, tabs, form feeds and escape)
    at most one in ten characters, so none in a tiny file; and a word (two letters side by
    side, or a CJK character). A blank text passes: the importer says it is empty."""
    if not text.strip():
        return
    strays = [ch for ch in text if unicodedata.category(ch) in _NOT_TEXT and ch not in _ALLOWED]
    if any(unicodedata.category(ch) != "Cc" for ch in strays) or len(strays) > len(text) // 10:
        raise InputError(f"not text (too short to be sure: {count(size, 'byte')}, with "
                         f"U+{ord(strays[0]):04X} among them, which text hardly holds)")
    if not _WORD.search(text):
        raise InputError(f"not text (too short: {count(size, 'byte')}, no word)")


def han_only(text: str) -> str:
    """The Han characters of a text."""
    return "".join(ch for ch in text if _is_han(ch))


def looks_chinese(text: str) -> bool:
    """Two or more Han characters (one is what two random bytes often give) with nothing
    beside them but plain ASCII and Chinese punctuation."""
    return len(han_only(text)) >= 2 and all(
        _is_han(ch) or (ch.isascii() and (ch.isalnum() or ch in _PLAIN))
        or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027"
        for ch in text
    )


def looks_western(text: str) -> bool:
    """Mostly ASCII letters (three in a row somewhere) and plain punctuation, each accented
    letter beside an ASCII one (random bytes read as Windows-1252 are symbols and accents
    side by side)."""
    if not all(ch.isascii() and (ch.isalnum() or ch in _PLAIN) or ch in _WESTERN for ch in text):
        return False
    foreign = [i for i, ch in enumerate(text) if not ch.isascii()]
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return letters >= 2 * len(foreign) and _ASCII_WORD.search(text) is not None and all(
        not text[i].isalpha() or any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
                                     for j in (i - 1, i + 1))
        for i in foreign
    )


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0003134f"
