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


# What a table's rows are, said to a person (singular, plural): a merge's or a sync's counts.
ROWS = {"source_cases": ("link of a source to a case", "links of sources to cases"),
        "site_attribute_values": ("site attribute value", "site attribute values"),
        "case_attribute_values": ("case attribute value", "case attribute values"),
        "source_attribute_values": ("source attribute value", "source attribute values"),
        "attributes": ("attribute definition", "attribute definitions"),
        "framework_cells": ("framework summary", "framework summaries"),
        "framework_links": ("quote linked to a summary", "quotes linked to summaries"),
        "glossary": ("glossary term", "glossary terms"),
        "set_codes": ("code in a set", "codes in sets"),
        "set_sources": ("source in a set", "sources in sets")}


def count_rows(n: int, table: str) -> str:
    """``n`` rows of ``table`` in words ("1 case", "3 links of sources to cases")."""
    one, many = ROWS.get(table) or (table[:-1].replace("_", " "), table.replace("_", " "))
    return count(n, one, many)
