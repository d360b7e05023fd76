"""Stable ASCII keys for codes, made from their names (Chinese names through pinyin)."""

from __future__ import annotations

import re

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def has_han(text: str) -> bool:
    """True if ``text`` contains Chinese characters."""
    return bool(_HAN.search(text or ""))


def slug(name: str, limit: int = 32) -> str:
    """An ASCII slug of a name: ``Return motives`` → ``return-motives``, ``新乡贤`` → ``xinxiangxian``."""
    text = name.strip()
    if has_han(text):
        from pypinyin import lazy_pinyin

        text = "".join(lazy_pinyin(text, errors="ignore"))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:limit].strip("-") or "code"


def valid_key(key: str) -> bool:
    """Keys are ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit."""
    return bool(KEY_PATTERN.match(key or ""))
