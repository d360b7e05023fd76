"""The writer of each export kind, behind one signature so that the registry
(:mod:`fieldcase.reports.registry`) can hold them: ``write(project, path, fmt, options)``.
Each imports what it needs when it runs, so listing the kinds loads no Word or Excel code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.coding.scope import Scope

if TYPE_CHECKING:
    from fieldcase.analysis.agreement import Settings
    from fieldcase.exchange.qdpx.write import ExportReport
    from fieldcase.reports.pseudonyms import Pseudonyms
    from fieldcase.store.project import Project


SCOPE_OPTIONS = ("case", "site", "code", "kind", "coder")  # the scope's fields an export may take


@dataclass(frozen=True)
class ExportOptions:
    """What narrows or shapes an export; each kind uses the ones its registry entry names."""

    scope: Scope = Scope()  # its case, site, code(s), kind of source and coder
    by: str = "case"  # matrix columns
    template: str | None = None
    title: str | None = None
    subtitle: str | None = None  # the title block of a chapter
    author: str | None = None
    lang: str | None = None  # a chapter's language, zh or en (default: its texts')
    paper: str | None = None  # a4 or letter (default: see reports.docx_page.choose_paper)
    toc: bool = False  # a table of contents in a Word chapter
    citations: str | None = None  # inline (default) or footnotes
    reference_docx: Path | None = None
    fonts: dict[str, str] | None = None
    names: str = "both"  # which code names a .qdc carries
    agreement: Settings | None = None  # what an agreement report compares
    target: str = "standard"  # the tool a .qdpx is written for (how it counts positions)
    pseudonyms: bool = True
    cases: tuple[str, ...] = ()  # several cases (a framework matrix, a comparison); else the scope's one
    sites: tuple[str, ...] = ()  # several sites, likewise


def _cases_sites(o: ExportOptions) -> tuple[tuple[str | int, ...], tuple[str | int, ...]]:
    """The cases and the sites an export across cases covers: those given, else the scope's."""
    cases = o.cases or ((o.scope.case,) if o.scope.case is not None else ())
    sites = o.sites or ((o.scope.site,) if o.scope.site is not None else ())
    return cases, sites


def summary(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """The coded summary, rendered through its template."""
    from fieldcase.reports.summary import summary_pieces

    written = summary_pieces(project, fmt, o.scope, template=o.template, pseudonyms=o.pseudonyms)
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(written)


def case(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """The chapter on a case (or, with no case, on a site)."""
    from fieldcase.reports.case_report import write_case

    scope = o.scope if o.scope.case is None else o.scope.without("site")
    write_case(project, path, fmt, template=o.template, reference_docx=o.reference_docx, fonts=o.fonts,
               scope=scope, pseudonyms=o.pseudonyms, title=o.title, subtitle=o.subtitle, author=o.author,
               lang=o.lang, citations=o.citations, paper=o.paper, toc=o.toc)


def segments(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """One row a coding."""
    from fieldcase.analysis import tables
    from fieldcase.reports.sheets import safe_cell, write_safe

    rename = _renamer(project, o)
    columns, rows = tables.segment_table(project, _scope(o), rename=rename, rename_key=rename.key,
                                         cell=safe_cell(path))
    write_safe([rename(c) for c in columns], rows, path, sheet="segments")


def matrix(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """Counts by code and case, site or attribute, or code co-occurrence (``by`` overlap or turn),
    whose column names are code keys and are pseudonymised as keys."""
    from fieldcase.analysis import tables

    rename = _renamer(project, o)
    if o.by in ("overlap", "turn"):
        rows = tables.cooccurrence(project, _scope(o), within=o.by)
    else:
        rows = tables.matrix(project, _scope(o), by=o.by, rename=rename)
    _write_rows(rows, path, "matrix", rename, keyed_columns=o.by in ("overlap", "turn"))


def framework(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """The framework matrix: cases × themes, the researcher's summaries in the cells."""
    from fieldcase.reports.framework import write

    cases, sites = _cases_sites(o)
    write(project, path, fmt, cases=cases, sites=sites, codes=o.scope.codes, title=o.title, template=o.template,
          lang=o.lang, paper=o.paper, pseudonyms=o.pseudonyms, reference_docx=o.reference_docx, fonts=o.fonts,
          toc=o.toc, citations=o.citations)


def comparison(project: Project, path: Path, fmt: str, o: ExportOptions) -> list[tuple[Path, Path]]:
    """The cross-case chapter: the cases' profiles, each framework dimension case by case,
    a table of who shows what, and a chart of the codes across cases (in Markdown a file
    beside it: returned as (written, final) for the export to put in place)."""
    from fieldcase.reports.comparison import write

    cases, sites = _cases_sites(o)
    return write(project, path, fmt, cases=cases, sites=sites, codes=o.scope.codes, title=o.title, template=o.template,
          reference_docx=o.reference_docx, fonts=o.fonts, pseudonyms=o.pseudonyms, subtitle=o.subtitle,
          author=o.author, lang=o.lang, citations=o.citations, paper=o.paper, toc=o.toc)


def codebook(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """The codebook as a REFI-QDA ``.qdc`` or as Markdown for a methods appendix."""
    rename = _renamer(project, o)
    if fmt == "qdc":
        from fieldcase.exchange.qdc import export_codebook

        export_codebook(project, path, names=o.names, rename=rename.deep)
    else:
        from fieldcase.reports.codebook import write_markdown

        write_markdown(project, path, rename=rename)


def qdpx(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """The whole project (the part in scope) as REFI-QDA for another tool."""
    export_qdpx(project, path, o)


def export_qdpx(project: Project, path: Path, o: ExportOptions, **work: Any) -> ExportReport:
    """:func:`qdpx`, returning what was written; ``work``: ``progress`` and ``cancel``."""
    from fieldcase.exchange.qdpx.write import export_project

    return export_project(project, path, target=o.target, scope=o.scope, rename=_renamer(project, o), **work)


def agreement(project: Project, path: Path, fmt: str, o: ExportOptions) -> None:
    """Inter-coder agreement for a methods appendix: the table, the settings, the disagreements."""
    from fieldcase.reports.agreement import write_report

    if o.agreement is None:
        raise ValueError("an agreement report needs its settings")
    write_report(project, path, fmt, o.agreement, template=o.template, rename=_renamer(project, o))


def _renamer(project: Project, o: ExportOptions) -> Pseudonyms:
    from fieldcase.reports.pseudonyms import renamer

    return renamer(project, enabled=o.pseudonyms)


def _scope(o: ExportOptions) -> Scope:
    """The scope of a table: the kind of source does not narrow one."""
    return o.scope.without("kind")


def _write_rows(rows: Iterable[dict[str, Any]], path: Path, sheet: str, rename: Pseudonyms, *,
                keyed_columns: bool) -> None:
    """Rows as a table (CSV or XLSX by the path's suffix), code keys pseudonymised, and the
    column names too when they are keys."""
    from fieldcase.reports.pseudonyms import KEY_FIELDS
    from fieldcase.reports.sheets import write_table

    renamed = ({(rename.key(k) if keyed_columns else rename(k)): rename.key(v) if k in KEY_FIELDS else v
                for k, v in row.items()} for row in rows)
    write_table(list(renamed), path, sheet=sheet)
