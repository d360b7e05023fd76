"""The framework matrix as a document: cases (rows, by site) × themes (columns), the
researcher's summaries in the cells, and the quotes each summary links to.

Written as XLSX (wrapped text; the linked quotes on a second sheet), Word (a real table on
a landscape page, its header row repeated on every page: :mod:`fieldcase.reports.framework_docx`),
Markdown or HTML (templates ``framework.md.j2``, ``framework.html.j2``). Every string is
pseudonymised before it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Ref
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.templating import render

if TYPE_CHECKING:
    from fieldcase.store.project import Project

TEMPLATES = BY_NAME["framework"].templates  # by format


def quotes_of(project: Project, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The codings ``ids`` as a citation needs them: words, source, date, speaker (real names)."""
    from fieldcase.analysis.tables import iter_counted
    from fieldcase.coding.scope import Scope
    from fieldcase.store import sources

    wanted = set(ids)
    if not wanted:
        return {}
    dates = {s["id"]: s["date"] or "" for s in sources.list_all(project)}
    out: dict[int, dict[str, Any]] = {}
    for row, counted in iter_counted(project, Scope()):
        if row["id"] in wanted:
            out[row["id"]] = {"id": row["id"], "text": row["text"], "source": row["source_title"],
                              "date": dates.get(row["source_id"], ""), "speaker": counted.speaker,
                              "cases": counted.cases, "code_key": row["code_key"]}
    return out


def build(project: Project, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (), codes: Sequence[Ref] = (),
          title: str | None = None, pseudonyms: bool = True) -> dict[str, Any]:
    """The matrix as templates and writers take it, every string pseudonymised: ``themes``
    (key, name_zh, name_en, label), ``sites`` (name, rows: case, kind, cells: summary,
    count, draft, quotes), and the quotes as one list (case, theme, text, citation)."""
    from fieldcase.analysis.framework import build as matrix
    from fieldcase.text.key_sentences import is_draft

    found = matrix(project, cases=cases, codes=codes, sites=sites)
    linked = quotes_of(project, [i for cell in found.cells.values() for i in cell.links])
    groups = []
    listing = []
    for site, members in found.sites():
        rows = []
        for case in members:
            cells = []
            for theme in found.themes:
                cell = found.cell(case.id, theme.id)
                quotes = [linked[i] for i in cell.links if i in linked]
                cells.append({"theme": theme.key, "summary": cell.summary, "count": cell.count,
                              "draft": is_draft(cell.summary), "quotes": quotes,
                              "by": cell.modified_by, "at": cell.modified_at[:10]})
                listing += [{"case": case.name, "site": site, "theme": theme.label, "key": theme.key, **q}
                            for q in quotes]
            rows.append({"case": case.name, "kind": case.kind, "cells": cells})
        groups.append({"name": site, "rows": rows})
    context = {
        "title": title or "框架矩阵",
        "project": {"name": project.info().get("name", "")},
        "today": date.today().isoformat(),
        "themes": [{"key": t.key, "name_zh": t.name_zh, "name_en": t.name_en, "label": t.label, "top": t.top}
                   for t in found.themes],
        "sites": groups,
        "quotes": listing,
    }
    deep: dict[str, Any] = renamer(project, enabled=pseudonyms).deep(context)
    return deep


def cell_text(cell: dict[str, Any]) -> str:
    """What a cell of the matrix shows: its summary, else how many segments it has."""
    if cell["summary"]:
        return str(cell["summary"])
    return f"（{cell['count']} 个编码片段）" if cell["count"] else ""


def write(project: Project, path: Path, fmt: str, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (),
          codes: Sequence[Ref] = (), title: str | None = None, template: str | None = None,
          pseudonyms: bool = True) -> Path:
    """Write the matrix to ``path`` as xlsx, docx, md or html."""
    context = build(project, cases=cases, sites=sites, codes=codes, title=title, pseudonyms=pseudonyms)
    if fmt == "xlsx":
        return _xlsx(context, path)
    if fmt == "docx":
        from fieldcase.reports.framework_docx import write_matrix

        return write_matrix(context, path, cell_text, rename=renamer(project, enabled=pseudonyms))
    path.write_text(render(template or TEMPLATES[fmt], **context), encoding="utf-8")
    return path


def _xlsx(context: dict[str, Any], path: Path) -> Path:
    from fieldcase.reports.sheets import write_sheets

    labels = [f"{t['name_zh']} {t['name_en']}".strip() for t in context["themes"]]
    rows = []
    for site in context["sites"]:
        for row in site["rows"]:
            rows.append({"地点 Site": site["name"], "个案 Case": row["case"],
                         **{label: cell_text(c) for label, c in zip(labels, row["cells"], strict=True)}})
    quotes = [{"个案 Case": q["case"], "主题 Theme": q["theme"], "引文 Quote": q["text"],
               "说话人 Speaker": q["speaker"], "来源 Source": q["source"], "日期 Date": q["date"]}
              for q in context["quotes"]]
    return write_sheets({"框架矩阵 Matrix": rows, "引文 Quotes": quotes}, path,
                        widths={"框架矩阵 Matrix": [14, 14, *[36] * len(labels)],
                                "引文 Quotes": [14, 18, 70, 12, 30, 12]})
