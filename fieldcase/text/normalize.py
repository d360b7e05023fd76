"""The one canonical form of stored text, in which every offset is counted."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def normalize_text(text: str) -> str:
    """Unicode NFC with ``\\n`` line ends, no BOM, no trailing blank space.

    Offsets of codings and search hits are Python ``str`` indices into this form.
    """
    text = text.removeprefix("\ufeff")
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _LINE_ENDS.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.rstrip()


def text_hash(text: str) -> str:
    """The content identity of a stored text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guess_language(text: str) -> str:
    """``zh`` when Chinese characters make up much of the letters, else ``en``."""
    sample = text[:4000]
    # Characters from U+0800 up (CJK among them) take three UTF-8 bytes: two extra each.
    wide = (len(sample.encode("utf-8", "replace")) - len(sample)) // 2
    letters = len(sample.encode("ascii", "ignore"))
    return "zh" if wide and wide * 3 >= letters else "en"
