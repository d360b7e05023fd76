"""The styles of a Word chapter, set as Chinese academic print sets them: body in SimSun
(宋体) 12 pt (小四) at 1.5 line spacing with a two-character first-line indent, headings
in SimHei (黑体), the title at 22 pt (二号) well above Heading 1 (16 pt, 三号), block
quotes indented two characters each side, footnotes at 9 pt; Latin text in Times New
Roman (Arial in headings) beside the East Asian font.

With a reference document its styles win: only the styles it lacks are made here. Each
style is looked up once (python-docx's lookup by name walks every style).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

DEFAULT_FONTS = {"body": "SimSun", "heading": "SimHei", "latin": "Times New Roman", "latin_heading": "Arial"}
HEADINGS = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
PARAGRAPH_STYLES = ("Normal", "Title", "Subtitle", "Author", "Date", *HEADINGS, "Quote", "Caption", "List Bullet",
                    "Compact", "TOC Heading", "toc 1", "toc 2", "toc 3", "footnote text")
CHARACTER_STYLES = ("footnote reference",)
TABLE_STYLE = "Table Grid"
_DISPLAY = ("Title", "Subtitle", "TOC Heading", *HEADINGS)  # set in the heading fonts
# size in points, bold, centred, space before and after (points), line spacing
_LOOKS: dict[str, tuple[float, bool, bool, float, float, float]] = {
    "Normal": (12, False, False, 0, 0, 1.5),
    "Title": (22, True, True, 0, 12, 1.2),
    "Subtitle": (15, False, True, 0, 12, 1.2),
    "Author": (12, False, True, 0, 0, 1.5),
    "Date": (12, False, True, 0, 18, 1.5),
    "Heading 1": (16, True, False, 18, 12, 1.3),
    "Heading 2": (14, True, False, 12, 6, 1.3),
    "Heading 3": (12, True, False, 6, 6, 1.5),
    "Heading 4": (12, False, False, 6, 0, 1.5),
    "Quote": (10.5, False, False, 6, 6, 1.3),
    "Caption": (10.5, True, True, 6, 6, 1.2),
    "List Bullet": (12, False, False, 0, 0, 1.5),
    "Compact": (10.5, False, False, 2, 2, 1.0),  # table cells
    "TOC Heading": (16, True, True, 12, 12, 1.3),
    "toc 1": (12, False, False, 3, 0, 1.3),
    "toc 2": (12, False, False, 0, 0, 1.3),
    "toc 3": (10.5, False, False, 0, 0, 1.3),
    "footnote text": (9, False, False, 0, 0, 1.0),
}


def set_fonts(style_or_run: Any, latin: str | None, east_asian: str | None, *, hint: bool = False) -> None:
    """Give a style (or run) its Latin and East Asian fonts, dropping theme fonts that would
    win; ``hint``: set ambiguous characters (“” … — ·) in the East Asian font."""
    from docx.oxml.ns import qn

    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if latin:
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)
    if east_asian:
        fonts.set(qn("w:eastAsia"), east_asian)
    if hint:
        fonts.set(qn("w:hint"), "eastAsia")


def chapter_styles(document: DocumentObject, fonts: dict[str, str] | None = None, *, reference: bool = False,
                   lang: str = "zh") -> dict[str, Any]:
    """Every style a chapter uses, by name, looked up or made once; the chapter's look is
    given to all of them, or with a ``reference`` document only to those it lacked."""
    from docx.enum.style import WD_STYLE_TYPE

    chosen = {**DEFAULT_FONTS, **(fonts or {})}
    found = {s.name: s for s in document.styles}
    out: dict[str, Any] = {}
    made: set[str] = set()
    for name in (*PARAGRAPH_STYLES, *CHARACTER_STYLES, TABLE_STYLE):
        style = found.get(name)
        if style is None:
            kind = (WD_STYLE_TYPE.TABLE if name == TABLE_STYLE else WD_STYLE_TYPE.CHARACTER
                    if name in CHARACTER_STYLES else WD_STYLE_TYPE.PARAGRAPH)
            style = document.styles.add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH and "Normal" in out:
                style.base_style = out["Normal"]
            made.add(name)
        out[name] = style
    for name in (*PARAGRAPH_STYLES, *CHARACTER_STYLES):
        if not reference or name in made:
            _look(out[name], name, chosen, lang, fonts_too=not reference or name in made)
    return out


def _look(style: Any, name: str, fonts: dict[str, str], lang: str, *, fonts_too: bool) -> None:
    """The print look of one style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    if name == "footnote reference":
        style.font.superscript = True
        return
    display = name in _DISPLAY
    if fonts_too:
        set_fonts(style, fonts["latin_heading" if display else "latin"], fonts["heading" if display else "body"],
                  hint=lang == "zh")
    size, bold, centred, before, after, spacing = _LOOKS[name]
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    form = style.paragraph_format
    form.space_before, form.space_after = Pt(before), Pt(after)
    form.line_spacing = spacing
    if centred:
        form.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if name.startswith("Heading") or name in ("Title", "Caption"):
        form.keep_with_next = True
    _no_border(style)
    if name == "Normal" and lang == "zh":
        _indent(style, first_line=2)
    elif name == "Quote":
        _indent(style, left=2, right=2, first_line=0)
    elif name == "List Bullet":
        _indent(style, left=2, first_line=-1)
    elif name.startswith("toc "):
        _indent(style, left=2 * (int(name[-1]) - 1))
    elif name != "Normal":
        _indent(style, first_line=0)


def _indent(style: Any, *, left: int = 0, right: int = 0, first_line: int = 0) -> None:
    """Indent by characters (``w:leftChars``, ``w:firstLineChars``), as Chinese layout
    measures it: two characters stay two characters whatever the font size."""
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    for attribute in list(ind.attrib):
        del ind.attrib[attribute]
    ind.set(qn("w:leftChars"), str(left * 100))
    ind.set(qn("w:rightChars"), str(right * 100))
    ind.set(qn("w:left"), str(left * 240))
    ind.set(qn("w:right"), str(right * 240))
    if first_line < 0:  # a hanging indent: a list's mark stands out to the left of its text
        ind.set(qn("w:hangingChars"), str(-first_line * 100))
        ind.set(qn("w:hanging"), str(-first_line * 240))
    else:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * 240))


def _no_border(style: Any) -> None:
    """Drop a paragraph border (the stock Title style underlines itself in blue)."""
    from docx.oxml.ns import qn

    ppr = style.element.pPr
    border = None if ppr is None else ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
