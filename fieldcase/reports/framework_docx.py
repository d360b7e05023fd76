"""The framework matrix in Word: real tables on a landscape page (A4 unless asked otherwise),
one per framework dimension so that a column stays wide enough to read, each header row
repeated on every page (``w:tblHeader``), cases grouped by site; then the linked quotes.

Page, styles and title block are the chapter's (:mod:`fieldcase.reports.docx_page`,
:mod:`fieldcase.reports.docx_styles`, :mod:`fieldcase.reports.docx_blocks`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table

LEAD_COLUMNS = (2.6, 3.0)  # site and case columns, cm


def repeat_header(table: Table) -> None:
    """Mark the table's first row as a header row Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def _widths(table: Table, text_width: float, themes: int) -> None:
    """Fixed column widths: the site and case columns, the rest shared by the themes."""
    from docx.shared import Cm

    table.autofit = False
    rest = max(2.5, (text_width - sum(LEAD_COLUMNS)) / max(themes, 1))
    for number, column in enumerate(table.columns):
        width = Cm(LEAD_COLUMNS[number] if number < len(LEAD_COLUMNS) else rest)
        for cell in column.cells:
            cell.width = width


def _dimension_table(document: DocumentObject, styles: dict[str, Any], context: dict[str, Any],
                     themes: list[tuple[int, dict[str, Any]]], cell_text: Callable[[dict[str, Any]], str],
                     text_width: float) -> None:
    """One table: the cases (site, case) × the given themes (index into the cells, theme)."""
    from docx.shared import Pt

    from fieldcase.reports.docx_blocks import add_run

    table = document.add_table(rows=1, cols=2 + len(themes))
    table.style = styles["Table Grid"] if "Table Grid" in styles else "Table Grid"
    heads = [context["words"]["site"], context["words"]["case"], *[t["label"] for _, t in themes]]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        add_run(cell.paragraphs[0], text, bold=True).font.size = Pt(9.5)
    repeat_header(table)
    for site in context["sites"]:
        for number, row in enumerate(site["rows"]):
            cells = table.add_row().cells
            add_run(cells[0].paragraphs[0], site["name"] if number == 0 else "").font.size = Pt(9.5)
            add_run(cells[1].paragraphs[0], row["case"], bold=True).font.size = Pt(9.5)
            for cell, (index, _) in zip(cells[2:], themes, strict=True):
                value = row["cells"][index]
                run = add_run(cell.paragraphs[0], cell_text(value))
                run.font.size = Pt(9)
                if not value["summary"] or value["draft"]:
                    run.italic = True
    _widths(table, text_width, len(themes))


@dataclass(frozen=True)
class Setting:
    """How the Word matrix is set, as a chapter is: paper, a reference document whose
    styles win, fonts, a table of contents, quotes cited in footnotes."""

    paper: str | None = None
    reference: Path | None = None
    fonts: dict[str, str] | None = None
    toc: bool = False
    footnotes: bool = False


def write_matrix(context: dict[str, Any], path: Path, cell_text: Callable[[dict[str, Any]], str], *,
                 rename: Callable[[str], str], setting: Setting = Setting()) -> Path:
    """Write the matrix context of :func:`fieldcase.reports.framework.build` as ``.docx``."""
    from fieldcase.reports.chapter_labels import labels
    from fieldcase.reports.docx_blocks import (Footnotes, add_paragraph, block_quote, fill_contents,
                                               table_of_contents, title_block)
    from fieldcase.reports.docx_page import choose_paper, set_language, set_page, text_width, turn
    from fieldcase.reports.docx_styles import DEFAULT_FONTS, chapter_styles
    from fieldcase.reports.docx_writer import fresh_document

    lang = context["lang"]
    document, from_reference = fresh_document(setting.reference)
    styles = chapter_styles(document, {**DEFAULT_FONTS, **(setting.fonts or {})}, reference=from_reference,
                            lang=lang)
    section = document.sections[0]
    if not from_reference or setting.paper:  # a reference document keeps its paper unless one is asked for
        set_page(section, choose_paper(setting.paper, lang), landscape=True, margins=not from_reference)
    else:
        turn(section)
    if not from_reference:
        set_language(document, lang)
    width = text_width(section) / 360000  # EMU to cm
    title_block(document, styles, {"title": context["title"], "subtitle": context["project"]["name"],
                                   "date": context["date"]})
    contents = table_of_contents(document, styles, labels(lang)["contents"], lang) if setting.toc else None
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, theme in enumerate(context["themes"]):
        groups.setdefault(theme["dimension"], []).append((index, theme))
    gap = "　" if lang == "zh" else " "
    for number, (dimension, themes) in enumerate(groups.items(), start=1):
        add_paragraph(document, styles["Caption"], f"{context['words']['table']} {number}{gap}{dimension}")
        _dimension_table(document, styles, context, themes, cell_text, width)
        add_paragraph(document, styles["Normal"])
    if context["quotes"]:
        notes = Footnotes(document, styles) if setting.footnotes else None
        add_paragraph(document, styles["Heading 1"], context["words"]["quotes"])
        for quote in context["quotes"]:
            add_paragraph(document, styles["Heading 3"], f"{quote['case']} · {quote['theme']}")
            block_quote(document, styles, quote["text"], quote["note"] if notes else quote["citation"], notes)
    if contents is not None:
        fill_contents(styles, contents)
    core = document.core_properties
    core.title = context["title"]
    for name in ("author", "subject", "keywords", "comments", "last_modified_by", "category"):
        setattr(core, name, "")
    document.save(str(path))
    from fieldcase.reports.docx_parts import scrub

    scrub(path, rename)
    return path

