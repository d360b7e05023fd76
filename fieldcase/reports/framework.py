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
    listing = {s["id"]: s for s in sources.list_all(project)}
    out: dict[int, dict[str, Any]] = {}
    for row, counted in iter_counted(project, Scope()):
        if row["id"] in wanted:
            source = listing[row["source_id"]]
            out[row["id"]] = {"id": row["id"], "text": row["text"], "source": row["source_title"],
                              "source_id": row["source_id"], "kind": source["kind"], "date": source["date"] or "",
                              "speaker": counted.speaker, "cases": counted.cases, "code_key": row["code_key"],
                              "memo": row["memo"] or ""}
    return out


WORDS: dict[str, dict[str, Any]] = {
    "zh": {"title": "框架矩阵", "site": "地点", "case": "个案", "table": "表", "quotes": "引文",
           "segments": "（{n} 个编码片段）", "segment": "（{n} 个编码片段）", "sep": "，",
           "theme": "主题", "quote": "引文", "speaker": "说话人",
           "source": "来源", "date": "日期", "matrix": "框架矩阵", "draft": "【草稿，待修订】"},
    "en": {"title": "Framework matrix", "site": "Site", "case": "Case", "table": "Table", "quotes": "Linked quotes",
           "segments": "({n} coded segments)", "segment": "({n} coded segment)", "sep": ", ",
           "theme": "Theme", "quote": "Quote", "speaker": "Speaker",
           "source": "Source", "date": "Date", "matrix": "Framework matrix", "draft": "[Draft, to be revised]"},
}


def build(project: Project, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (), codes: Sequence[Ref] = (),
          title: str | None = None, lang: str | None = None, pseudonyms: bool = True) -> dict[str, Any]:
    """The matrix as templates and writers take it, every string pseudonymised: ``themes``
    (key, name_zh, name_en, label, dimension), ``sites`` (name, rows: case, kind, cells:
    summary, count, draft, quotes), the quotes as one list (case, theme, text, citation),
    and the words around them in the matrix's language (``words``)."""
    from fieldcase.analysis.framework import build as matrix
    from fieldcase.reports.chapter_labels import language_of
    from fieldcase.reports.citations import date_text, source_codes
    from fieldcase.store import codes as store_codes
    from fieldcase.store import sites as store_sites
    from fieldcase.text.key_sentences import is_draft

    found = matrix(project, cases=cases, codes=codes, sites=sites)
    rename = renamer(project, enabled=pseudonyms)
    material = quotes_of(project, [i for cell in found.cells.values() for i in (*cell.links, *cell.codings)])
    linked = {i: material[i] for cell in found.cells.values() for i in cell.links if i in material}
    # the language of the material summarised and of the summaries
    lang = language_of(lang, [*(c.summary for c in found.cells.values()), *(q["text"] for q in material.values())])
    refs = source_codes(project, rename)
    tops = {r["key"]: r for r in store_codes.tree(project, counts=False) if r["depth"] == 0}
    themes = [{"key": t.key, "name_zh": t.name_zh, "name_en": t.name_en, "label": name_in(t.name_zh, t.name_en, lang)
               or t.key, "dimension": name_in(tops[t.top]["name_zh"] or "", tops[t.top]["name_en"] or "", lang)
               if t.top in tops else t.top} for t in found.themes]
    groups = []
    listing = []
    shown_site = store_sites.display_names(project, lang)
    for stored_site, members in found.sites():
        site = shown_site.get(stored_site, stored_site)
        rows = []
        for case in members:
            cells = []
            for theme, shown in zip(found.themes, themes, strict=True):
                cell = found.cell(case.id, theme.id)
                quotes = [_cited(linked[i], refs, lang) for i in cell.links if i in linked]
                cells.append({"theme": theme.key, "summary": cell.summary, "count": cell.count,
                              "draft": is_draft(cell.summary), "body": draft_body(cell.summary), "quotes": quotes,
                              "by": cell.modified_by, "at": cell.modified_at[:10]})
                listing += [{"case": case.name, "site": site, "theme": shown["label"], "key": theme.key, **q}
                            for q in quotes]
            rows.append({"case": case.name, "kind": case.kind, "cells": cells})
        groups.append({"name": site, "rows": rows})
    context = {
        "title": title or WORDS[lang]["title"],
        "project": {"name": project.info().get("name", "")},
        "today": date.today().isoformat(),
        "date": date_text(date.today(), lang),
        "lang": lang,
        "words": WORDS[lang],
        "themes": themes,
        "sites": groups,
        "quotes": listing,
    }
    deep: dict[str, Any] = rename.deep(context)
    return deep


def drafts_in(project: Project, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (),
              codes: Sequence[Ref] = ()) -> int:
    """How many cells of the matrix (or of a comparison of the same cases and themes) hold a
    summary still marked as a draft (``summary draft --save``, ctrl+t not revised)."""
    from fieldcase.analysis.framework import build as matrix
    from fieldcase.text.key_sentences import is_draft

    found = matrix(project, cases=cases, codes=codes, sites=sites)
    return sum(is_draft(found.cell(c.id, t.id).summary) for c in found.cases for t in found.themes)


def draft_body(summary: str) -> str:
    """A draft's words without its leading mark (the exports print their own, clearer one)."""
    from fieldcase.text.key_sentences import DRAFT_MARKS

    text = summary.lstrip()
    for mark in DRAFT_MARKS.values():
        if text.startswith(mark):
            return text[len(mark):].lstrip()
    return summary


def name_in(zh: str, en: str, lang: str) -> str:
    """A name in the matrix's language (the other one when it has none)."""
    return (zh or en) if lang == "zh" else (en or zh)


def _cited(quote: dict[str, Any], refs: dict[int, str], lang: str) -> dict[str, Any]:
    """A quote with its citation as the chapters print it: after it, ``citation``
    (（speaker，访谈编号：H-20230714）), or in a footnote, ``note`` (speaker，访谈编号：H-20230714。)."""
    from fieldcase.reports.chapter_labels import labels
    from fieldcase.reports.citations import cite_document

    words = labels(lang)
    quote = cite_document({**quote, "ref": refs.get(quote["source_id"], "")}, lang)
    ref = quote["ref"] or quote["source"]
    who = quote["speaker"] or words["and"].join(quote["cases"])
    kind = words["cited_as"].get(quote["kind"], words["cited_as"]["interview"])
    said = f"{who}{words['comma']}" if who else ""
    note = f"{said}{kind}{'：' if lang == 'zh' else ' '}{ref}"
    return {**quote, "ref": ref, "citation": f"{words['open']}{note}{words['close']}", "note": note + words["period"]}


def cell_text(cell: dict[str, Any], words: dict[str, str] = WORDS["zh"]) -> str:
    """What a cell of the matrix shows: its summary (a draft under a clear mark), else how
    many segments it has."""
    if cell.get("draft"):
        return f"{words['draft']}{cell['body']}"
    if cell["summary"]:
        return str(cell["summary"])
    return count_text(cell["count"], words) if cell["count"] else ""


def count_text(n: int, words: dict[str, str] = WORDS["zh"]) -> str:
    """How many coded segments a cell with no summary has: （3 个编码片段）, (1 coded segment)."""
    return words["segment" if n == 1 else "segments"].format(n=n)


def write(project: Project, path: Path, fmt: str, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (),
          codes: Sequence[Ref] = (), title: str | None = None, template: str | None = None,
          lang: str | None = None, paper: str | None = None, pseudonyms: bool = True,
          reference_docx: Path | None = None, fonts: dict[str, str] | None = None, toc: bool = False,
          citations: str | None = None) -> Path:
    """Write the matrix to ``path`` as xlsx, docx, md or html; a Word one takes a reference
    document's styles, other fonts, a table of contents and quotes cited in footnotes as a
    chapter does."""
    from fieldcase.reports.citations import check_citations

    cited = check_citations(citations)
    context = build(project, cases=cases, sites=sites, codes=codes, title=title, lang=lang, pseudonyms=pseudonyms)
    if fmt == "xlsx":
        return _xlsx(context, path)
    if fmt == "docx":
        from functools import partial

        from fieldcase.reports.framework_docx import Setting, write_matrix

        setting = Setting(paper=paper, reference=reference_docx, fonts=fonts, toc=toc, footnotes=cited == "footnotes")
        return write_matrix(context, path, partial(cell_text, words=context["words"]),
                            rename=renamer(project, enabled=pseudonyms), setting=setting)
    path.write_text(render(template or TEMPLATES[fmt], **context), encoding="utf-8")
    return path


def unmarked(text: str) -> str:
    """``text`` without its Markdown emphasis marks (``**第十三条**`` → 第十三条), for a sheet
    cell, which cannot show them as the other formats do."""
    if "*" not in text and "_" not in text:
        return text
    from markdown_it import MarkdownIt

    parsed = MarkdownIt("commonmark").parseInline(text)
    children = parsed[0].children or [] if parsed else []
    return "".join("\n" if t.type in ("softbreak", "hardbreak") else t.content for t in children)


def _xlsx(context: dict[str, Any], path: Path) -> Path:
    from fieldcase.reports.sheets import write_sheets

    words = context["words"]
    labels = [t["label"] for t in context["themes"]]
    rows = []
    for site in context["sites"]:
        for row in site["rows"]:
            rows.append({words["site"]: site["name"], words["case"]: row["case"],
                         **{label: unmarked(cell_text(c, words))
                            for label, c in zip(labels, row["cells"], strict=True)}})
    quotes = [{words["case"]: q["case"], words["theme"]: q["theme"], words["quote"]: unmarked(q["text"]),
               words["speaker"]: q["speaker"], words["source"]: q["ref"], words["date"]: q["date"]}
              for q in context["quotes"]]
    return write_sheets({words["matrix"]: rows, words["quotes"]: quotes}, path,
                        widths={words["matrix"]: [14, 14, *[36] * len(labels)],
                                words["quotes"]: [14, 18, 70, 12, 24, 12]})
