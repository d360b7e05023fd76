"""A case report: a chapter on one case or site, its profile, its sources, then one
section per framework dimension with sub-codes holding quotes and the researcher's memos.

The chapter is rendered from a template (``case.md.j2``, ``case.html.j2``); the Word
version is built from the rendered Markdown (see :mod:`fieldcase.reports.docx_writer`),
so a change to the template reaches the ``.docx`` too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import InputError
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.summary import quotes_by_code
from fieldcase.reports.templating import render
from fieldcase.store.rows import CodeNode

if TYPE_CHECKING:
    from fieldcase.store.project import Project

TEMPLATES = BY_NAME["case"].templates  # by format; the Word chapter is made from rendered Markdown


def build(project: Project, scope: Scope | None = None, *, pseudonyms: bool = True, title: str | None = None,
          **narrow: Unpack[Narrowing]) -> dict[str, Any]:
    """The template context for the chapter on the scope's case (or on its site), every
    string in it pseudonymised; the rest of the scope (code, one or several, with their
    sub-codes; kind of source; coder) narrows the quotes it holds."""
    from fieldcase.store import cases, codes, memos, sites, sources

    scope = Scope.of(scope, **narrow)
    case, site = scope.case, scope.site
    if (case is None) == (site is None):
        raise InputError("a case report is about one case (--case) or one site (--site)")
    if case is not None:
        subject = cases.get(project, case)
        kind = "case"
        listing = sources.list_all(project, case=subject["id"])
        quotes = quotes_by_code(project, Scope.of(scope, case=subject["id"]))
        facts = {"kind": subject["kind"], "site": subject["site"], **subject["attributes"]}
    else:
        assert site is not None  # exactly one of case and site, as checked above
        subject = sites.get(project, site)
        kind = "site"
        listing = sources.list_all(project, site=subject["id"])
        quotes = quotes_by_code(project, Scope.of(scope, site=subject["id"]))
        facts = {k: subject[k] for k in ("county", "province", "region") if subject.get(k)}
        facts.update(subject["attributes"])
    code_memos: dict[int, list[str]] = {}
    for memo in memos.list_all(project, "code"):
        code_memos.setdefault(memo["target_id"], []).append(memo["body"])
    tree = codes.tree(project)
    quoted = codes.with_descendants(tree, quotes)
    under: dict[str, list[CodeNode]] = {}
    for row in tree:
        under.setdefault(row["path"][0], []).append(row)
    dimensions = []
    for top in (r for r in tree if r["depth"] == 0):
        subs: list[dict[str, Any]] = [{
            "key": row["key"], "depth": row["depth"], "name_zh": row["name_zh"] or "",
            "name_en": row["name_en"] or "", "quotes": quotes.get(row["key"], []),
            "memos": code_memos.get(row["id"], []),
            # a section where this case has quotes; a code's memos come with them, and a
            # memo alone (about the code across cases) does not open a section here
            "shown": bool(quoted[row["key"]]),
        } for row in under[top["key"]]]
        dimensions.append({
            "key": top["key"], "name_zh": top["name_zh"] or "", "name_en": top["name_en"] or "",
            "codes": subs, "segments": sum(len(s["quotes"]) for s in subs),
        })
    context: dict[str, Any] = renamer(project, enabled=pseudonyms).deep({
        "kind": kind,
        "title": title or subject["name"],
        "name": subject["name"],
        "notes": subject.get("notes") or "",
        "profile": [{"name": k.replace("_", " "), "value": str(v)} for k, v in facts.items() if v not in (None, "")],
        "sources": [{**s, "interviewer": s["interviewer"] or ""} for s in listing],
        "memos": [m["body"] for m in memos.list_all(project, kind, subject["id"])],
        "dimensions": dimensions,
        "total": sum(d["segments"] for d in dimensions),
        "project": {"name": project.info().get("name", "")},
        "today": date.today().isoformat(),
    })
    return context


def render_case(project: Project, fmt: str = "md", *, template: str | None = None, **kwargs: Any) -> str:
    """The chapter as Markdown or HTML text."""
    if fmt == "docx" or fmt not in TEMPLATES:
        raise InputError(f"render a case report as md or html (docx: write_case), not {fmt!r}")
    return render(template or TEMPLATES[fmt], **build(project, **kwargs))


def write_case(project: Project, out: Path, fmt: str = "md", *, template: str | None = None,
               reference_docx: Path | None = None, fonts: dict[str, str] | None = None,
               **kwargs: Any) -> Path:
    """Write the chapter to ``out`` as ``md``, ``html`` or ``docx``."""
    if fmt == "docx":
        from fieldcase.reports.docx_writer import markdown_to_docx

        context = build(project, **kwargs)
        markdown = render(template or TEMPLATES["docx"], **context)
        rename = renamer(project, enabled=kwargs.get("pseudonyms", True))
        return markdown_to_docx(markdown, out, reference=reference_docx, fonts=fonts, title=context["title"],
                                rename=rename)
    out.write_text(render_case(project, fmt, template=template, **kwargs), encoding="utf-8")
    return out
