"""The one canonical form of stored text, in which every offset is counted."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def normalize_text(text: str) -> str:
    """Unicode NFC with ``\\n`` line ends, no BOM, no trailing blank space.

    Offsets of codings and search hits are Python ``str`` indices into this form.
    """
    text = text.removeprefix("\ufeff")
    text = _LINE_ENDS.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.rstrip()


def text_hash(text: str) -> str:
    """The content identity of a stored text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guess_language(text: str) -> str:
    """``zh`` when Chinese characters make up much of the letters, else ``en``."""
    sample = text[:20_000]
    cjk = len(_CJK.findall(sample))
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return "zh" if cjk and cjk * 2 >= latin else "en"
