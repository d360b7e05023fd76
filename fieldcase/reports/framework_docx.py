"""The framework matrix in Word: real tables on a landscape page (A4 unless asked otherwise),
one per framework dimension so that a column stays wide enough to read, each header row
repeated on every page (``w:tblHeader``), cases grouped by site, each under its dimension's
heading; then the linked quotes, labelled by case and theme (not headings).

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

# a site or case name longer than this (half-width characters) may wrap, so that the
# summaries, not the labels beside them, get the width of a landscape page
MATRIX_LABEL = 10


def _dimension_table(document: DocumentObject, styles: dict[str, Any], context: dict[str, Any],
                     themes: list[tuple[int, dict[str, Any]]], cell_text: Callable[[dict[str, Any]], str],
                     room: int) -> None:
    """One table: the cases (site, case) × the given themes (index into the cells, theme),
    ``room`` (EMU) wide; set as every chapter table is (:mod:`fieldcase.reports.docx_tables`)."""
    from fieldcase.reports.docx_blocks import add_marked, add_run
    from fieldcase.reports.docx_tables import set_table

    table = document.add_table(rows=1, cols=2 + len(themes))
    table.style = styles["Table Grid"] if "Table Grid" in styles else "Table Grid"
    heads = [context["words"]["site"], context["words"]["case"], *[t["label"] for _, t in themes]]
    texts = [heads]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        add_run(cell.paragraphs[0], text, bold=True)
    for site in context["sites"]:
        for number, row in enumerate(site["rows"]):
            cells = table.add_row().cells
            shown = [site["name"] if number == 0 else "", row["case"]]
            add_run(cells[0].paragraphs[0], shown[0])
            add_run(cells[1].paragraphs[0], shown[1], bold=True)
            for cell, (index, _) in zip(cells[2:], themes, strict=True):
                value = row["cells"][index]
                text = cell_text(value)
                add_marked(cell.paragraphs[0], text, italic=not value["summary"] or value["draft"])
                # a count of segments may wrap: only summaries claim a column's width
                shown.append(text if value["summary"] else "")
            texts.append(shown)
    set_table(table, styles, texts, room, label=MATRIX_LABEL, heads=2)


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
    from fieldcase.reports.docx_blocks import (Footnotes, add_paragraph, add_run, block_quote, fill_contents,
                                               subtitle, table_of_contents, title_block)
    from fieldcase.reports.docx_tables import keep_with_next
    from fieldcase.reports.docx_page import choose_paper, set_language, set_page, text_width, turn, turn_page
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
    title_block(document, styles, {"title": context["title"], "subtitle": subtitle(context["project"]["name"], lang),
                                   "date": context["date"]})
    contents = table_of_contents(document, styles, labels(lang)["contents"], lang) if setting.toc else None
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, theme in enumerate(context["themes"]):
        groups.setdefault(theme["dimension"], []).append((index, theme))
    gap = "　" if lang == "zh" else ". "
    for number, (dimension, themes) in enumerate(groups.items(), start=1):
        add_paragraph(document, styles["Heading 1"], dimension)  # a section the contents list
        keep_with_next(add_paragraph(document, styles["Caption"],
                                     f"{context['words']['table']} {number}{gap}{dimension}"))
        _dimension_table(document, styles, context, themes, cell_text, text_width(section))
        add_paragraph(document, styles["Normal"])
    if context["quotes"]:
        notes = Footnotes(document, styles) if setting.footnotes else None
        turn_page(document)  # the quotes run as text: back on an upright page
        add_paragraph(document, styles["Heading 1"], context["words"]["quotes"])
        cell = None
        for quote in context["quotes"]:  # a label, not a heading: the contents list the sections only
            if (quote["case"], quote["theme"]) != cell:  # one label a cell, over all its quotes
                cell = (quote["case"], quote["theme"])
                label = add_paragraph(document, styles["Normal"])
                add_run(label, f"{quote['case']} · {quote['theme']}", bold=True)
                keep_with_next(label)
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

