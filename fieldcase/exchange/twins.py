"""Twins in a merge: a row of theirs that is the same thing as a row of mine made apart (the
same text imported on two laptops, the same code key) is one row, under the UUID every copy
keeps (:func:`fieldcase.store.rekeying.survivor`), so that any order of merges and syncs ends
with the same UUID everywhere. When theirs is the one kept, my row takes it here. Twins
named differently (two titles of one text) stay two rows, as the hub's purge reads names
from its rows (migration 0005): one row under one name would leave the other's name behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.store import rekeying
from fieldcase.store.merging import JOINS

if TYPE_CHECKING:
    from fieldcase.exchange.merge import _Merger

# what a hub purge reads as a row's names: twins named differently keep their own UUIDs
NAMES = ("title", "name", "name_zh", "name_en", "label", "aliases")


def kept_key(merger: _Merger, table: str, twin: str, their_key: str, natural: tuple[Any, ...]) -> str:
    """The key the row that is both ``twin`` (mine) and ``their_key`` (theirs), alike by
    ``natural``, keeps: mine is given theirs when theirs is the survivor. Returns it."""
    if table in JOINS or their_key in merger.mine.rows[table] or (
            rekeying.survivor(twin, their_key) == twin and twin not in merger.found_again):
        return twin  # (a speaker this merge found again in their text takes theirs: every copy does)
    mine = merger.mine
    row = mine.rows[table][twin]
    theirs = merger.theirs.rows[table].get(their_key) or {}
    if any(c in row and c in theirs and row[c] != theirs[c] for c in NAMES):
        return twin  # named apart: two rows still, so that a purge of one finds its own names
    rekeying.rekey(merger.project, merger.w, table, int(row["id"]), their_key)
    merger.report.rekeyed += 1  # a write: a merge that does nothing else still keeps it
    del mine.rows[table][twin]
    mine.rows[table][their_key] = {**row, "uuid": their_key}
    mine.uuids[table][int(row["id"])] = their_key
    for column in mine.set_apart.get((table, twin), ()):
        if (table, twin, column) in mine.last:
            mine.last[(table, their_key, column)] = mine.last.pop((table, twin, column))
    _move(mine.made, mine.touched, mine.gone, mine.set_apart, table=table, old=twin, new=their_key)
    if table in merger.naturals:
        merger.naturals[table][natural] = their_key
    for pair, key in list(merger.alias.items()):  # (few: rows of theirs matched to mine by what they are)
        if pair[0] == table and key == twin:
            merger.alias[pair] = their_key
    if twin in merger.seen[table]:
        merger.seen[table].discard(twin)
        merger.seen[table].add(their_key)
    merger.texts.pop(twin, None)
    return their_key


def _move(*maps: dict[tuple[str, str], Any], table: str, old: str, new: str) -> None:
    """Move what these maps hold of ``table``'s row ``old`` to ``new``."""
    for found in maps:
        if (table, old) in found:
            found[(table, new)] = found.pop((table, old))
