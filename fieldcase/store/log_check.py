"""Does the change log hold together, and does it explain every row? A part of ``fieldcase check``.

The log has no hash chain (no group names a digest of the one before), so a log rewritten
consistently by hand cannot be told from a true one, and group times may run backwards
(a group's time is taken before it waits for the write lock). What is checked instead:

- undo, redo and revert name an earlier change they may step back (your own for undo and
  redo, an undo for redo) and no other change names one;
- each change's entries are numbered 1, 2, … in the order they were written;
- replayed row by row, the log chains: a row is inserted before it is changed, each entry's
  *before* is the previous entry's *after*, and the last *after* is the row as it stands;
  every row of a logged table is in the log (a transaction that a crash cut short leaves
  neither rows nor log, so a row without its log was written behind fieldcase's back).

Comparisons use the columns both sides have (a column added by a later schema is absent
from older entries) and skip payloads that are not row objects (a purge's tombstone).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fieldcase.store.changes import ENTITY_TABLES, OMIT_FROM_LOG
from fieldcase.store.checks import Finding, clip
from fieldcase.store.db import table_exists

if TYPE_CHECKING:
    from fieldcase.store.checks import Report
    from fieldcase.store.project import Project

# Every row of these tables is written through the change log (suggestions are not: open
# ones are derived and written unlogged).
LOGGED = ENTITY_TABLES | {"source_cases", "site_attribute_values", "case_attribute_values",
                          "source_attribute_values", "pseudonyms", "glossary"}
UPGRADE_USER = "fieldcase"  # speakers linked by the upgrade to schema 7 were not logged
_STEPS = ("undo", "redo")


def check(project: Project, report: Report) -> Iterator[Finding]:
    """Findings about the change log of ``project``."""
    report.counted["changes"] = project.conn.execute("SELECT count(*) FROM change_groups").fetchone()[0]
    yield from _steps(project)
    yield from _numbering(project)
    yield from _rows(project)


def _steps(project: Project) -> Iterator[Finding]:
    """Each undo, redo and revert against the change it names."""
    groups = {r[0]: r[1:] for r in project.conn.execute("SELECT id, user, action, undoes FROM change_groups")}
    for group_id, (user, action, undoes) in sorted(groups.items()):
        if undoes is None:
            if action in (*_STEPS, "revert"):
                yield Finding("change-log", f"change #{group_id} ({action}) names no change it steps back")
            continue
        target = groups.get(undoes)
        problem = None
        if action not in (*_STEPS, "revert"):
            problem = f"is a {action}, yet names change #{undoes} as undone"
        elif target is None or undoes >= group_id:
            problem = f"steps back change #{undoes}, which {'does not exist' if target is None else 'is not earlier'}"
        elif action == "redo" and target[1] != "undo":
            problem = f"redoes change #{undoes}, which is a {target[1]}, not an undo"
        elif action != "redo" and target[1] in _STEPS:
            problem = f"{action}s change #{undoes}, which is itself an {target[1]}"
        elif action in _STEPS and target[0] != user:
            problem = f"is {user}'s {action} of change #{undoes}, which {target[0]} made"
        if problem:
            yield Finding("change-log", f"change #{group_id} {problem}")


def _numbering(project: Project) -> Iterator[Finding]:
    """Entries of each change numbered 1, 2, … in the order they were written."""
    expected: tuple[int, int, int] = (0, 0, 0)  # group, next seq, last entry id
    reported: set[int] = set()
    for entry, group_id, seq in project.conn.execute("SELECT id, group_id, seq FROM changes ORDER BY group_id, seq"):
        if group_id != expected[0]:
            expected = (group_id, 1, 0)
        if (seq != expected[1] or entry < expected[2]) and group_id not in reported:
            reported.add(group_id)
            yield Finding("change-log", f"change #{group_id}: its entries are not numbered 1, 2, … in the "
                                        f"order written (entry {entry} is number {seq})")
        expected = (group_id, seq + 1, entry)


def _rows(project: Project) -> Iterator[Finding]:
    """Replay the log of every logged table and compare the last state with the rows."""
    for table in sorted(t for t in LOGGED if table_exists(project.conn, t)):
        current = _current(project, table)
        last: dict[int, tuple[int, str, Any]] = {}  # row id -> (entry id, op, after)
        for entry, row_id, op, before, after in project.conn.execute(
            "SELECT id, row_id, op, before, after FROM changes WHERE table_name = ? ORDER BY row_id, id", [table]
        ):
            previous = last.get(row_id)
            yield from _link(table, row_id, entry, op, _row(before), previous)
            last[row_id] = (entry, op, _row(after))
        yield from _ends(table, current, last)


def _current(project: Project, table: str) -> dict[int, dict[str, Any]]:
    omit = OMIT_FROM_LOG.get(table, frozenset())
    columns = [r[1] for r in project.conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in omit]
    listed = ", ".join(f'"{c}"' for c in columns)
    return {r["id"]: r for r in project.query(f'SELECT {listed} FROM "{table}"')}


def _row(payload: str | None) -> Any:
    """A logged row as a dict; anything else (null, a tombstone) as it is."""
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return payload


def _link(table: str, row_id: int, entry: int, op: str, before: Any,
          previous: tuple[int, str, Any] | None) -> Iterator[Finding]:
    """One entry against the entry before it on the same row."""
    where = f"log entry {entry}: {table} row {row_id}"
    if op == "insert":
        if previous is not None and previous[1] != "delete":
            yield Finding("change-log", f"{where} is inserted again without a delete (entry {previous[0]})")
        return
    if previous is None:
        if not (table == "speakers" and isinstance(before, dict) and before.get("created_by") == UPGRADE_USER):
            yield Finding("change-log", f"{where} is {op}d, but no entry before it inserts the row")
        return
    if previous[1] == "delete":
        yield Finding("change-log", f"{where} is {op}d after entry {previous[0]} deleted it")
        return
    column = _differing(previous[2], before)
    if column is not None:
        yield Finding("change-log", f"{where}: {column} was {_shown(before, column)} before it, but entry "
                                    f"{previous[0]} left {_shown(previous[2], column)}")


def _ends(table: str, current: dict[int, dict[str, Any]], last: dict[int, tuple[int, str, Any]]) -> Iterator[Finding]:
    """The rows as they stand against the log's last word on each."""
    for row_id, (entry, op, after) in sorted(last.items()):
        row = current.pop(row_id, None)
        if op == "delete":
            if row is not None:
                yield Finding("change-log", f"{table} row {row_id} exists, but log entry {entry} deleted it")
        elif row is None:
            yield Finding("change-log", f"{table} row {row_id} is missing; log entry {entry} left it in place")
        elif (column := _differing(after, row)) is not None:
            yield Finding("change-log", f"{table} row {row_id}: {column} is {_shown(row, column)}, but log entry "
                                        f"{entry} left {_shown(after, column)}")
    for row_id, row in sorted(current.items()):
        if not (table == "speakers" and row.get("created_by") == UPGRADE_USER):
            yield Finding("change-log", f"{table} row {row_id} is in no change of the log")


def _differing(logged: Any, row: Any) -> str | None:
    """The first column the two row states both have and disagree on, else None."""
    if not isinstance(logged, dict) or not isinstance(row, dict):
        return None
    return next((k for k in logged if k in row and logged[k] != row[k]), None)


def _shown(row: dict[str, Any], column: str) -> str:
    value = row[column]
    return "null" if value is None else repr(clip(value) if isinstance(value, str) else value)
