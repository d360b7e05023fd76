"""The optional metadata header at the top of an imported file.

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
from dataclasses import dataclass, field

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
