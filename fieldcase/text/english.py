"""English for counts in messages: 1 hit, 2 hits."""

from __future__ import annotations

IRREGULAR = {"this": "these", "was": "were", "has": "have"}


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for one (``count(1, "source")`` is "1 source")."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {plural or IRREGULAR.get(noun) or noun + 's'}"


def count_plural(n: int, plural: str) -> str:
    """:func:`count` from the plural noun (a report's key: "sources", "case attributes")."""
    return count(n, plural[:-1] if plural.endswith("s") else plural, plural)
