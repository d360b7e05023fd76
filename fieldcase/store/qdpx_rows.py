"""The rows a REFI-QDA project export reads: sources without their texts, one text at a
time, and the codings of the exported sources read from a cursor (an export's memory must
not grow with the number of codings)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Scope
from fieldcase.store import scoping

if TYPE_CHECKING:
    from fieldcase.store.project import Project


# One active coding as the export writes it: id, UUID, the code's UUID, start, end, coder,
# memo, created at (plain tuples: a named one costs a tenth of an export of 200,000 codings).
CodingRow = tuple[int, str, str, int, int, str, "str | None", str]


_SOURCE_COLUMNS = ("id, uuid, kind, title, date, place, interviewer, language, consent, site_id, original_filename,"
                   " created_at, created_by, modified_at, modified_by")


def sources(project: Project, ids: list[int]) -> list[dict[str, Any]]:
    """The sources ``ids`` in id order, every column but the text and its derivations."""
    return project.query(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id IN (SELECT value FROM json_each(?))"
                         " ORDER BY id", [json.dumps(ids)])


def text(project: Project, source_id: int) -> str:
    """One source's stored text."""
    found: str = project.conn.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
    return found


def _where(project: Project, ids: list[int], scope: Scope) -> scoping.Where:
    """Active codings in the sources ``ids`` of the scope's codes and code set (with sub-codes)
    and coder."""
    where = scoping.where(project, Scope(code=scope.code, coder=scope.coder, code_set=scope.code_set), scoping.CODINGS)
    where.add("g.status = 'active'")
    where.add("g.source_id IN (SELECT value FROM json_each(?))", json.dumps(ids))
    return where


def codings(project: Project, ids: list[int], scope: Scope) -> Iterator[CodingRow]:
    """The codings of the sources ``ids`` in scope, by source and place in the text."""
    where = _where(project, ids, scope)
    cursor = project.conn.execute(
        "SELECT g.id, g.uuid, c.uuid, g.start_offset, g.end_offset, g.coder, g.memo, g.created_at"
        " FROM codings g JOIN codes c ON c.id = g.code_id"
        f"{where.sql()} ORDER BY g.source_id, g.start_offset, g.end_offset, g.id", where.params)
    yield from cursor


def coders(project: Project, ids: list[int], scope: Scope) -> list[str]:
    """Who made the codings :func:`codings` gives, by name."""
    where = _where(project, ids, scope)
    return [r[0] for r in project.conn.execute(
        f"SELECT DISTINCT g.coder FROM codings g{where.sql()} ORDER BY g.coder", where.params)]


def orphaned(project: Project, ids: list[int]) -> int:
    """How many codings of the sources ``ids`` lost their words (no place to write them at)."""
    found: int = project.conn.execute(
        "SELECT count(*) FROM codings WHERE status = 'orphaned' AND source_id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)]).fetchone()[0]
    return found


def links(project: Project) -> list[tuple[int, int]]:
    """Every ``(case_id, source_id)`` link, by case and source."""
    return [(r[0], r[1]) for r in project.conn.execute(
        "SELECT case_id, source_id FROM source_cases ORDER BY case_id, source_id")]


def rows(project: Project, table: str) -> list[dict[str, Any]]:
    """Every row of ``sites``, ``cases`` or ``memos``, in id order."""
    if table not in ("sites", "cases", "memos"):
        raise ValueError(f"no export rows of {table}")
    return project.query(f"SELECT * FROM {table} ORDER BY id")


def attribute_values(project: Project, owner: str) -> dict[int, list[tuple[int, Any]]]:
    """Each site's, case's or source's ``(attribute id, stored value)``, in attribute order."""
    table, column = {"site": ("site_attribute_values", "site_id"), "case": ("case_attribute_values", "case_id"),
                     "source": ("source_attribute_values", "source_id")}[owner]
    out: dict[int, list[tuple[int, Any]]] = {}
    for owner_id, attribute_id, value in project.conn.execute(
            f"SELECT {column}, attribute_id, value FROM {table} ORDER BY {column}, attribute_id"):
        out.setdefault(owner_id, []).append((attribute_id, value))
    return out


def inserted(project: Project, group_id: int, tables: tuple[str, ...]) -> dict[str, set[int]]:
    """The rows of ``tables`` one change group added, by table."""
    out: dict[str, set[int]] = {}
    for table, row_id in project.conn.execute(
            "SELECT table_name, row_id FROM changes WHERE group_id = ? AND op = 'insert'"
            " AND table_name IN (SELECT value FROM json_each(?))", [group_id, json.dumps(tables)]):
        out.setdefault(table, set()).add(row_id)
    return out


def speakers(project: Project) -> dict[int, list[tuple[str, str, int | None, int]]]:
    """Each source's speakers that say more than a label (an interviewer, a case, or the
    researcher's decision): ``(label, role, case id, decided)``, by label."""
    out: dict[int, list[tuple[str, str, int | None, int]]] = {}
    for source_id, label, role, case_id, decided in project.conn.execute(
            "SELECT source_id, label, role, case_id, decided FROM speakers"
            " WHERE role != 'speaker' OR case_id IS NOT NULL OR decided ORDER BY source_id, label"):
        out.setdefault(source_id, []).append((label, role, case_id, decided))
    return out


def cases_of(project: Project, source_id: int) -> list[tuple[int, str]]:
    """The ``(id, name)`` of the cases a source is linked to, in the order they were linked."""
    return [(r[0], r[1]) for r in project.conn.execute(
        "SELECT c.id, c.name FROM source_cases l JOIN cases c ON c.id = l.case_id WHERE l.source_id = ?"
        " ORDER BY l.id", [source_id])]
