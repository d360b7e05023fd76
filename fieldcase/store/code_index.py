"""The codebook's keys, names, GUIDs and parents held in memory.

Adding or merging many codes (a codebook import, the framework) looks each one up here
instead of querying: a lookup by key or name ignores ASCII case, which no index on the
codes table serves, so a query per code would scan the table each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# How deep codes may nest (a top-level code is level 1). Real codebooks nest no deeper
# than about six; the limit keeps every walk over the tree, and every file written from
# it, small and safe.
MAX_LEVELS = 100
NAMED_BY = ("key", "name_zh", "name_en")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """``text`` as SQLite's ``COLLATE NOCASE`` compares it (ASCII letters only)."""
    return text.translate(_ASCII_LOWER)


class CodeIndex:
    """Every code's id by GUID, by key and by each name (case-folded), and its parent."""

    def __init__(self, project: Project) -> None:
        self.by_uuid: dict[str, int] = {}
        self.named: dict[str, dict[str, list[int]]] = {column: {} for column in NAMED_BY}
        self.parent: dict[int, int | None] = {}
        self.key_of: dict[int, str] = {}
        for row in project.query("SELECT id, uuid, key, name_zh, name_en, parent_id FROM codes"):
            self.note(row)

    def note(self, row: Mapping[str, Any]) -> None:
        """Record a code (one just added, so that later lookups see it)."""
        self.by_uuid[row["uuid"]] = row["id"]
        self.parent[row["id"]] = row["parent_id"]
        self.key_of[row["id"]] = row["key"]
        for column in NAMED_BY:
            if row.get(column):
                self.named[column].setdefault(fold(row[column]), []).append(row["id"])

    def named_as(self, column: str, value: str) -> list[int]:
        """Ids of the codes whose ``column`` (key, name_zh, name_en) equals ``value``, ignoring case."""
        return self.named[column].get(fold(value), [])

    def key_taken(self, key: str) -> bool:
        """Whether some code has this key (in any ASCII case)."""
        return bool(self.named_as("key", key))

    def unique_key(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3`` … whichever is free first."""
        key, n = base, 2
        while self.key_taken(key):
            key, n = f"{base}-{n}", n + 1
        return key

    def level(self, code_id: int | None) -> int:
        """How deep a code sits: 1 at the top level, 0 for no code (the top itself)."""
        level, seen = 0, set()
        while code_id is not None and code_id not in seen:  # a cycle is not followed around
            seen.add(code_id)
            level += 1
            code_id = self.parent.get(code_id)
        return level

    def check_room(self, what: str, parent: Mapping[str, Any] | None, height: int = 1) -> None:
        """Refuse to put ``height`` levels of codes (``what``) under ``parent`` when that
        would nest them deeper than :data:`MAX_LEVELS`."""
        level = self.level(parent["id"] if parent else None) + height
        if level > MAX_LEVELS:
            where = f" under {parent.get('name_zh') or parent.get('name_en') or parent['key']}" if parent else ""
            raise InputError(f"{what}{where} would nest codes {level} levels deep; "
                             f"fieldcase keeps them within {MAX_LEVELS}")
