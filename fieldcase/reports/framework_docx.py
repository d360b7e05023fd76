"""The framework matrix in Word: a real table on a landscape A4 section whose header row
repeats on every page (``w:tblHeader``), cases grouped by site, then the linked quotes.

Kept apart from the chapter writer (:mod:`fieldcase.reports.docx_writer`) so that a
shared page setup can replace :func:`_landscape` without touching the table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table

A4 = (297.0, 210.0)  # landscape width × height, in millimetres


def _landscape(document: DocumentObject) -> None:
    """Turn the document's (one) section to landscape A4 with 2 cm margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Mm

    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(A4[0]), Mm(A4[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def repeat_header(table: Table) -> None:
    """Mark the table's first row as a header row Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _east_asian(document: DocumentObject, body: str = "SimSun", heading: str = "SimHei") -> None:
    """Chinese text in a Chinese font (the East Asian slot), Latin in Times New Roman."""
    from docx.oxml.ns import qn

    for name, east in (("Normal", body), ("Title", heading), ("Heading 1", heading), ("Heading 2", heading)):
        style = document.styles[name]
        style.font.name = "Times New Roman"
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), east)


def write_matrix(context: dict[str, Any], path: Path, cell_text: Callable[[dict[str, Any]], str], *,
                 rename: Callable[[str], str]) -> Path:
    """Write the matrix context of :func:`fieldcase.reports.framework.build` as ``.docx``."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    _landscape(document)
    _east_asian(document)
    document.add_heading(context["title"], level=0)
    document.add_paragraph(f"{context['project']['name']}，{context['today']}")
    themes = context["themes"]
    table = document.add_table(rows=1, cols=2 + len(themes))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["地点", "个案", *[t["label"] for t in themes]], strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat_header(table)
    for site in context["sites"]:
        for row in site["rows"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = site["name"], row["case"]
            for cell, value in zip(cells[2:], row["cells"], strict=True):
                run = cell.paragraphs[0].add_run(cell_text(value))
                run.font.size = Pt(9)
    caption = document.add_paragraph("表 1　个案 × 主题框架矩阵")
    caption.style = document.styles["Caption"]
    if context["quotes"]:
        document.add_heading("引文 Linked quotes", level=1)
        for quote in context["quotes"]:
            document.add_paragraph(f"{quote['case']} · {quote['theme']}").runs[0].bold = True
            document.add_paragraph(quote["text"], style="Quote")
            cite = "，".join(p for p in (quote["speaker"], f"《{quote['source']}》", quote["date"]) if p)
            document.add_paragraph(f"（{cite}）")
    core = document.core_properties
    core.title, core.author, core.last_modified_by, core.comments = context["title"], "", "", ""
    document.save(str(path))
    from fieldcase.reports.docx_parts import scrub

    scrub(path, rename)
    return path
