"""Codings read one at a time from a cursor, each with the cases it counts for, for exports
whose memory must not grow with the number of codings.

Rows come in source and text order (as :func:`fieldcase.store.codings.query` sorts them);
one source's speakers are held at a time. A coding counts for the cases of the words it
covers, without the blanks at either end (see :func:`fieldcase.store.codings._attribute`).
A count reads offsets from an index and no quote, except for the few spans whose blanks
could change whose words they are: SQLite trims those (:func:`tally_by_source`).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from fieldcase.store import scoping

if TYPE_CHECKING:
    from fieldcase.coding.scope import Scope
    from fieldcase.coding.speakers import Attribution, SourceSpeakers
    from fieldcase.store.project import Project

# Every character Python's str.strip() takes away (str.isspace), for SQLite's ltrim and
# rtrim; tests/test_export_stream.py checks the list against Python's.
BLANKS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
          "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")

# The first and last word of a coding (blanks at either end left out), by offset; the
# quote is trimmed only when it begins or ends with a blank (most do not).
_BLANK_CODES = ", ".join(str(ord(c)) for c in BLANKS)
_FIRST = (f"g.start_offset + CASE WHEN unicode(g.quote) IN ({_BLANK_CODES})"
          " THEN length(g.quote) - length(ltrim(g.quote, ?1)) ELSE 0 END")
_WORDS = (_FIRST,
          f"max({_FIRST}, CASE WHEN unicode(substr(g.quote, -1)) IN ({_BLANK_CODES})"
          " THEN g.end_offset - (length(g.quote) - length(rtrim(g.quote, ?1))) ELSE g.end_offset END)")


def _where(project: Project, scope: Scope, descendants: bool = True) -> tuple[str, list[Any], int | None]:
    """The conditions of a scope over ``codings g JOIN sources s`` (codes with their
    sub-codes when ``descendants``), active codings only; and the case a coding must count
    for, if any."""
    where = scoping.where(project, scope, scoping.CODINGS, descendants=descendants)
    where.add("g.status = 'active'")
    return where.sql(), where.params, where.case_id


_AHEAD = 32  # sources whose speakers are read in one go


class _BySource:
    """The speakers of the source the rows are in now (rows come grouped by source, in id
    order), read for a few sources ahead at a time; or of every source met so far when the
    caller keeps them in ``kept`` for later walks."""

    def __init__(self, project: Project, kept: dict[int, SourceSpeakers] | None = None) -> None:
        self.project = project
        self.kept = kept
        self.ahead: dict[int, SourceSpeakers] = {}
        self.ids: list[int] | None = None

    def of(self, source_id: int) -> SourceSpeakers:
        """The speakers of one source."""
        found = self.kept.get(source_id) if self.kept is not None else None
        if found is None:
            found = self.ahead.get(source_id)
        if found is None:
            from fieldcase.store import speakers

            if self.ids is None:
                self.ids = [r[0] for r in self.project.conn.execute("SELECT id FROM sources ORDER BY id")]
            at = bisect_left(self.ids, source_id)
            self.ahead = speakers.context(self.project, [source_id, *self.ids[at + 1 : at + _AHEAD]])
            found = self.ahead[source_id]
        if self.kept is not None:
            self.kept[source_id] = found
        return found


Alike = tuple[int, int, tuple[int, ...], str]  # source, code, cases counted for, why
Counts = dict[tuple[int, tuple[int, ...], str], int]  # one source's: by code, cases counted for, why


def tally(project: Project, scope: Scope, kept: dict[int, SourceSpeakers] | None = None) -> dict[Alike, int]:
    """How many codings in scope count alike: by source, code, the cases they count for
    and why (:func:`tally_by_source`, summed)."""
    return {(source_id, *alike): n for source_id, counts in tally_by_source(project, scope, kept)
            for alike, n in counts.items()}


def tally_by_source(project: Project, scope: Scope,
                    kept: dict[int, SourceSpeakers] | None = None) -> Iterator[tuple[int, Counts]]:
    """Each source with codings in scope, in id order, and how many of its codings count
    alike: by code, the cases they count for and why; counted as the cursor is read, a
    few sources' speakers at a time (``kept``: as :func:`rows` takes it), so that a caller
    that sums them holds one source's counts at a time.

    The offsets come from an index, without the quote: a span that ends before the next
    turn's label (or before the first turn, or in a source without turns) counts the same
    with or without the blanks at its ends, so its quote is not read. The quote is read, to
    leave its blanks out, only for a span across turns or one ending where a turn begins (a
    few in most studies)."""
    where, params, case_id = _where(project, scope)
    cursor = project.conn.execute(
        "SELECT g.id, g.source_id, g.code_id, g.start_offset, g.end_offset FROM codings g"
        f" JOIN sources s ON s.id = g.source_id{where} ORDER BY g.source_id", params)
    counts: Counts = {}

    def add(code_id: int, found: Attribution) -> None:
        if case_id is None or case_id in found.case_ids:
            alike = (code_id, found.case_ids, found.basis)
            counts[alike] = counts.get(alike, 0) + 1

    now, by_source = None, _BySource(project, kept)
    speakers: SourceSpeakers | None = None
    starts: Sequence[int] = ()
    across: list[int] = []  # codings of this source whose quote decides their words
    for coding_id, source_id, code_id, start, end in cursor:
        if source_id != now or speakers is None:  # rows come grouped by source
            if now is not None and speakers is not None:
                _add_trimmed(project, speakers, across, add)
                if counts:
                    yield now, counts
                    counts = {}
            now, speakers = source_id, by_source.of(source_id)
            starts = speakers.starts
        at = bisect_right(starts, start) - 1  # its turn (-1: before the first, or none)
        if at + 1 == len(starts) or end < starts[at + 1]:
            add(code_id, speakers.attribute(start, end))
        else:
            across.append(coding_id)
    if now is not None and speakers is not None:
        _add_trimmed(project, speakers, across, add)
        if counts:
            yield now, counts


def _add_trimmed(project: Project, speakers: SourceSpeakers, ids: list[int],
                 add: Callable[[int, Attribution], None]) -> None:
    """Count codings of one source by their words (their offsets less the blanks at either
    end, found by SQLite); ``ids`` is emptied."""
    if not ids:
        return
    import json

    for code_id, start, end in project.conn.execute(
            f"SELECT g.code_id, {_WORDS[0]}, {_WORDS[1]} FROM codings g"
            " WHERE g.id IN (SELECT value FROM json_each(?2)) ORDER BY g.id", [BLANKS, json.dumps(ids)]):
        add(code_id, speakers.attribute(start, end))
    ids.clear()


def rows(project: Project, scope: Scope, kept: dict[int, SourceSpeakers] | None = None, *,
         descendants: bool = True) -> Iterator[dict[str, Any]]:
    """Each coding in scope as :func:`fieldcase.store.codings.query` gives it with
    ``with_cases``, one at a time, in source and text order. ``kept``: each source's
    speakers, kept across calls (by a caller that walks the codings code by code);
    ``descendants``: the scope's codes take their sub-codes."""
    cursor, case_id = _cursor(project, scope, descendants,
                              "g.id, g.source_id, s.title AS source_title, c.key AS code_key, c.name_zh AS code_name_zh,"
                              " c.name_en AS code_name_en, g.start_offset AS start, g.end_offset AS end,"
                              " g.quote AS text, g.coder, g.memo, g.status", " JOIN codes c ON c.id = g.code_id")
    names = [d[0] for d in cursor.description] + list(_ATTRIBUTED)
    return (dict(zip(names, values)) for values in _attributed(project, cursor, kept, case_id, (1, 6, 7, 8)))


_ATTRIBUTED = ("case_ids", "basis", "speaker", "opened_by")  # the fields an attribution adds


def records(project: Project, scope: Scope, kept: dict[int, SourceSpeakers] | None = None, *,
            descendants: bool = True) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The codings of :func:`rows` as plain tuples, with the names of their fields, for a
    writer that makes no dict of a row and takes a code's and a source's names once from
    its own listing: ``id``, ``source_id``, ``code_id``, ``start``, ``end``, ``text``,
    ``coder``, ``memo``, then the attribution's ``case_ids``, ``basis``, ``speaker``,
    ``opened_by`` (no code or source names: each would be a string a row)."""
    cursor, case_id = _cursor(project, scope, descendants, "g.id, g.source_id, g.code_id, g.start_offset AS start,"
                              " g.end_offset AS end, g.quote AS text, g.coder, g.memo")
    names = [d[0] for d in cursor.description] + list(_ATTRIBUTED)
    return names, _attributed(project, cursor, kept, case_id, (1, 3, 4, 5))


def _cursor(project: Project, scope: Scope, descendants: bool, columns: str,
            join: str = "") -> tuple[sqlite3.Cursor, int | None]:
    """The active codings in scope, ``columns`` of ``codings g JOIN sources s`` and ``join``,
    in source and text order; and the case a coding must count for, if any."""
    where, params, case_id = _where(project, scope, descendants)
    return project.conn.execute(
        f"SELECT {columns} FROM codings g{join} JOIN sources s ON s.id = g.source_id{where}"
        " ORDER BY g.source_id, g.start_offset, g.end_offset, g.id", params), case_id


def _attributed(project: Project, cursor: Iterable[tuple[Any, ...]], kept: dict[int, SourceSpeakers] | None,
                case_id: int | None, at: tuple[int, int, int, int]) -> Iterator[tuple[Any, ...]]:
    """The cursor's rows (their source, start, end and quote at the places ``at``) each with
    the cases it counts for: those of its words, the blanks at either end left out (as
    ``_WORDS`` finds them in SQL; here the quote is read anyway); only those that count for
    ``case_id`` when it is given."""
    now, by_source = None, _BySource(project, kept)
    attribute = None
    i_source, i_start, i_end, i_quote = at
    for values in cursor:
        source_id, start, end, quote = values[i_source], values[i_start], values[i_end], values[i_quote]
        if source_id != now or attribute is None:  # rows come grouped by source
            now = source_id
            attribute = by_source.of(now).attribute
        if quote.strip() is not quote:  # CPython's strip gives back the string itself when it takes nothing
            start += len(quote) - len(quote.lstrip())
            end = max(start, end - (len(quote) - len(quote.rstrip())))
        found = attribute(start, end)
        if case_id is not None and case_id not in found.case_ids:
            continue
        yield values + found
