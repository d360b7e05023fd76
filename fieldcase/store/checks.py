"""``fieldcase check``: is the project file whole and does everything in it agree?

Each check reads the file and reports findings, one line each, without repairing
anything, except that the search index (derived data) is first brought up to date as any
search would. The checks: SQLite's page-level ``integrity_check`` and ``foreign_key_check``;
every source's text against its stored hash and length; every active coding's quote
against the words at its offsets; the search index against the texts
(:mod:`fieldcase.store.index_check`); the change log against itself and the tables it
explains (:mod:`fieldcase.store.log_check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.store.db import errors
from fieldcase.text.normalize import text_hash

if TYPE_CHECKING:
    from fieldcase.store.project import Project

CLIP = 40  # characters of a quote shown in a finding


@dataclass(frozen=True)
class Finding:
    """One problem: what kind of check found it, and a line saying where and what."""

    kind: str  # integrity, foreign-key, text, quote, search-index, change-log
    message: str

    def line(self) -> str:
        """The finding as printed: ``kind: message``."""
        return f"{self.kind}: {self.message}"


@dataclass
class Report:
    """The findings of every check and how much each looked at."""

    findings: list[Finding] = field(default_factory=list)
    counted: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        """Whether no check found anything."""
        return not self.findings


Check = Callable[["Project", Report], Iterator[Finding]]


def run(project: Project) -> Report:
    """Run every check on ``project``; a check that cannot run (a file too damaged to read)
    is itself a finding, and the others still run."""
    from fieldcase.store import index_check, log_check

    report = Report()
    checks: list[tuple[str, Check]] = [
        ("integrity", integrity), ("foreign-key", foreign_keys), ("text", texts_and_quotes),
        ("search-index", index_check.check), ("change-log", log_check.check),
    ]
    for kind, check in checks:
        try:
            report.findings.extend(check(project, report))
        except errors("DatabaseError") as err:
            report.findings.append(Finding(kind, f"could not be checked: {err}"))
    return report


def integrity(project: Project, report: Report) -> Iterator[Finding]:
    """SQLite's own check of every page, index and constraint."""
    verdict = [row[0] for row in project.conn.execute("PRAGMA integrity_check(100)")]
    report.counted["pages"] = project.conn.execute("PRAGMA page_count").fetchone()[0]
    if verdict != ["ok"]:  # a row may hold several lines, under a "*** in database main ***" head
        lines = [line for row in verdict for line in row.splitlines() if line and not line.startswith("***")]
        yield from (Finding("integrity", line) for line in lines)


def foreign_keys(project: Project, report: Report) -> Iterator[Finding]:
    """Rows that point at rows that do not exist."""
    columns: dict[tuple[str, int], str] = {}
    for table, row_id, parent, key in project.conn.execute("PRAGMA foreign_key_check").fetchall():
        if (table, key) not in columns:
            for spec in project.conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                columns[(table, spec[0])] = spec[3]
        column = columns.get((table, key), "?")
        value = project.conn.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', [row_id]).fetchone()
        shown = value[0] if value else "?"
        yield Finding("foreign-key", f"{table} row {row_id}: {column} {shown} names no row of {parent}")


def texts_and_quotes(project: Project, report: Report) -> Iterator[Finding]:
    """Every source's text against its hash and length, and every active coding's quote
    against the words at its offsets (orphaned codings lost their words on purpose)."""
    from fieldcase.store.search_index import texts

    ids = [r[0] for r in project.conn.execute("SELECT id FROM sources ORDER BY id")]
    report.counted["sources"] = len(ids)
    report.counted["codings"] = 0
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        found = texts(project, chunk)
        marks = ",".join("?" * len(chunk))
        stored = {r[0]: r[1:] for r in project.conn.execute(
            f"SELECT id, text_sha256, chars FROM sources WHERE id IN ({marks})", chunk)}
        for source_id in chunk:
            yield from _text(source_id, found[source_id], *stored[source_id])
        for coding in project.query(
            "SELECT id, source_id, start_offset, end_offset, quote FROM codings"
            f" WHERE status = 'active' AND source_id IN ({marks}) ORDER BY id", chunk
        ):
            report.counted["codings"] += 1
            yield from _quote(coding, found[coding["source_id"]])


def _text(source_id: int, text: str, sha256: str, chars: int) -> Iterator[Finding]:
    if text_hash(text) != sha256:
        yield Finding("text", f"source {source_id}: its text does not match its stored hash {sha256[:12]}…")
    if len(text) != chars:
        yield Finding("text", f"source {source_id}: its text has {len(text):,} characters, "
                              f"its record says {chars:,}")


def _quote(coding: dict[str, Any], text: str) -> Iterator[Finding]:
    start, end, quote = coding["start_offset"], coding["end_offset"], coding["quote"]
    where = f"coding {coding['id']} (source {coding['source_id']} [{start}, {end}))"
    if end > len(text):
        yield Finding("quote", f"{where}: ends past the text's {len(text):,} characters")
    elif text[start:end] != quote:
        yield Finding("quote", f"{where}: the text there reads {clip(text[start:end])!r}, "
                               f"the coding's quote {clip(quote)!r}")


def clip(text: str) -> str:
    """``text`` cut to :data:`CLIP` characters for a finding's line, newlines shown as ⏎."""
    text = text.replace("\n", "⏎")
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"
