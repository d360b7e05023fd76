"""Does the search index match the texts? A part of ``fieldcase check``.

The index is derived and brought up to date lazily (by the first search after a change),
so the check first does what a search would do, then demands an exact match: one live
entry per source, for its current text; FTS5's own structure check; and, read back through
an ``fts5vocab`` table, each live entry's terms at their positions exactly those of the
source's text. The terms are compared as an order-free sum of hashes of (term, position),
so the whole index is read once, in any order, holding one number per entry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING

from fieldcase.errors import FieldcaseError
from fieldcase.store.checks import Finding
from fieldcase.store.db import errors

if TYPE_CHECKING:
    from fieldcase.store.checks import Report
    from fieldcase.store.project import Project

_MASK = (1 << 64) - 1


def check(project: Project, report: Report) -> Iterator[Finding]:
    """Findings about the search index of ``project``."""
    from fieldcase.store import search_index

    try:
        search_index.sync(project)
    except (FieldcaseError,) + errors("Error") as err:
        yield Finding("search-index", f"could not be brought up to date: {err}")
    conn = project.conn
    scheme = conn.execute("SELECT value FROM search_meta WHERE key = 'scheme'").fetchone()
    if scheme is None or scheme[0] != search_index.SCHEME:
        yield Finding("search-index", f"made by another scheme ({scheme[0] if scheme else 'none'})")
    live = _live(project)
    report.counted["indexed"] = len(live)
    for source_id, sha in conn.execute("SELECT id, text_sha256 FROM sources ORDER BY id").fetchall():
        entries = live.pop(source_id, [])
        if len(entries) != 1 or entries[0][1] != sha:
            found = ", ".join(f"#{doc} for text {h[:12]}…" for doc, h in entries) or "none"
            yield Finding("search-index", f"source {source_id}: expected one entry for its text {sha[:12]}…, "
                                          f"found {found}")
    for source_id, entries in live.items():
        yield Finding("search-index", f"entry #{entries[0][0]} is live for source {source_id}, which does not exist")
    yield from _structure(project)
    yield from _terms(project)


def _live(project: Project) -> dict[int, list[tuple[int, str]]]:
    """``source id -> [(entry id, text hash)]`` of the live entries."""
    live: dict[int, list[tuple[int, str]]] = {}
    for doc, source_id, sha in project.conn.execute(
        "SELECT id, source_id, text_sha256 FROM search_docs WHERE live = 1 ORDER BY id"
    ):
        live.setdefault(source_id, []).append((doc, sha))
    return live


def _structure(project: Project) -> Iterator[Finding]:
    """FTS5's own ``integrity-check`` of the index's b-trees (it writes nothing)."""

    try:
        project.conn.execute("INSERT INTO search_grams (search_grams) VALUES ('integrity-check')")
    except errors("DatabaseError") as err:
        yield Finding("search-index", f"FTS5 integrity-check: {err}")


def _terms(project: Project) -> Iterator[Finding]:
    """Each live entry's terms against the terms of its source's current text."""
    from fieldcase.store.search_index import texts
    from fieldcase.text.fold import fold_case
    from fieldcase.text.grams import index_terms

    conn = project.conn
    stored = _stored_sums(conn)
    entries = conn.execute(
        "SELECT d.id, d.source_id FROM search_docs d JOIN sources s"
        " ON s.id = d.source_id AND s.text_sha256 = d.text_sha256 WHERE d.live = 1 ORDER BY d.id"
    ).fetchall()
    known = {r[0] for r in conn.execute("SELECT id FROM search_docs")}
    for start in range(0, len(entries), 200):
        chunk = entries[start : start + 200]
        found = texts(project, [source_id for _, source_id in chunk])
        for doc, source_id in chunk:
            terms = index_terms(fold_case(found[source_id])).split()
            if stored.get(doc, (0, 0)) != (len(terms), _sum(enumerate(terms))):
                have = stored.get(doc, (0, 0))[0]
                differ = "other terms" if have == len(terms) else f"{have:,} terms, the text {len(terms):,}"
                yield Finding("search-index", f"source {source_id}: entry #{doc} does not hold its text's terms "
                                              f"(it holds {differ}); `fieldcase reindex` rebuilds it")
    strays = sorted(set(stored) - known)
    if strays:
        yield Finding("search-index", f"{len(strays)} index entries belong to no indexed text (#{strays[0]} …)")


def _stored_sums(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """``entry id -> (number of terms, sum of hashes of (position, term))`` as indexed."""
    conn.execute("DROP TABLE IF EXISTS temp.fieldcase_check_terms")
    conn.execute("CREATE VIRTUAL TABLE temp.fieldcase_check_terms USING fts5vocab(main, search_grams, 'instance')")
    try:
        sums: dict[int, tuple[int, int]] = {}
        for term, doc, offset in conn.execute("SELECT term, doc, offset FROM temp.fieldcase_check_terms"):
            count, total = sums.get(doc, (0, 0))
            sums[doc] = (count + 1, (total + hash((offset, term))) & _MASK)
        return sums
    finally:
        conn.execute("DROP TABLE temp.fieldcase_check_terms")


def _sum(pairs: Iterator[tuple[int, str]]) -> int:
    return sum(hash(pair) for pair in pairs) & _MASK
