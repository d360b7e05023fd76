"""Pieces of a Word chapter that python-docx does not make: the title block, a table of
contents field, real footnotes (a footnotes part with its separators), labelled analysis
and block quotes with their citation. Every Word export builds with these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldcase.text.spellings import is_han

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SEPARATORS = (
    f'<w:footnotes xmlns:w="{_W_NS}" xmlns:r="{_R_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
# settings.xml elements that come after w:updateFields and w:footnotePr, in schema order
_AFTER_FOOTNOTE_PR = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                      "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                      "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                      "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                      "w:decimalSymbol", "w:listSeparator")
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", *_AFTER_FOOTNOTE_PR)
TOC_PLACEHOLDER = {"zh": "（打开文档时更新目录；或右键单击此处，选择“更新域”。）",
                   "en": "(The table of contents is filled in when the document is opened, or with Update Field.)"}


def add_paragraph(document: DocumentObject, style: Any, text: str = "") -> Any:
    """A new paragraph in ``style``, its id written straight into the XML (python-docx's
    style setter scans every style to see whether it is the default, each time)."""
    paragraph = document.add_paragraph()
    if style.style_id != "Normal":
        paragraph._p.style = style.style_id
    if text:
        add_run(paragraph, text)
    return paragraph


def add_run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False) -> Any:
    """A run of ``text``; a run holding Chinese sets its shared punctuation in the East Asian font."""
    from fieldcase.reports.docx_styles import east_asian_hint

    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if any(is_han(ch) for ch in text):
        east_asian_hint(run)
    return run


def title_block(document: DocumentObject, styles: Mapping[str, Any], meta: Mapping[str, str]) -> None:
    """The chapter's title, subtitle, author and date (those given), each in its style."""
    for key, style in (("title", "Title"), ("subtitle", "Subtitle"), ("author", "Author"), ("date", "Date")):
        if meta.get(key):
            add_paragraph(document, styles[style], meta[key])


def table_of_contents(document: DocumentObject, styles: Mapping[str, Any], heading: str, lang: str) -> None:
    """A heading and a TOC field over Heading 1-3, which Word fills in when it opens the
    file (``w:updateFields``) and LibreOffice on updating its indexes."""
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    add_paragraph(document, styles["TOC Heading"], heading)
    paragraph = add_paragraph(document, styles["Normal"])
    for kind, text in (("begin", None), (None, ' TOC \\o "1-3" \\h \\z \\u '), ("separate", None),
                       (None, TOC_PLACEHOLDER[lang]), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                char.set(qn("w:dirty"), "true")
            run._r.append(char)
        elif text is not None and text.startswith(" TOC"):
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text or ""
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    _setting(document, "w:updateFields", _AFTER_UPDATE_FIELDS)


def _setting(document: DocumentObject, tag: str, successors: tuple[str, ...]) -> Any:
    """The settings element ``tag``, made (``w:val="true"``) in its schema place if missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    found = settings.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if tag == "w:updateFields":
            found.set(qn("w:val"), "true")
        settings.insert_element_before(found, *[s for s in successors if not s.startswith(("m:", "sl:"))])
    return found


def analysis(document: DocumentObject, styles: Mapping[str, Any], label: str, text: str,
             colon: str = "：") -> Any:
    """The researcher's memo as analysis: a bold label (``分析``), ``colon`` and the memo's text."""
    paragraph = add_paragraph(document, styles["Normal"])
    add_run(paragraph, label, bold=True)
    add_run(paragraph, colon + text)
    return paragraph


def block_quote(document: DocumentObject, styles: Mapping[str, Any], text: str, citation: str,
                notes: Footnotes | None = None) -> Any:
    """A quote in the Quote style, its citation after it or, with ``notes``, in a footnote."""
    paragraph = add_paragraph(document, styles["Quote"])
    add_run(paragraph, text)
    if notes is None:
        add_run(paragraph, citation)
    else:
        note = notes.new()
        add_run(note, citation)
        notes.reference(paragraph, note)
    return paragraph


@dataclass
class Footnotes:
    """The document's footnotes part (made, or a reference document's emptied of its notes):
    :meth:`new` adds a footnote and :meth:`reference` marks where it is referred to."""

    document: Any
    styles: Mapping[str, Any]
    root: Any = None

    def __post_init__(self) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        part = self.document.part
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype == RT.FOOTNOTES:  # a reference document's notes: not this chapter's
                del part.rels[rel_id]
        self.root = parse_xml(_SEPARATORS)
        footnotes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.root, part.package)
        part.relate_to(footnotes, RT.FOOTNOTES)
        pr = _setting(self.document, "w:footnotePr", _AFTER_FOOTNOTE_PR)
        if not len(pr):
            for number in ("-1", "0"):
                separator = OxmlElement("w:footnote")
                separator.set(qn("w:id"), number)
                pr.append(separator)

    def new(self) -> Any:
        """A new footnote's paragraph (a python-docx ``Paragraph``) holding its number mark."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        number = len(self.root) - 1  # after the two separators: 1, 2, …
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        p = OxmlElement("w:p")
        note.append(p)
        self.root.append(note)
        paragraph = Paragraph(p, None)
        p.style = self.styles["footnote text"].style_id
        mark = paragraph.add_run()
        mark._r.style = self.styles["footnote reference"].style_id
        mark._r.append(OxmlElement("w:footnoteRef"))
        paragraph.add_run(" ")
        return paragraph

    def reference(self, paragraph: Any, note: Any) -> None:
        """Refer to footnote ``note`` at the end of ``paragraph``."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = paragraph.add_run()
        run._r.style = self.styles["footnote reference"].style_id
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), note._p.getparent().get(qn("w:id")))
        run._r.append(mark)
