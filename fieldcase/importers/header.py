"""The optional metadata header at the top of an imported file, and a date written in
its first lines (``时间：2025年7月12日``) when no header gives one.

    ---
    title: H访谈（第一次）
    site: X village
    cases: H, 张大伯
    kind: interview
    date: 2023-07-14
    ---

Keys may also be written in Chinese (标题, 村, 案例, 类型, 日期, 访谈者, 地点, 语言,
知情同意). Keys that are not metadata become source attributes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from fieldcase.errors import InputError

KEYS = ("title", "site", "cases", "kind", "date", "interviewer", "place", "language", "consent")
ALIASES = {
    "case": "cases",
    "标题": "title",
    "题目": "title",
    "村": "site",
    "村庄": "site",
    "地点名称": "site",
    "站点": "site",
    "案例": "cases",
    "个案": "cases",
    "类型": "kind",
    "日期": "date",
    "访谈者": "interviewer",
    "访谈人": "interviewer",
    "调研员": "interviewer",
    "地点": "place",
    "语言": "language",
    "知情同意": "consent",
    "同意": "consent",
}
_FENCE = re.compile(r"^-{3,}[ \t]*$")
_PAIR = re.compile(r"^([^:：]+?)[ \t]*[:：][ \t]*(.*)$")
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]+(.*)$")
_SPLIT = re.compile(r"[,，、;；]")
MAX_HEADER_LINES = 60


@dataclass
class Header:
    """What a header says: known metadata keys, and any other keys as attributes."""

    meta: dict[str, str | list[str]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def split_header(text: str) -> tuple[Header, str]:
    """Separate a leading ``---`` header from the text; no header gives an empty one."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return Header(), text
    end = next(
        (i for i in range(1, min(len(lines), MAX_HEADER_LINES + 2)) if _FENCE.match(lines[i])),
        None,
    )
    if end is None or not any(_PAIR.match(line) for line in lines[1:end]):
        return Header(), text  # a horizontal rule, not a header
    header = _parse(lines[1:end])
    return header, "\n".join(lines[end + 1 :]).lstrip("\n")


def header_length(text: str) -> int:
    """How many characters of ``text`` its leading ``---`` header takes (0 without one)."""
    return len(text) - len(split_header(text)[1])


def _parse(lines: list[str]) -> Header:
    header = Header()
    key: str | None = None
    for number, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _LIST_ITEM.match(line)
        if item and key is not None:
            _store(header, key, item.group(1), append=True)
            continue
        pair = _PAIR.match(line)
        if not pair:
            raise InputError(f"metadata header line {number}: expected 'key: value', got {line!r}")
        key = pair.group(1).strip().lower()
        key = ALIASES.get(key, key)
        if pair.group(2).strip():
            _store(header, key, pair.group(2), append=False)
    return header


def _store(header: Header, key: str, raw: str, *, append: bool) -> None:
    value = raw.strip().strip("\"'").strip()
    if key == "cases":
        value = value.removeprefix("[").removesuffix("]")
        names = [n.strip().strip("\"'") for n in _SPLIT.split(value) if n.strip()]
        existing = header.meta.get("cases", []) if append else []
        assert isinstance(existing, list)
        header.meta["cases"] = existing + names
    elif key in KEYS:
        header.meta[key] = value
    else:
        header.extra[key] = value


DATE_KEYS = ("时间", "日期", "访谈时间", "访谈日期", "调研时间", "调查时间", "观察时间", "记录时间", "date")
FIRST_LINES = 8  # a date line counts among this many first non-blank lines
_DATE_LINE = re.compile(r"^[ \t]*(?:" + "|".join(DATE_KEYS) + r")[ \t]*[:：][ \t]*(.+)$", re.I)
_WRITTEN_DATE = re.compile(r"(?<!\d)(\d{4})[ \t]*[年./-][ \t]*(\d{1,2})(?:[ \t]*[月./-][ \t]*(\d{1,2}))?(?!\d)")
_CHINESE_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                   "七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = re.compile("[" + "".join(_CHINESE_DIGITS) + "十]+")


def date_in_first_lines(text: str) -> str | None:
    """The ISO date of a line such as ``时间：2025年7月12日`` (or 日期：, 访谈时间：, Date:)
    among the text's first lines, if its value reads as a date."""
    lines = [line for line in text.split("\n", 50) if line.strip()][:FIRST_LINES]
    for line in lines:
        match = _DATE_LINE.match(line)
        found = written_date(match.group(1)) if match else None
        if found:
            return found
    return None


PLACE_KEYS = ("地点", "访谈地点", "调研地点", "调查地点", "观察地点", "记录地点", "场所", "place", "location")
_PLACE_LINE = re.compile(r"^[ \t]*(?:" + "|".join(PLACE_KEYS) + r")[ \t]*[:：][ \t]*(.+?)[ \t]*$", re.I)
MAX_PLACE = 80  # a longer value is a sentence, not a place


def place_in_first_lines(text: str) -> str | None:
    """The place a line such as ``地点：X村村委会`` (or 访谈地点：, Place:) names among the
    text's first lines."""
    lines = [line for line in text.split("\n", 50) if line.strip()][:FIRST_LINES]
    for line in lines:
        match = _PLACE_LINE.match(line)
        if match and len(match.group(1)) <= MAX_PLACE:
            return match.group(1).rstrip("。.;；")
    return None


def written_date(value: str) -> str | None:
    """``2025年7月12日``, ``2025-7-12``, ``2025/07``, ``二〇二五年七月十二日`` (a time after it
    is ignored) as ``YYYY-MM-DD`` or ``YYYY-MM``; None when it is not a date."""
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)
    match = _WRITTEN_DATE.search(_CHINESE_NUMBER.sub(_arabic, digits))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    try:
        if match.group(3):
            return date(year, month, int(match.group(3))).isoformat()
        return date(year, month, 1).isoformat()[:7]
    except ValueError:
        return None


def _arabic(match: re.Match[str]) -> str:
    """Chinese numerals as digits: 二〇二五 → 2025, 十二 → 12, 二十三 → 23."""
    text = match.group()
    if "十" not in text:
        return "".join(str(_CHINESE_DIGITS[ch]) for ch in text)
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return text
    return str((_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0))
