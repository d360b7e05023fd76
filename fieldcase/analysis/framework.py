"""Framework matrices (the framework method of Ritchie & Spencer): cases × themes, each
cell holding the researcher's summary and the segments it rests on.

A theme is a code with its sub-codes; by default the framework's second level (the codes
under a dimension) that have material in the cases shown. A cell's segments are the
codings of the theme that count for the case (a speaker's turn counts for their case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Ref, Scope
from fieldcase.errors import InputError
from fieldcase.text.key_sentences import draft as draft_text

if TYPE_CHECKING:
    from fieldcase.store.project import Project

Rename = Callable[[str], str]


@dataclass(frozen=True)
class Theme:
    """A column: a code and its names."""

    id: int
    key: str
    name_zh: str
    name_en: str
    depth: int
    top: str  # the key of its dimension (the top-level code it falls under)

    @property
    def label(self) -> str:
        return self.name_zh or self.name_en or self.key


@dataclass(frozen=True)
class Case:
    """A row: a case and its site."""

    id: int
    name: str
    site: str
    kind: str


@dataclass
class Cell:
    """One case under one theme: its summary (blank: none), the codings it links to, who
    last wrote it and when, and the ids of the codings that count for it."""

    summary: str = ""
    links: list[int] = field(default_factory=list)
    modified_by: str = ""
    modified_at: str = ""
    codings: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.codings)


@dataclass
class Matrix:
    """Cases (by site) × themes, and every cell."""

    cases: list[Case]
    themes: list[Theme]
    cells: dict[tuple[int, int], Cell]

    def cell(self, case_id: int, code_id: int) -> Cell:
        return self.cells.get((case_id, code_id)) or Cell()

    def sites(self) -> list[tuple[str, list[Case]]]:
        """The cases grouped by site, in the order they are listed."""
        out: dict[str, list[Case]] = {}
        for case in self.cases:
            out.setdefault(case.site, []).append(case)
        return list(out.items())


def _cases(project: Project, cases: Sequence[Ref], sites: Sequence[Ref]) -> list[Case]:
    from fieldcase.store import cases as store_cases
    from fieldcase.store import sites as store_sites

    if cases:
        rows = [store_cases.get(project, c) for c in cases]  # in the order given
    else:
        # the sites in the order given (else by name), each site's cases by name
        at = {store_sites.find(project, s)["id"]: n for n, s in reversed(list(enumerate(sites)))}
        rows = [c for c in store_cases.list_all(project) if not at or c["site_id"] in at]
        rows.sort(key=lambda c: (at.get(c["site_id"], 0), c["site"] or "\uffff", c["name"]))
    seen: dict[int, Case] = {}
    for row in rows:
        seen.setdefault(row["id"], Case(row["id"], row["name"], row["site"] or "", row["kind"]))
    return list(seen.values())


def _themes(project: Project, codes: Sequence[Ref], summarised: set[int]) -> list[Theme]:
    """The codes asked for; else the second level (the first, in a flat codebook) and every
    other code that holds a summary, in codebook order."""
    from fieldcase.store import codes as store_codes

    tree = store_codes.tree(project, counts=False)
    if codes:
        wanted = [store_codes.find(project, c)["key"] for c in codes]
        rows = [r for key in dict.fromkeys(wanted) for r in tree if r["key"] == key]
    else:
        level = 1 if any(r["depth"] == 1 for r in tree) else 0
        rows = [r for r in tree if r["depth"] == level or r["id"] in summarised]
    return [Theme(r["id"], r["key"], r["name_zh"] or "", r["name_en"] or "", r["depth"], r["path"][0])
            for r in rows]


def build(project: Project, *, cases: Sequence[Ref] = (), codes: Sequence[Ref] = (), sites: Sequence[Ref] = (),
          all_themes: bool = False) -> Matrix:
    """The matrix of these cases (default: every case, or those of ``sites``) by these
    codes (default: the second level that has material in them; ``all_themes``: with or
    without material)."""
    from fieldcase.analysis.tables import iter_counted
    from fieldcase.store import cells as store_cells

    rows = _cases(project, cases, sites)
    wanted = {c.id for c in rows}
    stored_cells = store_cells.list_all(project, case_ids=sorted(wanted))
    themes = _themes(project, codes, {c["code_id"] for c in stored_cells if c["summary"]})
    by_key = {t.key: t for t in themes}
    found: dict[tuple[int, int], Cell] = {}
    for row, counted in iter_counted(project, Scope()):
        for key in counted.path:
            theme = by_key.get(key)
            if theme is None:
                continue
            for case_id in counted.case_ids:
                if case_id in wanted:
                    found.setdefault((case_id, theme.id), Cell()).codings.append(int(row["id"]))
    for stored in stored_cells:
        cell = found.setdefault((stored["case_id"], stored["code_id"]), Cell())
        cell.summary, cell.links = stored["summary"], list(stored["links"])
        cell.modified_by, cell.modified_at = stored["modified_by"], stored["modified_at"]
    if not codes and not all_themes:
        material = {code_id for (_, code_id), cell in found.items() if cell.count or cell.summary}
        themes = [t for t in themes if t.id in material]
    return Matrix(rows, themes, found)


def segments(project: Project, case: Ref, code: Ref) -> list[dict[str, Any]]:
    """The segments of a cell: the codings of the code (and its sub-codes) that count for
    the case, each with its words, source, speaker, code and whether the cell links it."""
    from fieldcase.analysis.tables import iter_counted
    from fieldcase.store import cases as store_cases
    from fieldcase.store import cells as store_cells
    from fieldcase.store import codes as store_codes

    found_case, found_code = store_cases.find(project, case), store_codes.find(project, code)
    cell = store_cells.by_ids(project, found_case["id"], found_code["id"])
    linked = set(cell["links"]) if cell else set()
    out = []
    for row, counted in iter_counted(project, Scope(code=found_code["id"])):
        if found_case["id"] not in counted.case_ids:
            continue
        out.append({"id": row["id"], "text": row["text"], "source": row["source_title"], "source_id": row["source_id"],
                    "start": row["start"], "end": row["end"], "code_key": row["code_key"],
                    "code": row["code_name_zh"] or row["code_name_en"] or row["code_key"],
                    "speaker": counted.speaker, "linked": row["id"] in linked})
    return out


def draft(project: Project, case: Ref, code: Ref, *, limit: int = 5) -> str:
    """A first draft of the cell's summary: the key sentences of its segments (the linked
    ones when some are linked), marked as a draft; refuses a cell without segments."""
    from fieldcase.store import codes as store_codes

    found = segments(project, case, code)
    if not found:
        raise InputError(f"case {case!r} has no segments under code {code!r} to draft from")
    linked = [s for s in found if s["linked"]] or found
    code_row = store_codes.find(project, code)
    keywords = list(_keywords(project, code_row["id"]))
    return draft_text([s["text"] for s in linked], keywords, limit=limit)


def _keywords(project: Project, code_id: int) -> list[str]:
    """The keywords of a code and its sub-codes (what auto-coding starts from)."""
    from fieldcase.store import codes as store_codes

    tree = store_codes.tree(project, counts=False)
    key = next(r["key"] for r in tree if r["id"] == code_id)
    return [k for r in tree if key in r["path"] for k in r["keywords"]]


def save(project: Project, case: Ref, code: Ref, summary: str | None = None, *, link: Sequence[int] = (),
         unlink: Sequence[int] = (), expected: str | None = None) -> dict[str, Any]:
    """Write a cell (:func:`fieldcase.store.cells.write`), refusing a link to a coding that
    is not one of the cell's segments: another case's (as the matrices attribute it, a
    speaker's turn to their case) or under another code than ``code`` and its sub-codes.
    With ``expected``, refuses a summary changed since the edit read it."""
    from fieldcase.store import cells as store_cells

    wanted = [int(i) for i in link]
    if wanted:
        ours = {s["id"] for s in segments(project, case, code)}
        for coding_id in wanted:
            if coding_id not in ours:
                raise InputError(_not_in_cell(project, coding_id, case, code))
    return store_cells.write(project, case, code, summary, link=wanted, unlink=unlink, expected=expected)


def _not_in_cell(project: Project, coding_id: int, case: Ref, code: Ref) -> str:
    """Why coding ``coding_id`` cannot back this cell's summary, in one line."""
    from fieldcase.analysis.tables import iter_counted
    from fieldcase.store import cases as store_cases
    from fieldcase.store import codes as store_codes

    code_row = store_codes.find(project, code)
    case_name = store_cases.find(project, case)["name"]
    head = f"coding {coding_id} is not one of {case_name} × {code_row['key']}'s segments"
    for row, counted in iter_counted(project, Scope()):
        if row["id"] == coding_id:
            if code_row["key"] not in counted.path:
                return f"{head}: it is coded {row['code_key']}, not under {code_row['key']}"
            owners = "、".join(counted.cases) or "no case"
            return f"{head}: it counts for {owners}, not {case_name}"
    return f"no coding {coding_id} to link"
