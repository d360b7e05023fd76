"""A :class:`~fieldcase.coding.scope.Scope` as SQL: the one place that turns a scope into a
``WHERE`` fragment, for every store query that narrows sources, codings or suggestions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Scope

if TYPE_CHECKING:
    from fieldcase.store.project import Project


@dataclass(frozen=True)
class Columns:
    """Where a query keeps what a scope narrows: the sources' columns (``prefix``), the
    column holding a source id, and (over codings or suggestions) the code and coder columns
    (over suggestions, who decided one)."""

    prefix: str
    source_id: str
    code_id: str | None = None
    coder: str | None = None
    speakers: bool = False  # a case also takes the sources where its speakers speak
    decided_by: str | None = None


SOURCES = Columns("", "id")  # FROM sources
LISTING = Columns("s.", "s.id")  # FROM sources s
CODINGS = Columns("s.", "g.source_id", "g.code_id", "g.coder", speakers=True)  # codings g JOIN sources s
SUGGESTIONS = Columns("s.", "g.source_id", "g.code_id", decided_by="g.decided_by")  # suggestions g JOIN sources s


@dataclass
class Where:
    """The conditions of a scope with their parameters, and the case it resolved (a coding
    query keeps only the codings that count for it)."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    case_id: int | None = None

    def add(self, clause: str, *params: Any) -> None:
        """One more condition."""
        self.clauses.append(clause)
        self.params.extend(params)

    def extend(self, other: Where) -> None:
        """Another fragment's conditions too."""
        self.clauses.extend(other.clauses)
        self.params.extend(other.params)
        self.case_id = self.case_id if other.case_id is None else other.case_id

    def sql(self, keyword: str = " WHERE ") -> str:
        """`` WHERE a AND b`` (nothing when no condition narrows)."""
        return keyword + " AND ".join(self.clauses) if self.clauses else ""


def where(project: Project, scope: Scope, columns: Columns, *, descendants: bool = True) -> Where:
    """The conditions that keep only what is in ``scope``, each reference found (an error
    names one that is not); codes take their sub-codes when ``descendants``. While blind
    coding is on, only the user's codings and suggestion decisions are in any scope."""
    from fieldcase.store import blinding, cases, sets, sites, sources

    out = Where()
    me = blinding.blind_as(project)
    if me is not None and columns.coder is not None:
        blinding.refuse_others(project, [scope.coder] if scope.coder is not None else [], "--coder")
        scope = Scope.of(scope, coder=me)
    if me is not None and columns.decided_by is not None:
        out.add(f"({columns.decided_by} IS NULL OR {columns.decided_by} = ?)", me)
    if scope.code is not None:
        if columns.code_id is None:
            raise ValueError("a scope by code needs a query over codings or suggestions")
        out.add(f"{columns.code_id} IN (SELECT value FROM json_each(?))",
                json.dumps(code_ids(project, scope, descendants=descendants)))
    p = columns.prefix
    if scope.site is not None:
        out.add(f"{p}site_id = ?", sites.find(project, scope.site)["id"])
    if scope.case is not None:
        out.case_id = cases.find(project, scope.case)["id"]
        also = " UNION SELECT source_id FROM speakers WHERE case_id = ?" if columns.speakers else ""
        out.add(f"{columns.source_id} IN (SELECT source_id FROM source_cases WHERE case_id = ?{also})",
                *[out.case_id] * (2 if columns.speakers else 1))
    if scope.kind is not None:
        out.add(f"{p}kind = ?", sources.check_kind(scope.kind))
    if scope.source is not None:
        out.add(f"{columns.source_id} = ?", sources.find(project, scope.source)["id"])
    if scope.date_from is not None:
        out.add(f"{p}date >= ?", sources.check_date(scope.date_from))
    if scope.date_to is not None:
        out.add(f"{p}date <= ?", sources.check_date(scope.date_to))
    if scope.source_set is not None:
        out.add(f"{columns.source_id} IN (SELECT value FROM json_each(?))",
                json.dumps(sets.member_ids(project, "source", scope.source_set)))
    if scope.code_set is not None:
        if columns.code_id is None:
            raise ValueError("a scope by code set needs a query over codings or suggestions")
        out.add(f"{columns.code_id} IN (SELECT value FROM json_each(?))",
                json.dumps(set_code_ids(project, scope.code_set, descendants=descendants)))
    if scope.coder is not None:
        if columns.coder is None:
            raise ValueError("a scope by coder needs a query over codings")
        out.add(f"{columns.coder} = ?", scope.coder)
    return out


def code_ids(project: Project, scope: Scope, *, descendants: bool = True) -> list[int]:
    """The ids of the scope's codes (with their sub-codes when ``descendants``), each once."""
    from fieldcase.store import codes

    found: dict[int, None] = {}
    for ref in scope.codes:
        code_id = codes.find(project, ref)["id"]
        found.update(dict.fromkeys(codes.subtree(project, code_id) if descendants else [code_id]))
    return list(found)


def set_code_ids(project: Project, ref: str | int, *, descendants: bool = True) -> list[int]:
    """The ids of a code set's codes (with their sub-codes when ``descendants``), each once."""
    from fieldcase.store import codes, sets

    found: dict[int, None] = {}
    for code_id in sets.member_ids(project, "code", ref):
        found.update(dict.fromkeys(codes.subtree(project, code_id) if descendants else [code_id]))
    return list(found)


def with_set_codes(project: Project, scope: Scope) -> Scope:
    """``scope`` with its code set spelled out as the set's codes, for an operation that reads
    ``scope.code`` itself (search and word counts inside coded text, matrices, suggestions)."""
    from dataclasses import replace

    from fieldcase.errors import InputError
    from fieldcase.store import sets

    if scope.code_set is None:
        return scope
    if scope.code is not None:
        raise InputError("give a code or a code set, not both")
    return replace(scope, code=tuple(sets.member_ids(project, "code", scope.code_set)), code_set=None)
