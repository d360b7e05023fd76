"""Many codings at once, from rows of a table: checked one by one, written in one change.

Each row names a source (title or id), a code (key, name or path ``parent/child``) and
the words, by offsets or by a quote found once in the text. A row that cannot be coded
is rejected with the reason; the rest are written together, so that one undo takes them
all back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.errors import FieldcaseError
from fieldcase.store import codes, sources
from fieldcase.store.codings import context
from fieldcase.text.english import count

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from fieldcase.store.project import Project


@dataclass(frozen=True)
class Wanted:
    """One row asking for a coding; ``line`` is its row number in the table."""

    line: int
    source: str
    code: str
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    coder: str | None = None
    memo: str | None = None


@dataclass
class Outcome:
    """What a bulk coding did: new codings, rows already coded, and rejected rows."""

    added: int = 0
    existing: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    group_id: int | None = None


class _Refused(Exception):
    """A row that cannot be coded; its message says why."""


class _Resolver:
    """Sources and codes as the rows name them, each looked up once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._codes: dict[str, Mapping[str, Any]] = {}
        self._children: dict[str | None, list[Mapping[str, Any]]] | None = None
        self._source_ids: dict[str, int] = {}
        self._text: tuple[int, str] | None = None  # the last source's text: rows come grouped

    def source(self, ref: str) -> int:
        if ref not in self._source_ids:
            try:
                self._source_ids[ref] = sources.find(self.project, ref)["id"]
            except FieldcaseError as err:
                raise _Refused(str(err)) from err
        return self._source_ids[ref]

    def text(self, source_id: int) -> str:
        if self._text is None or self._text[0] != source_id:
            found = self.project.conn.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
            self._text = (source_id, found[0])
        return self._text[1]

    def code(self, ref: str) -> Mapping[str, Any]:
        if ref not in self._codes:
            self._codes[ref] = self._by_path(ref) if "/" in ref else self._find(ref)
        return self._codes[ref]

    def _find(self, ref: str) -> Mapping[str, Any]:
        try:
            return codes.find(self.project, ref)
        except FieldcaseError as err:
            raise _Refused(str(err)) from err

    def _by_path(self, ref: str) -> Mapping[str, Any]:
        """The code at a path of names or keys from the top, ``人才回流/返乡动因``."""
        if self._children is None:
            self._children = {}
            for row in codes.tree(self.project):
                self._children.setdefault(row["parent_key"], []).append(row)
        found: list[Mapping[str, Any]] = [{"key": None}]
        for part in (p.strip().casefold() for p in ref.strip().strip("/").split("/")):
            found = [c for f in found for c in self._children.get(f["key"], [])
                     if part in {(c[n] or "").casefold() for n in ("key", "name_zh", "name_en")}]
        if len(found) != 1:
            raise _Refused(f"no code at path {ref!r}" if not found else f"{len(found)} codes have the path {ref!r}")
        return found[0]


def _span(row: Wanted, text: str) -> tuple[int, int]:
    """The offsets a row asks for, from its start and end or its quote (found exactly once)."""
    if row.quote:
        if row.start is not None or row.end is not None:
            raise _Refused("give a quote or start and end, not both")
        at = text.find(row.quote)
        if at == -1:
            raise _Refused(f"the quote {_clip(row.quote)!r} is not in the source")
        if text.find(row.quote, at + 1) != -1:
            times = text.count(row.quote)
            raise _Refused(f"the quote {_clip(row.quote)!r} occurs {times} times in the source; give start and end")
        return at, at + len(row.quote)
    if row.start is None or row.end is None:
        raise _Refused("give start and end, or a quote")
    if not (0 <= row.start < row.end <= len(text)):
        raise _Refused(f"offsets [{row.start}, {row.end}) are outside the source, which has {len(text)} characters"
                       " (start must be below end)")
    return row.start, row.end


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def add_rows(project: Project, rows: Iterable[Wanted], *, origin: str, dry_run: bool = False) -> Outcome:
    """Code every row that can be coded, in one transaction and one change group (history
    says they came from ``origin``); with ``dry_run`` check them all and write nothing."""
    if dry_run:
        return _plan(project, rows)[0]
    with project.change("coding.add", "") as w:
        done, planned = _plan(project, rows)
        w.summary = f"Coded {count(done.added, 'place')} from {origin}"
        if planned:
            w.insert_many("codings", planned)
            done.group_id = w.group_id
    return done


def _plan(project: Project, rows: Iterable[Wanted]) -> tuple[Outcome, list[dict[str, Any]]]:
    """Check each row: the outcome so far and the codings to write."""
    done = Outcome()
    resolver = _Resolver(project)
    planned: dict[tuple[int, int, str, int, int], dict[str, Any]] = {}
    exists = project.conn.cursor()
    for row in sorted(rows, key=lambda r: (r.source, r.line)):  # one source's text at a time
        try:
            source_id = resolver.source(row.source)
            code = resolver.code(row.code)
            text = resolver.text(source_id)
            start, end = _span(row, text)
        except _Refused as err:
            done.rejected.append((row.line, str(err)))
            continue
        coder = row.coder or project.user
        key = (source_id, code["id"], coder, start, end)
        if key in planned or exists.execute(
            "SELECT 1 FROM codings WHERE source_id = ? AND code_id = ? AND coder = ?"
            " AND start_offset = ? AND end_offset = ? AND status = 'active'", list(key)
        ).fetchone():
            done.existing += 1
            continue
        planned[key] = {"source_id": source_id, "code_id": code["id"], "start_offset": start,
                        "end_offset": end, "coder": coder, "memo": row.memo or None, **context(text, start, end)}
    done.rejected.sort()
    done.added = len(planned)
    return done, list(planned.values())
