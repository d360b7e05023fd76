"""Finding a code as a coder types: fuzzy over keys and names, and by pinyin (xxx → 新乡贤, cstl → 城市推力)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

MIN_SCORE = 55
Code = TypeVar("Code", bound=Mapping[str, Any])  # a code row: a tree node, a picker's entry


@lru_cache(maxsize=4096)
def pinyin_forms(name: str) -> tuple[str, str]:
    """A Chinese name's pinyin initials and full pinyin: 新乡贤 → ('xxx', 'xinxiangxian')."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(name, errors="ignore"))
    return initials.lower(), full.lower()


def by_pinyin(query: str, text: str) -> bool:
    """True if a typed ASCII ``query`` starts the pinyin initials or full pinyin of a Chinese
    ``text`` (``zkz`` or ``zhouke`` for 周科长; ``way`` for 王阿姨 household)."""
    q = query.strip().lower().replace(" ", "")
    if not q or not q.isascii() or text.isascii():
        return False
    initials, full = pinyin_forms(text)
    return initials.startswith(q) or full.startswith(q)


def _text_score(q: str, text: str, exact: float, partial: float) -> float:
    low = text.lower()
    if q == low:
        return exact
    if low.startswith(q):
        return partial + 5 * len(q) / max(len(low), 1)
    if q in low:
        return partial - 5 + 5 * len(q) / max(len(low), 1)
    if q.isascii() and not low.isascii():
        initials, full = pinyin_forms(text)
        if initials.startswith(q) or full.startswith(q):
            return partial
        if len(q) > 2 and q in full:
            return partial - 8
    return 0.0


def score(code: Mapping[str, Any], query: str) -> float:
    """How well ``query`` names ``code`` (0–100): names first, then keywords, then typos."""
    q = query.strip().lower()
    if not q:
        return 0.0
    names = [n for n in (code.get("key"), code.get("name_zh"), code.get("name_en")) if n]
    best = max((_text_score(q, n, 100.0, 90.0) for n in names), default=0.0)
    best = max([best, *(_text_score(q, k, 80.0, 72.0) for k in _keywords(code))])
    if best < 60 and len(q) > 2:
        from rapidfuzz import fuzz  # imported at the first typo, not at start-up

        typo = max((fuzz.WRatio(q, n.lower()) for n in names), default=0.0)
        if typo >= 80:
            best = max(best, typo * 0.7)
    return best


def _keywords(code: Mapping[str, Any]) -> list[str]:
    """A code's keywords (stored as a JSON array, or already a list)."""
    keywords = code.get("keywords") or []
    if isinstance(keywords, str):
        import json

        keywords = json.loads(keywords)
    return list(keywords)


def warm(codes: Sequence[Mapping[str, Any]]) -> None:
    """Make the pinyin of every Chinese name and keyword of ``codes`` now (pypinyin's
    dictionary loads with the first), so that the first key typed in a picker waits for none."""
    for code in codes:
        for text in (code.get("name_zh"), *_keywords(code)):
            if text and not text.isascii():
                pinyin_forms(text)


def rank(codes: Sequence[Code], query: str, limit: int = 60) -> list[Code]:
    """Codes matching ``query``, best first (all of them, in order, for an empty query)."""
    if not query.strip():
        return list(codes[:limit])
    scored = [(score(code, query), i, code) for i, code in enumerate(codes)]
    kept = [item for item in scored if item[0] >= MIN_SCORE]
    kept.sort(key=lambda item: (-item[0], item[1]))
    return [code for _, _, code in kept[:limit]]
