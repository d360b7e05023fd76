"""Word output: a chapter written in Markdown (rendered from a template) becomes a .docx
with real styles, as pandoc does: Heading 1-3, Quote, Caption, List Bullet, a table style.

Chinese text takes a Chinese font through the East Asian font setting (SimSun for the
body, SimHei for headings by default) and Latin text a Latin font; pages are numbered in
the footer. With a reference .docx, the output takes that document's styles and page
setup instead. Each style is looked up once: python-docx's lookup by name walks every
style, which on a chapter of 1,000 quotes was most of its time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

DEFAULT_FONTS = {"body": "SimSun", "heading": "SimHei", "latin": "Times New Roman", "latin_heading": "Arial"}
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Quote", "Caption",
                    "List Bullet")
TABLE_STYLE = "Table Grid"
CAPTION_PREFIX = "Table:"


def _set_fonts(style: Any, latin: str, east_asian: str) -> None:
    """Give a style its Latin and East Asian fonts, dropping theme fonts that would win."""
    from docx.oxml.ns import qn

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(document: DocumentObject, fonts: dict[str, str], reference: bool) -> dict[str, Any]:
    """Every style the writer uses, looked up (or made) once."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    found = {s.name: s for s in document.styles}
    out: dict[str, Any] = {}
    for name in (*PARAGRAPH_STYLES, TABLE_STYLE):
        style = found.get(name)
        if style is None:
            kind = WD_STYLE_TYPE.TABLE if name == TABLE_STYLE else WD_STYLE_TYPE.PARAGRAPH
            style = document.styles.add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH and "Normal" in out:
                style.base_style = out["Normal"]
            if name == "Quote":
                style.paragraph_format.left_indent = Pt(24)
        out[name] = style
    if not reference:  # a reference document's own fonts and looks are kept
        for name in PARAGRAPH_STYLES:
            heading = name.startswith("Heading") or name == "Title"
            _set_fonts(out[name], fonts["latin_heading" if heading else "latin"],
                       fonts["heading" if heading else "body"])
            if heading:
                out[name].font.color.rgb = RGBColor(0, 0, 0)
        out["Normal"].font.size = Pt(12)
        out["Heading 1"].font.size = Pt(18)
        out["Quote"].font.size = Pt(11)
        out["Quote"].font.italic = False
        out["Quote"].paragraph_format.left_indent = Pt(24)
        out["Caption"].font.color.rgb = RGBColor(0, 0, 0)
    return out


def _add_page_numbers(document: DocumentObject) -> None:
    """A centred page number (a PAGE field) in every section's footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    for section in document.sections:
        footer = section.footer
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        if any(f.get(qn("w:instr"), "").strip().startswith("PAGE") for f in paragraph._p.iter(qn("w:fldSimple"))):
            continue
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
        run = field.makeelement(qn("w:r"), {})
        text = run.makeelement(qn("w:t"), {})
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def _fresh(reference: Path | None) -> tuple[DocumentObject, bool]:
    """A new document, or the reference document emptied of its content."""
    import docx

    if reference is None:
        return docx.Document(), False
    try:
        document = docx.Document(str(reference))
    except Exception as err:  # python-docx raises several kinds for a bad file
        raise InputError(f"{reference}: not a usable Word document ({err})") from err
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    return document, True


def _paragraph(document: DocumentObject, style: Any, text: str = "") -> Any:
    """A new paragraph in ``style``, its id written straight into the XML (python-docx's
    style setter scans every style to see whether it is the default, each time)."""
    paragraph = document.add_paragraph(text)
    if style.style_id != "Normal":
        paragraph._p.style = style.style_id
    return paragraph


def _inline(paragraph: Any, children: list[Any]) -> None:
    """Add a Markdown inline run list (text, **strong**, *em*, `code`, line breaks)."""
    bold = italic = False
    for token in children:
        if token.type == "strong_open":
            bold = True
        elif token.type == "strong_close":
            bold = False
        elif token.type == "em_open":
            italic = True
        elif token.type == "em_close":
            italic = False
        elif token.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif token.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(token.content)
            if bold:
                run.bold = True
            if italic:
                run.italic = True


def markdown_to_docx(markdown: str, out: Path, *, reference: Path | None = None,
                     fonts: dict[str, str] | None = None, title: str = "",
                     rename: Callable[[str], str] | None = None, images: Mapping[str, bytes] | None = None) -> Path:
    """Write Markdown (headings, paragraphs, block quotes, bullet lists, pipe tables, a
    ``Table:`` caption line, a paragraph of one image found in ``images`` by its file name)
    to ``out`` as a styled Word document titled ``title``; what else the file holds (a
    reference's headers, footers, properties) goes through ``rename``."""
    from markdown_it import MarkdownIt

    document, from_reference = _fresh(reference)
    styles = _styles(document, {**DEFAULT_FONTS, **(fonts or {})}, from_reference)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    quote_depth = 0
    list_depth = 0
    heading: Any = None
    table_rows: list[list[tuple[str, list[Any]]]] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            heading = styles["Heading 1" if level == 1 else "Heading 2" if level == 2 else
                             "Heading 3" if level == 3 else "Heading 4"]
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "bullet_list_open":
            list_depth += 1
        elif kind == "bullet_list_close":
            list_depth -= 1
        elif kind == "table_open":
            table_rows = []
        elif kind == "thead_open":
            pass
        elif kind == "thead_close":
            pass
        elif kind == "tr_open" and table_rows is not None:
            table_rows.append([])
        elif kind == "inline" and table_rows is not None and tokens[i - 1].type in ("th_open", "td_open"):
            table_rows[-1].append((token.content, token.children or []))
        elif kind == "table_close" and table_rows is not None:
            _table(document, styles, table_rows)
            table_rows = None
        elif kind == "inline" and _picture(document, token.children or [], images or {}):
            pass
        elif kind == "inline":
            text = token.content
            if heading is not None:
                paragraph = _paragraph(document, heading)
                heading = None
            elif quote_depth:
                paragraph = _paragraph(document, styles["Quote"])
            elif list_depth:
                paragraph = _paragraph(document, styles["List Bullet"])
            elif text.startswith(CAPTION_PREFIX):
                _paragraph(document, styles["Caption"], text[len(CAPTION_PREFIX) :].strip())
                i += 1
                continue
            else:
                paragraph = _paragraph(document, styles["Normal"])
            _inline(paragraph, token.children or [])
        i += 1
    _add_page_numbers(document)
    _set_properties(document, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    from fieldcase.reports.docx_parts import scrub

    scrub(out, rename or (lambda text: text))
    return out


def _picture(document: DocumentObject, children: list[Any], images: Mapping[str, bytes]) -> bool:
    """Add a paragraph of one image (a chart), centred and 15 cm wide, if ``children`` are
    one image that ``images`` holds; whether it did."""
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    shown = [c for c in children if c.type != "softbreak"]
    if len(shown) != 1 or shown[0].type != "image" or str(shown[0].attrs.get("src")) not in images:
        return False
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(images[str(shown[0].attrs["src"])]), width=Cm(15))
    return True


def _set_properties(document: DocumentObject, title: str) -> None:
    """File → Properties: the title, and nothing else that could name someone (python-docx
    signs as author "python-docx"; a reference document carries its own author)."""
    from datetime import datetime, timezone

    core = document.core_properties
    core.title = title
    for name in ("author", "subject", "keywords", "comments", "last_modified_by", "category", "content_status",
                 "identifier", "language", "version"):
        setattr(core, name, "")
    core.revision = 1
    core.created = core.modified = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)


def _table(document: DocumentObject, styles: dict[str, Any], rows: list[list[tuple[str, list[Any]]]]) -> None:
    if not rows:
        return
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = styles[TABLE_STYLE]
    for r, row in enumerate(rows):
        for c, (_, children) in enumerate(row):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            _inline(paragraph, children)
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True
    _paragraph(document, styles["Normal"])  # space after the table


__all__ = ["markdown_to_docx", "DEFAULT_FONTS"]
