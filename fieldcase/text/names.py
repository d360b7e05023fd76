"""Names close to one typed, so that a typo is offered the name it missed (张大伯 househld →
张大伯 household, 李岭 → 李玲) before it becomes a new case or site."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 50.0


def _score(typed: str, known: str, **_: object) -> float:
    """Plain similarity and rapidfuzz's weighted one (which finds a name inside a longer one),
    averaged; a one-character name is compared plainly, or it would be found in everything."""
    from rapidfuzz import fuzz

    if min(len(typed), len(known)) < 2:
        return fuzz.ratio(typed, known)
    return (fuzz.WRatio(typed, known) + fuzz.ratio(typed, known)) / 2


def close_names(typed: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` of ``known`` most like ``typed`` (case and punctuation aside), best first."""
    from rapidfuzz import process, utils

    found = process.extract(typed, list(known), scorer=_score, processor=utils.default_process,
                            limit=limit, score_cutoff=CUTOFF)
    return [name for name, _, _ in found]


def unknown(typed: Iterable[str], known: Iterable[str]) -> list[str]:
    """The typed names not among ``known`` (ignoring case), in the order typed, once each."""
    have = {name.casefold() for name in known}
    return [name for name in dict.fromkeys(typed) if name.casefold() not in have]


def split_names(text: str) -> list[str]:
    """The names in a typed list: ``H, 张大伯 household`` or ``H，李玲`` (a full-width comma)."""
    return [name.strip() for name in text.replace("，", ",").split(",") if name.strip()]
