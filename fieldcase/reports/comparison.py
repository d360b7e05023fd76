"""A cross-case chapter: the cases and their profiles in one table, one section per
framework dimension in which each case is discussed in turn from its summary and linked
quotes, a closing table of who shows what, and a chart of the codes across cases.

Rendered from ``comparison.md.j2``; HTML is that Markdown as a page with the chart
inside, Word is built from it (:mod:`fieldcase.reports.docx_writer`) with the chart as a
picture, and Markdown gets the chart as a PNG file beside it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Ref
from fieldcase.errors import InputError
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.templating import render

if TYPE_CHECKING:
    from fieldcase.store.project import Project

TEMPLATES = BY_NAME["comparison"].templates  # by format; HTML and Word are made from the Markdown


def build(project: Project, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (), codes: Sequence[Ref] = (),
          title: str | None = None, pseudonyms: bool = True) -> dict[str, Any]:
    """The chapter's template context, every string pseudonymised (see ``comparison.md.j2``)."""
    from fieldcase.analysis.framework import build as matrix
    from fieldcase.reports.framework import quotes_of
    from fieldcase.store import cases as store_cases
    from fieldcase.store import codes as store_codes
    from fieldcase.text.key_sentences import is_draft

    if not cases and not sites:
        raise InputError("a comparison is across cases: give them (--case, repeated) or their sites (--site)")
    found = matrix(project, cases=cases, codes=codes, sites=sites)
    if not found.cases:
        raise InputError("no cases to compare in the sites given")
    linked = quotes_of(project, [i for cell in found.cells.values() for i in cell.links])
    profiles = [store_cases.get(project, c.id) for c in found.cases]
    columns = list(dict.fromkeys(k for p in profiles for k, v in p["attributes"].items() if v not in (None, "")))
    tops = {r["key"]: r for r in store_codes.tree(project, counts=False) if r["depth"] == 0}
    dimensions: dict[str, dict[str, Any]] = {}
    for theme in found.themes:
        top = tops.get(theme.top, {"name_zh": "", "name_en": theme.top})
        dimension = dimensions.setdefault(theme.top, {"key": theme.top, "name_zh": top["name_zh"] or "",
                                                      "name_en": top["name_en"] or "", "themes": []})
        discussed = []
        for case in found.cases:
            cell = found.cell(case.id, theme.id)
            discussed.append({"name": case.name, "summary": cell.summary, "draft": is_draft(cell.summary),
                              "count": cell.count, "quotes": [linked[i] for i in cell.links if i in linked]})
        dimension["themes"].append({"key": theme.key, "name_zh": theme.name_zh, "name_en": theme.name_en,
                                    "label": theme.label, "cases": discussed})
    context = {
        "title": title or "个案比较",
        "project": {"name": project.info().get("name", "")},
        "today": date.today().isoformat(),
        "cases": [{"name": c.name, "site": c.site, "kind": c.kind,
                   "profile": [str(p["attributes"].get(k, "") or "") for k in columns]}
                  for c, p in zip(found.cases, profiles, strict=True)],
        "profile_columns": [k.replace("_", " ") for k in columns],
        "dimensions": list(dimensions.values()),
        "table": {"themes": [t.label for t in found.themes],
                  "rows": [{"case": c.name, "counts": [found.cell(c.id, t.id).count for t in found.themes]}
                           for c in found.cases]},
    }
    deep: dict[str, Any] = renamer(project, enabled=pseudonyms).deep(context)
    return deep


def chart(context: dict[str, Any]) -> bytes:
    """The chart of the context's case × theme table, as PNG."""
    from fieldcase.reports.chart import heatmap

    table = context["table"]
    return heatmap([r["case"] for r in table["rows"]], table["themes"], [r["counts"] for r in table["rows"]])


def chart_path(out: Path) -> Path:
    """Where a Markdown chapter's chart goes: beside it, named after it (``x.md`` → ``x-chart.png``);
    the name an export in progress (``.x.md.partial.md``) will have once in place."""
    name = out.name
    if name.startswith(".") and ".partial" in name:
        name = name[1:name.index(".partial")]
    return out.with_name(f"{Path(name).stem}-chart.png")


def write(project: Project, out: Path, fmt: str, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (),
          codes: Sequence[Ref] = (), title: str | None = None, template: str | None = None,
          reference_docx: Path | None = None, fonts: dict[str, str] | None = None,
          pseudonyms: bool = True) -> Path:
    """Write the chapter to ``out`` as md (with its chart beside it), html or docx."""
    from fieldcase.store.private import touch_private

    context = build(project, cases=cases, sites=sites, codes=codes, title=title, pseudonyms=pseudonyms)
    picture = chart(context)
    name = chart_path(out).name
    if fmt == "html":
        source = "data:image/png;base64," + base64.b64encode(picture).decode("ascii")
        markdown = render(template or TEMPLATES[fmt], chart=source, **context)
        out.write_text(_page(context["title"], markdown), encoding="utf-8")
        return out
    markdown = render(template or TEMPLATES[fmt], chart=name, **context)
    if fmt == "docx":
        from fieldcase.reports.docx_writer import markdown_to_docx

        return markdown_to_docx(markdown, out, reference=reference_docx, fonts=fonts, title=context["title"],
                                rename=renamer(project, enabled=pseudonyms), images={name: picture})
    touch_private(chart_path(out)).write_bytes(picture)
    out.write_text(markdown, encoding="utf-8")
    return out


def _page(title: str, markdown: str) -> str:
    """The chapter's Markdown as an HTML page (raw HTML in it is shown as text, not run)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n")


_STYLE = ('body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, Georgia, serif; max-width: 52em;'
          ' margin: 2em auto; line-height: 1.7; } h1, h2, h3, th { font-family: "Noto Sans CJK SC",'
          ' "Source Han Sans SC", SimHei, sans-serif; } table { border-collapse: collapse; margin: 1em 0; }'
          " th, td { border: 1px solid #999; padding: 0.3em 0.6em; } img { max-width: 100%; }"
          " blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #bbb; color: #333; }")
