"""Pieces of a Word chapter that python-docx does not make: the title block, a table of
contents field, real footnotes (a footnotes part with its separators), labelled analysis
and block quotes with their citation. Every Word export builds with these."""

from __future__ import annotations

from collections.abc import Mapping
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from fieldcase.text.language import HAN

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.oxml.text.paragraph import CT_P
    from docx.types import ProvidesStoryPart

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
    """A run of ``text``; a run holding Chinese sets its shared punctuation in the East Asian
    font. The run's XML is made in one go: python-docx's property setters search the run's
    children for their place each time, which on a long chapter was most of its time."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    if "\t" in text or "\n" in text:  # python-docx makes these w:tab and w:br
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if HAN.search(text):
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
        return run
    p = paragraph._p
    r = p.makeelement(qn("w:r"), {})
    if bold or italic or HAN.search(text):
        properties = r.makeelement(qn("w:rPr"), {})
        if HAN.search(text):
            properties.append(properties.makeelement(qn("w:rFonts"), {qn("w:hint"): "eastAsia"}))
        for on, tag in ((bold, "w:b"), (italic, "w:i")):
            if on:
                properties.append(properties.makeelement(qn(tag), {}))
        r.append(properties)
    t = r.makeelement(qn("w:t"), {})
    t.text = text
    if text != text.strip():
        t.set(qn("xml:space"), "preserve")
    r.append(t)
    p.append(r)
    return Run(r, paragraph)


def add_marked(paragraph: Any, text: str, *, italic: bool = False) -> list[Any]:
    """``text`` as runs with its Markdown emphasis read (``**strong**``, ``*em*``), as the
    chapters written through Markdown show it, not its marks; its runs."""
    from markdown_it import MarkdownIt

    parsed = MarkdownIt("commonmark").parseInline(text) if "*" in text or "_" in text else []
    if not parsed:
        return [add_run(paragraph, text, italic=italic)]
    runs = []
    bold = em = False
    for token in parsed[0].children or []:
        if token.type in ("strong_open", "strong_close"):
            bold = token.type == "strong_open"
        elif token.type in ("em_open", "em_close"):
            em = token.type == "em_open"
        elif token.type in ("softbreak", "hardbreak"):
            runs.append(add_run(paragraph, "\n"))
        elif token.content:
            runs.append(add_run(paragraph, token.content, bold=bold, italic=italic or em))
    return runs


def title_block(document: DocumentObject, styles: Mapping[str, Any], meta: Mapping[str, str]) -> None:
    """The chapter's title, subtitle, author and date (those given), each in its style."""
    for key, style in (("title", "Title"), ("subtitle", "Subtitle"), ("author", "Author"), ("date", "Date")):
        if meta.get(key):
            add_paragraph(document, styles[style], meta[key])


def subtitle(name: str, lang: str) -> str:
    """``name`` (a project's) as a chapter's subtitle if it is in the chapter's language,
    else nothing: an English project name does not head a Chinese chapter."""
    if lang == "zh":
        return name if HAN.search(name) else ""
    return name if re.search("[A-Za-z]", name) else ""


def table_of_contents(document: DocumentObject, styles: Mapping[str, Any], heading: str, lang: str) -> Any:
    """A heading and a TOC field over Heading 1-3, which Word fills in, with page numbers,
    when it opens the file (``w:updateFields``); :func:`fill_contents` lists the headings
    in it meanwhile. Returns the field's paragraph."""
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
    add_paragraph(document, styles["Normal"]).add_run().add_break(WD_BREAK.PAGE)
    _setting(document, "w:updateFields", _AFTER_UPDATE_FIELDS)
    return paragraph


def fill_contents(styles: Mapping[str, Any], field: Any) -> None:
    """List the headings (1-3) that follow the TOC ``field`` paragraph as its result, one
    paragraph each in the ``toc N`` styles, so that the contents show before Word counts
    the pages."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    levels = {styles[f"Heading {n}"].style_id: n for n in (1, 2, 3)}
    headings = [(levels[p.style], "".join(t.text or "" for t in p.iter(qn("w:t"))))
                for p in field._p.itersiblings(qn("w:p")) if p.style in levels]
    if not headings:
        return
    runs = field._p.findall(qn("w:r"))
    placeholder, end = runs[-2], runs[-1]
    field._p.style = styles[f"toc {headings[0][0]}"].style_id
    for t in placeholder.findall(qn("w:t")):
        t.text = headings[0][1]
    last = field._p
    for level, text in headings[1:]:
        entry = cast("CT_P", last.makeelement(qn("w:p"), {}))
        last.addnext(entry)
        entry.style = styles[f"toc {level}"].style_id
        add_run(Paragraph(entry, field._parent), text)
        last = entry
    last.append(end)


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
        later = {qn(s) for s in successors if not s.startswith(("m:", "sl:"))}
        follower = next((child for child in settings if child.tag in later), None)
        if follower is None:
            settings.append(found)
        else:
            follower.addprevious(found)
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
    add_marked(paragraph, text)
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
        for old in pr.findall(qn("w:footnote")):  # a reference's may name other notes as its separators
            pr.remove(old)
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
        p = cast("CT_P", OxmlElement("w:p"))
        note.append(p)
        self.root.append(note)
        paragraph = Paragraph(p, cast("ProvidesStoryPart", None))  # a note's text needs no part of its own
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
