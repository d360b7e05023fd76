"""Twins in a merge: a row of theirs that is the same thing as a row of mine made apart (the
same text imported on two laptops, the same code key) is one row, under the UUID every copy
keeps (:func:`fieldcase.store.rekeying.survivor`), so that any order of merges and syncs ends
with the same UUID everywhere. When theirs is the one kept, my row takes it here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.store import rekeying
from fieldcase.store.merging import JOINS

if TYPE_CHECKING:
    from fieldcase.exchange.merge import _Merger


def kept_key(merger: _Merger, table: str, twin: str, their_key: str) -> str:
    """The key the row that is both ``twin`` (mine) and ``their_key`` (theirs) keeps: mine is
    given theirs when theirs is the survivor. Returns the key it has now."""
    if table in JOINS or rekeying.survivor(twin, their_key) == twin or their_key in merger.mine.rows[table]:
        return twin
    mine = merger.mine
    row = mine.rows[table][twin]
    rekeying.rekey(merger.project, merger.w, table, int(row["id"]), their_key)
    del mine.rows[table][twin]
    mine.rows[table][their_key] = {**row, "uuid": their_key}
    mine.uuids[table][int(row["id"])] = their_key
    _move(mine.made, mine.touched, mine.gone, mine.set_apart, table=table, old=twin, new=their_key)
    for t, k, column in [found for found in mine.last if found[:2] == (table, twin)]:
        mine.last[(table, their_key, column)] = mine.last.pop((t, k, column))
    for natural in merger.naturals.values():
        for found, key in natural.items():
            if key == twin:
                natural[found] = their_key
    for pair, key in list(merger.alias.items()):
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
