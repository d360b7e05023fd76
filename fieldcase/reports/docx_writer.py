"""Word output: a chapter written in Markdown (rendered from a template) becomes a .docx
with real styles, as pandoc does: a title block from the metadata block at its head
(``title``, ``subtitle``, ``author``, ``date``, ``lang``), Heading 1-4, Quote, Caption,
List Bullet, a table style, and Markdown footnotes (``[^1]``) as Word footnotes.

The page, fonts and spacing are those of Chinese academic print
(:mod:`fieldcase.reports.docx_page`, :mod:`fieldcase.reports.docx_styles`). With a
reference .docx, the output takes that document's styles and page setup instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError
from fieldcase.reports.docx_blocks import (Footnotes, add_paragraph, add_run, fill_contents, table_of_contents,
                                           title_block)
from fieldcase.reports.docx_page import text_width
from fieldcase.reports.docx_styles import DEFAULT_FONTS, TABLE_STYLE, chapter_styles
from fieldcase.reports.docx_tables import keep_with_next, set_table

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

CAPTION_PREFIX = "Table:"
WIDE_TABLE = 6  # a table of more columns goes on a landscape page of its own, its caption with it
META_KEYS = ("title", "subtitle", "author", "date", "lang")
# A metadata block: only these keys, so a rule (---) and a heading underlined with --- are not one.
_META = re.compile(r"(?m)^---[ \t]*\n((?:(?:" + "|".join(META_KEYS) + r")[ \t]*:.*\n)+)---[ \t]*(?:\n|\Z)")


def front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """The metadata block's values (the first block, wherever a template put it) and the
    Markdown without it."""
    found = _META.search(markdown)
    if found is None:
        return {}, markdown
    meta: dict[str, str] = {}
    for line in found.group(1).splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        meta[key.strip()] = value
    return meta, markdown[: found.start()] + markdown[found.end() :]


def fresh_document(reference: Path | None) -> tuple[DocumentObject, bool]:
    """A new document, or the reference document emptied of its content."""
    import docx

    if reference is None:
        return docx.Document(), False
    try:
        document = docx.Document(str(reference))
    except Exception as err:  # python-docx raises several kinds for a bad file; its words name its insides
        raise InputError(f"{reference}: not a usable Word document ({_why_not_word(reference)})") from err
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    return document, True


def _why_not_word(path: Path) -> str:
    """Why a reference document could not be opened, in a user's words."""
    import zipfile

    if not path.is_file():
        return "no such file"
    if not zipfile.is_zipfile(path):
        return "it is not a .docx package; save it from Word or LibreOffice as .docx"
    return "its .docx package holds no readable Word body; save it again from Word or LibreOffice"


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


class _Inline:
    """Adds Markdown inline runs (text, **strong**, *em*, `code`, breaks, footnote marks)."""

    def __init__(self, notes: Mapping[int, list[Any]], footnotes: Footnotes | None) -> None:
        self.notes = notes
        self.footnotes = footnotes

    def __call__(self, paragraph: Any, children: list[Any]) -> None:
        bold = italic = False
        for i, token in enumerate(children):
            if token.type == "strong_open":
                bold = True
            elif token.type == "strong_close":
                bold = False
            elif token.type == "em_open":
                italic = True
            elif token.type == "em_close":
                italic = False
            elif token.type == "hardbreak" or (token.type == "softbreak" and _turn_follows(children, i)):
                paragraph.add_run().add_break()
            elif token.type == "softbreak":  # a hard-wrapped line: joined, with a space between Latin words
                if not _joins_han(children, i):
                    add_run(paragraph, " ")
            elif token.type in ("text", "code_inline", "html_inline") and token.content:
                add_run(paragraph, token.content, bold=bold, italic=italic)
            elif token.type == "footnote_ref" and self.footnotes is not None:
                note = self.footnotes.new()
                self(note, self.notes.get(token.meta["id"], []))
                self.footnotes.reference(paragraph, note)


_TURN = re.compile(r"[^\s:：]{1,16}[:：]")


def _turn_follows(children: list[Any], i: int) -> bool:
    """Whether the line after break ``i`` begins a speaker's turn (``H：``, ``访谈者：``)."""
    after = children[i + 1] if i + 1 < len(children) else None
    return after is not None and after.type == "text" and bool(_TURN.match(after.content))


def _joins_han(children: list[Any], i: int) -> bool:
    """Whether break ``i`` falls between Chinese text, where a wrapped line joins with no space."""
    before = children[i - 1].content[-1:] if i and children[i - 1].type == "text" else ""
    after = children[i + 1].content[:1] if i + 1 < len(children) and children[i + 1].type == "text" else ""
    return not before or not after or not (before.isascii() and after.isascii())


def _notes(tokens: list[Any]) -> dict[int, list[Any]]:
    """The inline tokens of each Markdown footnote, by its number."""
    notes: dict[int, list[Any]] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            if notes[current]:
                notes[current].append(_break())
            notes[current].extend(c for c in token.children or [] if c.type != "footnote_anchor")
    return notes


def _break() -> Any:
    from markdown_it.token import Token

    return Token("softbreak", "br", 0)


def markdown_to_docx(markdown: str, out: Path, *, reference: Path | None = None,
                     fonts: dict[str, str] | None = None, title: str = "",
                     rename: Callable[[str], str] | None = None, lang: str | None = None,
                     paper: str | None = None, toc: bool = False, images: Mapping[str, bytes] | None = None) -> Path:
    """Write Markdown (a metadata block, headings, paragraphs, block quotes, bullet lists,
    pipe tables, a ``Table:`` caption line, footnotes) to ``out`` as a styled Word document
    in the language its metadata names, else ``lang`` (zh or en), else its text's; on ``paper`` (see
    :func:`fieldcase.reports.docx_page.choose_paper`), with a table of contents if ``toc``;
    what else the file holds (a reference's headers, footers, properties) goes through ``rename``;
    a paragraph of one image found in ``images`` by its file name (a chart) becomes a picture."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from fieldcase.reports.chapter_labels import labels
    from fieldcase.reports.docx_page import check_paper, choose_paper, set_language, set_page
    from fieldcase.text.language import chapter_language

    meta, markdown = front_matter(markdown)
    lang = meta.get("lang", "")[:2].lower() or lang or chapter_language([markdown])
    lang = lang if lang in ("zh", "en") else "zh"
    check_paper(paper)
    document, from_reference = fresh_document(reference)
    styles = chapter_styles(document, {**DEFAULT_FONTS, **(fonts or {})}, reference=from_reference, lang=lang)
    if not from_reference or paper:  # a reference document keeps its page unless a paper is asked for
        for section in document.sections:
            set_page(section, choose_paper(paper, lang), margins=not from_reference)
    if not from_reference:
        set_language(document, lang)
    title_block(document, styles, meta)
    contents = table_of_contents(document, styles, labels(lang)["contents"], lang) if toc else None
    tokens = MarkdownIt("commonmark").enable("table").use(footnote_plugin).parse(markdown)
    notes = _notes(tokens)
    inline = _Inline(notes, Footnotes(document, styles) if notes else None)
    _body(document, styles, tokens, inline, images or {})
    if contents is not None:
        fill_contents(styles, contents)
    _add_page_numbers(document)
    _set_properties(document, meta.get("title") or title, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    from fieldcase.reports.docx_parts import scrub

    scrub(out, rename or (lambda text: text))
    return out


def _picture(document: DocumentObject, children: list[Any], images: Mapping[str, bytes],
             caption: Any = None) -> bool:
    """Add a paragraph of one image (a PNG chart), centred, at its own size (its pixels at
    the resolution it was made for), made smaller to 15 cm wide and 18 cm tall at most, if ``children`` are one image that ``images`` holds, its alt text as the
    figure's caption under it (in style ``caption``); whether it did."""
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Emu

    shown = [c for c in children if c.type != "softbreak"]
    if len(shown) != 1 or shown[0].type != "image" or str(shown[0].attrs.get("src")) not in images:
        return False
    data = images[str(shown[0].attrs["src"])]
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(data))  # its size from its pixels and dpi
    scale = min(1.0, Cm(15.0) / max(shape.width, 1), Cm(18.0) / max(shape.height, 1))
    shape.width, shape.height = Emu(int(shape.width * scale)), Emu(int(shape.height * scale))
    if shown[0].content and caption is not None:
        add_paragraph(document, caption, shown[0].content)
    return True


def _body(document: DocumentObject, styles: dict[str, Any], tokens: list[Any], inline: _Inline,
          images: Mapping[str, bytes]) -> None:
    """The document's body from the Markdown's block tokens (footnotes come with their marks)."""
    quote_depth = list_depth = 0
    heading: Any = None
    table_rows: list[list[list[Any]]] | None = None
    in_notes = False
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in ("footnote_block_open", "footnote_block_close"):
            in_notes = kind == "footnote_block_open"
        elif in_notes:
            continue
        elif kind == "heading_open":
            heading = styles[f"Heading {min(int(token.tag[1]), 4)}"]
        elif kind in ("blockquote_open", "blockquote_close"):
            quote_depth += 1 if kind == "blockquote_open" else -1
        elif kind in ("bullet_list_open", "bullet_list_close"):
            list_depth += 1 if kind == "bullet_list_open" else -1
        elif kind == "table_open":
            table_rows = []
        elif kind == "tr_open" and table_rows is not None:
            table_rows.append([])
        elif kind == "inline" and table_rows is not None and tokens[i - 1].type in ("th_open", "td_open"):
            table_rows[-1].append(token.children or [])
        elif kind == "table_close" and table_rows is not None:
            _table(document, styles, table_rows, inline)
            table_rows = None
        elif kind == "inline" and _picture(document, token.children or [], images, styles["Caption"]):
            continue
        elif kind == "inline":
            if heading is not None:
                paragraph = add_paragraph(document, heading)
                heading = None
            elif quote_depth:
                paragraph = add_paragraph(document, styles["Quote"])
            elif list_depth:
                paragraph = add_paragraph(document, styles["List Bullet"])
            elif token.content.startswith(CAPTION_PREFIX):
                keep_with_next(add_paragraph(document, styles["Caption"], token.content[len(CAPTION_PREFIX) :].strip()))
                continue
            else:
                paragraph = add_paragraph(document, styles["Normal"])
            inline(paragraph, token.children or [])


def _set_properties(document: DocumentObject, title: str, lang: str) -> None:
    """File → Properties: the title and language, and nothing else that could name someone
    (python-docx signs as author "python-docx"; a reference document carries its own author)."""
    from datetime import datetime, timezone

    from fieldcase.reports.docx_page import LANG_TAGS

    core = document.core_properties
    core.title = title
    for name in ("author", "subject", "keywords", "comments", "last_modified_by", "category", "content_status",
                 "identifier", "version"):
        setattr(core, name, "")
    core.language = LANG_TAGS[lang]
    core.revision = 1
    core.created = core.modified = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)


def _table(document: DocumentObject, styles: dict[str, Any], rows: list[list[list[Any]]], inline: _Inline) -> None:
    """A table, its first row a bold header repeated on every page it runs onto, set as
    :func:`fieldcase.reports.docx_tables.set_table` sets every table."""
    if not rows:
        return
    width = max(len(r) for r in rows)
    turned = width > WIDE_TABLE and _turn_with_caption(document, styles)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = styles[TABLE_STYLE]
    for r, (row, made) in enumerate(zip(rows, table.rows, strict=True)):
        for children, cell in zip(row, made.cells, strict=False):  # not table.cell(r, c): it reads the whole grid
            paragraph = cell.paragraphs[0]
            inline(paragraph, children)
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True
    set_table(table, styles, [[_plain(children) for children in row] for row in rows],
              text_width(document.sections[-1]))
    if turned:
        from fieldcase.reports.docx_page import turn_page

        turn_page(document)  # the page turned back after the table; its break is the space after it
    else:
        add_paragraph(document, styles["Normal"])  # space after the table


def _plain(children: list[Any]) -> str:
    """The words of a cell's inline tokens."""
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def _turn_with_caption(document: DocumentObject, styles: dict[str, Any]) -> bool:
    """Start a landscape page for a wide table, taking with it the caption and headings
    written just before it (they belong on its page, not alone at the foot of the last)."""
    from docx.oxml.ns import qn

    from fieldcase.reports.docx_page import turn_page

    leading = {styles["Caption"].style_id, *(styles[f"Heading {n}"].style_id for n in (1, 2, 3, 4))}
    body = document.element.body
    taken: list[Any] = []
    for block in reversed(body[:-1]):  # the blocks before the body's own section, last first
        if block.tag != qn("w:p") or block.style not in leading:
            break
        taken.insert(0, block)
    turn_page(document)
    ending = body[-2]  # the paragraph that ends the upright section
    for block in reversed(taken):
        ending.addnext(block)  # each before the one moved after it: in their order
    return True


__all__ = ["markdown_to_docx", "front_matter", "fresh_document", "DEFAULT_FONTS"]
