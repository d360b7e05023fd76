"""A cross-case chapter: the cases and their profiles in one table, one section per
framework dimension in which each case is discussed in turn from its summary and linked
quotes, a closing table of who shows what, and a chart of the codes across cases.

Rendered from ``comparison.md.j2`` (with the chapter macros of ``chapter.md.j2``); HTML is
that Markdown as a page with the chart inside, Word is built from it
(:mod:`fieldcase.reports.docx_writer`) with the chart as a picture, and Markdown gets the
chart as a PNG file beside it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.coding.attribute_names import attribute_name, attribute_value
from fieldcase.coding.scope import Ref
from fieldcase.errors import InputError
from fieldcase.reports.case_report import add_coding_memos, memo_text
from fieldcase.reports.chapter_labels import labels, language_of
from fieldcase.reports.citations import check_citations, cite_document, date_text, source_codes
from fieldcase.reports.framework import draft_body, name_in, quotes_of
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.templating import render

if TYPE_CHECKING:
    from fieldcase.analysis.framework import Matrix
    from fieldcase.store.project import Project

TEMPLATES = BY_NAME["comparison"].templates  # by format; HTML and Word are made from the Markdown
PROFILE_COLUMNS = 6  # columns of a profile table at most, so that it fits an upright page
UPRIGHT_CM = 21.0 - 2 * 3.17  # the text width of an upright A4 page (docx_page's margins), the narrower paper
# The chapter's own words, in its language (the shared ones are chapter_labels' L).
WORDS: dict[str, dict[str, Any]] = {
    "zh": {"title": "个案比较", "cases": "研究个案", "intro": "本章比较{n}个个案：{listed}。下表列出各个案的基本情况。",
           "case": "个案", "theme": "主题", "site": "地点", "kind": "类型", "profiles": "个案概况", "continued": "（续）", "closing": "比较与小结",
           "counts": "各个案在各主题下的编码片段数", "figure": "图", "chart": "各主题编码片段在个案间的分布",
           "waiting": "尚无摘要的个案（编码片段数）", "nowhere": "未定地点",
           "waiting_themes": "以下主题尚无摘要或引文（括号内为各个案的编码片段数）",
           "draft": "【草稿，待修订】", "no_material": "所比较的个案尚无编码材料，故本章暂无主题讨论与图表。",
           "kinds": {"person": "个人", "household": "家庭", "enterprise": "企业", "organisation": "组织",
                     "event": "事件"}},
    "en": {"title": "A comparison of cases", "cases": "The cases", "intro":
           "This chapter compares {n} case{s}: {listed}. The table below gives their profiles.",
           "case": "Case", "theme": "Theme", "site": "Site", "kind": "Kind", "profiles": "Profiles of the cases",
           "continued": " (continued)",
           "closing": "Comparison", "counts": "Coded segments of each case under each theme", "figure": "Figure",
           "chart": "Coded segments under each theme across the cases",
           "waiting": "Cases with no summary yet (coded segments)", "nowhere": "no site",
           "waiting_themes": "Themes with no summary or quote yet (coded segments of each case)",
           "draft": "[Draft, to be revised]", "no_material": "Nothing is coded yet for the cases compared, so this chapter has no themes or chart yet.",
           "kinds": {"person": "Person", "household": "Household", "enterprise": "Enterprise",
                     "organisation": "Organisation", "event": "Event"}},  # as a case chapter's profile
}


def build(project: Project, *, cases: Sequence[Ref] = (), sites: Sequence[Ref] = (), codes: Sequence[Ref] = (),
          title: str | None = None, subtitle: str | None = None, author: str | None = None,
          lang: str | None = None, citations: str | None = None, pseudonyms: bool = True) -> dict[str, Any]:
    """The chapter's template context, every string pseudonymised (see ``comparison.md.j2``)."""
    from fieldcase.analysis.framework import build as matrix

    if not cases and not sites:
        raise InputError("a comparison is across cases: give them (--case, repeated) or their sites (--site)")
    found = matrix(project, cases=cases, codes=codes, sites=sites)
    if not found.cases:
        raise InputError("no cases to compare in the sites given")
    rename = renamer(project, enabled=pseudonyms)
    material = quotes_of(project, [i for cell in found.cells.values() for i in (*cell.links, *cell.codings)])
    linked = {i: material[i] for cell in found.cells.values() for i in cell.links if i in material}
    refs = source_codes(project, rename)
    # the language of the material compared and of what was written about it
    lang = language_of(lang, [*(c.summary for c in found.cells.values()), *(q["text"] for q in material.values())])
    add_coding_memos(project, list(linked.values()))
    for quote in linked.values():
        quote["ref"] = refs.get(quote["source_id"], "")
        cite_document(quote, lang)
    waiting: list[dict[str, Any]] = []
    context = {
        "title": title or WORDS[lang]["title"], "subtitle": subtitle or "", "author": author or "",
        "date": date_text(date.today(), lang), "lang": lang, "L": labels(lang), "W": WORDS[lang],
        "citations": check_citations(citations),
        "project": {"name": project.info().get("name", "")},
        **_profiles(project, found, lang),
        "dimensions": _dimensions(project, found, linked, lang, waiting),
        "waiting_themes": waiting,
        "table": {"themes": [name_in(t.name_zh, t.name_en, lang) or t.key for t in found.themes],
                  "rows": [{"case": c.name, "counts": [found.cell(c.id, t.id).count for t in found.themes]}
                           for c in found.cases]},
    }
    deep: dict[str, Any] = rename.deep(context)
    return deep


def _profiles(project: Project, found: Matrix, lang: str) -> dict[str, Any]:
    """The cases with their attributes as one table: columns by display name, values as printed."""
    from fieldcase.store import cases as store_cases
    from fieldcase.store import sites as store_sites

    from fieldcase.store import memos

    profiles = [store_cases.get(project, c.id)["attributes"] for c in found.cases]
    keys = list(dict.fromkeys(k for p in profiles for k, v in p.items() if v not in (None, "")))
    words = WORDS[lang]
    shown = store_sites.display_names(project, lang)
    listed = [{"name": c.name, "site": shown.get(c.site, c.site), "kind": words["kinds"].get(c.kind, c.kind),
               "profile": [attribute_value(p[k], lang) if p.get(k) not in (None, "") else "" for k in keys],
               "memos": [memo_text(m) for m in memos.list_all(project, "case", c.id)]}
              for c, p in zip(found.cases, profiles, strict=True)]
    columns = [attribute_name(k, lang) for k in keys]
    return {"profile_columns": columns, "cases": listed, "profile_tables": profile_tables(listed, columns, words)}


def profile_tables(cases: list[dict[str, Any]], columns: list[str], words: dict[str, Any]) -> list[dict[str, Any]]:
    """The profile table cut so that a page holds it: one row a case, at most
    :data:`PROFILE_COLUMNS` columns a table, fewer when their headers and words would
    not fit whole (case, site and kind in the first; the case repeated in the others),
    the attributes in their order."""
    from fieldcase.reports.docx_tables import headers_fit

    out: list[dict[str, Any]] = []
    at = 0
    while at < len(columns) or not out:
        first = not out
        take = PROFILE_COLUMNS - (3 if first else 1)
        while True:  # fewer columns while a header or a word would have to break
            heads = [words["case"], *((words["site"], words["kind"]) if first else ()), *columns[at:at + take]]
            rows = [[c["name"], *((c["site"] or words["nowhere"], c["kind"]) if first else ()),
                     *c["profile"][at:at + take]] for c in cases]
            if take <= 1 or headers_fit([heads, *rows], UPRIGHT_CM):
                break
            take -= 1
        out.append({"columns": heads, "rows": rows, "continued": not first})
        at += take
    return out


def _dimensions(project: Project, found: Matrix, linked: dict[int, dict[str, Any]], lang: str,
                waiting: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One section a framework dimension: its themes with a summary or a linked quote, each
    with every case's summary and quotes and the memos on its code; a theme with coded segments but nothing written
    on it yet is added to ``waiting`` (name, cases: name, count) instead."""
    from fieldcase.store import codes as store_codes
    from fieldcase.store import memos
    from fieldcase.text.key_sentences import is_draft

    tops = {r["key"]: r for r in store_codes.tree(project, counts=False) if r["depth"] == 0}
    on_codes: dict[int, list[str]] = {}  # the memos on a theme's code: analysis across the cases
    for memo in memos.list_all(project, "code"):
        on_codes.setdefault(memo["target_id"], []).append(memo_text(memo))
    dimensions: dict[str, dict[str, Any]] = {}
    for theme in found.themes:
        discussed = []
        for case in found.cases:
            cell = found.cell(case.id, theme.id)
            discussed.append({"name": case.name, "summary": cell.summary, "draft": is_draft(cell.summary),
                              "body": draft_body(cell.summary),
                              "count": cell.count, "quotes": [linked[i] for i in cell.links if i in linked]})
        if not any(c["summary"] or c["quotes"] for c in discussed):
            # nothing written on it yet: no section of placeholders, but listed once at the end
            counted = [{"name": c["name"], "count": c["count"]} for c in discussed if c["count"]]
            if counted:
                waiting.append({"name": name_in(theme.name_zh, theme.name_en, lang) or theme.key, "cases": counted})
            continue
        top = tops.get(theme.top)
        name = name_in(top["name_zh"] or "", top["name_en"] or "", lang) if top else theme.top
        dimension = dimensions.setdefault(theme.top, {"key": theme.top, "name": name, "themes": []})
        dimension["themes"].append({"key": theme.key, "name": name_in(theme.name_zh, theme.name_en, lang) or theme.key,
                                    "cases": discussed, "memos": on_codes.get(theme.id, [])})
    return list(dimensions.values())


def chart(context: dict[str, Any]) -> bytes | None:
    """The chart of the context's case × theme table, as PNG: themes down (there are more
    of them, and a page is taller than wide), cases across, but one case is one row (a
    strip, not a column a page tall); None when nothing is coded for the cases (no theme,
    or none with a segment), so there is nothing to draw."""
    from fieldcase.reports.chart import heatmap

    table = context["table"]
    if not any(any(r["counts"]) for r in table["rows"]):
        return None
    names = [r["case"] for r in table["rows"]]
    if len(names) == 1:
        return heatmap(names, table["themes"], [table["rows"][0]["counts"]])
    by_theme = [[r["counts"][i] for r in table["rows"]] for i in range(len(table["themes"]))]
    return heatmap(table["themes"], names, by_theme)


def chart_path(out: Path) -> Path:
    """Where a Markdown chapter's chart goes: beside it, named after it (``x.md`` → ``x-chart.png``);
    the name an export in progress (``.x.md.partial.md``) will have once in place."""
    name = out.name
    if name.startswith(".") and ".partial" in name:
        name = name[1:name.index(".partial")]
    return out.with_name(f"{Path(name).stem}-chart.png")


def write(project: Project, out: Path, fmt: str, *, template: str | None = None, reference_docx: Path | None = None,
          fonts: dict[str, str] | None = None, paper: str | None = None, toc: bool = False,
          **kwargs: Any) -> list[tuple[Path, Path]]:
    """Write the chapter to ``out`` as md, html or docx; ``kwargs``: what :func:`build`
    takes. A Markdown chapter's chart is written beside it under a passing name, and the
    pair (where it is, where it goes once the chapter is in place) returned, for
    :func:`fieldcase.reports.exporting.publish` to put in place or take away with the chapter."""
    from fieldcase.reports.exporting import side_file
    from fieldcase.store.private import touch_private

    context = build(project, **kwargs)
    picture = chart(context)
    name = chart_path(out).name if picture is not None else None
    if fmt == "html":
        source = None if picture is None else "data:image/png;base64," + base64.b64encode(picture).decode("ascii")
        markdown = render(template or TEMPLATES[fmt], chart=source, **context)
        out.write_text(_page(context["title"], context["lang"], markdown), encoding="utf-8")
        return []
    markdown = render(template or TEMPLATES[fmt], chart=name, **context)
    if fmt == "docx":
        from fieldcase.reports.docx_writer import markdown_to_docx

        markdown_to_docx(markdown, out, reference=reference_docx, fonts=fonts, title=context["title"],
                         rename=renamer(project, enabled=kwargs.get("pseudonyms", True)),
                         lang=context["lang"], paper=paper, toc=toc,
                         images={} if name is None or picture is None else {name: picture})
        return []
    out.write_text(markdown, encoding="utf-8")
    if picture is None:
        return []
    chart_file = chart_path(out)
    side = side_file(chart_file)
    try:
        touch_private(side).write_bytes(picture)
    except BaseException:
        side.unlink(missing_ok=True)  # nothing half written is left beside the chapter
        raise
    return [(side, chart_file)]


def _page(title: str, lang: str, markdown: str) -> str:
    """The chapter's Markdown as an HTML page (raw HTML in it is shown as text, not run;
    the metadata block becomes the title)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from fieldcase.reports.docx_writer import front_matter

    meta, body_text = front_matter(markdown)
    body = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin).render(body_text)
    # a paragraph of one image (the chart) is a figure, its alt text the caption under it
    body = re.sub(r'<p><img src="([^"]*)" alt="([^"]*)" /></p>',
                  r'<figure><img src="\1" alt="\2" /><figcaption>\2</figcaption></figure>', body)
    # a "Table:" line before a table is its caption, as in the case chapter's HTML
    body = re.sub(r"<p>Table:\s*([^<]*)</p>\s*<table>", r"<table>\n<caption>\1</caption>", body)
    head = "".join(f'<p class="{k}">{escape(meta[k])}</p>\n' for k in ("subtitle", "author", "date") if meta.get(k))
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1 class=\"title\">{escape(meta.get('title') or title)}</h1>\n{head}{body}</body>\n</html>\n")


_STYLE = ('body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, Georgia, serif; max-width: 52em;'
          ' margin: 2em auto; line-height: 1.7; } h1, h2, h3, th { font-family: "Noto Sans CJK SC",'
          ' "Source Han Sans SC", SimHei, sans-serif; } h1.title { text-align: center; font-size: 1.8em; }'
          " .subtitle, .author, .date { text-align: center; } table { border-collapse: collapse; margin: 1em 0; }"
          " th, td { border: 1px solid #999; padding: 0.3em 0.6em; } caption { font-weight: bold; text-align: left; }"
          " img { max-width: 100%; }"
          " figure { margin: 1.5em 0; text-align: center; } figcaption { font-size: 0.9em; }"
          " blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #bbb; color: #333; }")
