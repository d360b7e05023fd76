"""A case report: a chapter on one case or site, its profile, its sources, then one
section per framework dimension with sub-codes holding quotes and the researcher's memos.

The chapter is rendered from a template (``case.md.j2``, ``case.html.j2``); the Word
version is built from the rendered Markdown (see :mod:`fieldcase.reports.docx_writer`),
so a change to the template reaches the ``.docx`` too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.attribute_names import attribute_name, attribute_value
from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import InputError
from fieldcase.reports.chapter_labels import labels, language_of
from fieldcase.reports.citations import check_citations, cite_document, date_text, source_codes
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.summary import quotes_by_code
from fieldcase.reports.templating import render
from fieldcase.store.rows import CodeNode

if TYPE_CHECKING:
    from fieldcase.store.project import Project

_OPENINGS = 20  # sources read, 2,000 characters each, for the language of a chapter with no quote yet
TEMPLATES = BY_NAME["case"].templates  # by format; the Word chapter is made from rendered Markdown


def build(project: Project, scope: Scope | None = None, *, pseudonyms: bool = True, title: str | None = None,
          subtitle: str | None = None, author: str | None = None, lang: str | None = None,
          citations: str | None = None, **narrow: Unpack[Narrowing]) -> dict[str, Any]:
    """The template context for the chapter on the scope's case (or on its site), every
    string in it pseudonymised; the rest of the scope (code, one or several, with their
    sub-codes; kind of source; coder) narrows the quotes it holds. ``lang`` (zh or en; by
    default the one its texts are mostly in) chooses its headings and labels; ``citations``
    (inline or footnotes) where a quote's citation goes."""
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
        code_memos.setdefault(memo["target_id"], []).append(memo_text(memo))
    add_coding_memos(project, [q for listed in quotes.values() for q in listed])
    tree = codes.tree(project)
    quoted = codes.with_descendants(tree, quotes)
    own_memos = [memo_text(m) for m in memos.list_all(project, kind, subject["id"])]
    lang = language_of(lang, _texts(project, listing, own_memos, quotes, code_memos, tree, quoted))
    under: dict[str, list[CodeNode]] = {}
    for row in tree:
        under.setdefault(row["path"][0], []).append(row)
    dimensions = []
    for top in (r for r in tree if r["depth"] == 0):
        subs: list[dict[str, Any]] = [{
            "key": row["key"], "depth": row["depth"], "name": _name(row, lang), "name_zh": row["name_zh"] or "",
            "name_en": row["name_en"] or "", "quotes": quotes.get(row["key"], []),
            "memos": code_memos.get(row["id"], []),
            # a section where this case has quotes; a code's memos come with them, and a
            # memo alone (about the code across cases) does not open a section here
            "shown": bool(quoted[row["key"]]),
        } for row in under[top["key"]]]
        dimensions.append({
            "key": top["key"], "name": _name(top, lang), "name_zh": top["name_zh"] or "", "name_en": top["name_en"] or "",
            "codes": subs, "segments": sum(len(s["quotes"]) for s in subs),
        })
    rename = renamer(project, enabled=pseudonyms)
    refs = source_codes(project, rename)
    shown = sites.display_names(project, lang)  # a site as the chapter's language names it
    for quote in (q for listed in quotes.values() for q in listed):
        quote["ref"] = refs.get(quote["source_id"], "")
        quote["site"] = shown.get(quote.get("site") or "", quote.get("site"))
        cite_document(quote, lang)
    if "site" in facts:
        facts["site"] = shown.get(facts["site"] or "", facts["site"])
    name = subject["name"] if kind == "case" else sites.display_name(subject, lang)
    context: dict[str, Any] = rename.deep({
        "kind": kind,
        "title": title or name,
        "subtitle": subtitle or "",
        "author": author or "",
        "date": date_text(date.today(), lang),
        "lang": lang,
        "L": labels(lang),
        "citations": check_citations(citations),
        "name": name,
        "notes": subject.get("notes") or "",
        "profile": [{"key": k, "name": attribute_name(k, lang), "value": attribute_value(v, lang)}
                    for k, v in facts.items() if v not in (None, "")],
        "sources": [{**s, "interviewer": s["interviewer"] or "", "ref": refs.get(s["id"], "")} for s in listing],
        "memos": own_memos,
        "dimensions": dimensions,
        "total": sum(d["segments"] for d in dimensions),
        "project": {"name": project.info().get("name", "")},
        "today": date.today().isoformat(),
    })
    return context


def add_coding_memos(project: Project, quotes: list[dict[str, Any]]) -> None:
    """Each quote's ``memo``: the coding's own note (``coding memo``) and the memos written
    on the coding (``memo add --coding``), titles kept, one after the other."""
    from fieldcase.store import memos

    on_codings: dict[int, list[str]] = {}
    for memo in memos.list_all(project, "coding"):
        on_codings.setdefault(memo["target_id"], []).append(memo_text(memo))
    for quote in quotes:
        parts = (quote.get("memo") or "", *on_codings.get(quote["id"], []))
        # the same words written both ways (a coding's note and a memo on it) are printed once
        quote["memo"] = "　".join(dict.fromkeys(" ".join(m.split()) for m in parts if m.strip()))


def memo_text(memo: Mapping[str, Any]) -> str:
    """A memo as a chapter prints it: its title, when it has one, in 【】 before its words."""
    title = " ".join(str(memo.get("title") or "").split())
    return f"【{title}】{memo['body']}" if title else str(memo["body"])


def _name(row: CodeNode, lang: str) -> str:
    """A code's name in the chapter's language (the other one when it has none)."""
    names = (row["name_zh"], row["name_en"]) if lang == "zh" else (row["name_en"], row["name_zh"])
    return next((n for n in names if n), row["key"])


def _texts(project: Project, listing: list[Any], own_memos: list[str], quotes: dict[str, list[dict[str, Any]]],
           code_memos: dict[int, list[str]], tree: list[CodeNode], quoted: dict[str, Any]) -> Iterator[str]:
    """What the chapter is written from, for its language: the memos, the quotes and the
    memos on their codes; with no quote yet, the openings of its sources."""
    from fieldcase.store import sources

    yield from own_memos
    for listed in quotes.values():
        for quote in listed:
            yield quote["text"]
            yield quote["memo"]
    for row in tree:
        if quoted[row["key"]]:
            yield from code_memos.get(row["id"], [])
    if not any(quotes.values()):
        for source in listing[:_OPENINGS]:
            yield sources.find(project, source["id"])["text"][:2000]


def render_case(project: Project, fmt: str = "md", *, template: str | None = None, **kwargs: Any) -> str:
    """The chapter as Markdown or HTML text."""
    if fmt == "docx" or fmt not in TEMPLATES:
        raise InputError(f"render a case report as md or html (docx: write_case), not {fmt!r}")
    return render(template or TEMPLATES[fmt], **build(project, **kwargs))


def write_case(project: Project, out: Path, fmt: str = "md", *, template: str | None = None,
               reference_docx: Path | None = None, fonts: dict[str, str] | None = None,
               paper: str | None = None, toc: bool = False, **kwargs: Any) -> Path:
    """Write the chapter to ``out`` as ``md``, ``html`` or ``docx`` (the Word chapter on
    ``paper``, a4 or letter, with a table of contents if ``toc``)."""
    if fmt == "docx":
        from fieldcase.reports.docx_page import check_paper
        from fieldcase.reports.docx_writer import markdown_to_docx

        check_paper(paper)
        context = build(project, **kwargs)
        markdown = render(template or TEMPLATES["docx"], **context)
        rename = renamer(project, enabled=kwargs.get("pseudonyms", True))
        return markdown_to_docx(markdown, out, reference=reference_docx, fonts=fonts, title=context["title"],
                                rename=rename, lang=context["lang"], paper=paper, toc=toc)
    out.write_text(render_case(project, fmt, template=template, **kwargs), encoding="utf-8")
    return out
