"""Reading Word ``.docx`` files: paragraphs and tables in order as a reader sees them
(tracked changes accepted, see ``docx_text``), headings kept.

The zip is read by ``docx_zip`` (bounded, every fault one line) and the XML by
``docx_xml`` (no entities, streamed), not by python-docx, which unpacks parts whole and
looks a paragraph's style up by walking every style: both matter for a hostile or a
million-paragraph file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from fieldcase.errors import InputError
from fieldcase.importers.docx_tables import table_lines
from fieldcase.importers.docx_text import W, BodyReader, first
from fieldcase.importers.docx_xml import body_blocks, parse_part
from fieldcase.importers.docx_zip import PartReader, open_part, open_zip

DOCUMENT, STYLES, CORE = "word/document.xml", "word/styles.xml", "docProps/core.xml"
MAX_SMALL_PART = 32 * 1024 * 1024  # styles and properties: real ones are well under 1 MiB
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


@dataclass(frozen=True)
class DocxText:
    """The text of a Word document and the title it declares, if any."""

    text: str
    title: str | None


def read_docx(data: bytes) -> DocxText:
    """Extract the body's text: one line per paragraph, a table as aligned rows
    (``docx_tables``); headers, footers, footnotes and comments are not the body."""
    with open_zip(data) as archive:
        body = open_part(archive, DOCUMENT)
        if body is None:
            raise InputError(f"not a Word document (the zip has no {DOCUMENT})")
        styles = ParagraphStyles(_small_part(archive, STYLES))
        core = _small_part(archive, CORE)
        try:
            lines, first_heading = _body_lines(body, styles)
        except InputError:
            raise
        except RecursionError as err:
            raise InputError("not a readable .docx (its XML is nested too deeply)") from err
        except Exception as err:  # noqa: BLE001 - XML that is well formed but not what Word writes
            raise InputError(f"not a readable .docx ({type(err).__name__}: {err})") from err
    title = core.findtext(_DC_TITLE) if core is not None else None
    return DocxText("\n".join(lines), (title or "").strip() or first_heading)


def _body_lines(body: PartReader, styles: ParagraphStyles) -> tuple[list[str], str | None]:
    """The body's lines, and the first that is a heading or title, if one is."""
    lines: list[str] = []
    first_heading: str | None = None
    for paragraph, text in BodyReader(table_lines).block_lines(body_blocks(body)):
        if first_heading is None and paragraph is not None and text.strip() and \
                styles.name_of(paragraph).startswith(("title", "heading")):
            first_heading = text.strip()
        lines.append(text)
    return lines, first_heading


def _small_part(archive: zipfile.ZipFile, name: str) -> Any:
    """The root element of an optional part, or None when the zip has none."""
    part = open_part(archive, name)
    if part is None:
        return None
    if part.declared > MAX_SMALL_PART:
        raise InputError(f"refused: {name} would unpack to {part.declared // 2**20} MiB "
                         f"(the limit for it is {MAX_SMALL_PART // 2**20} MiB)")
    return parse_part(part)


class ParagraphStyles:
    """Paragraph style names by id, lower case, as Word shows them (a Chinese Word's
    ``标题 1`` counts as a heading); a paragraph without a known style has the default."""

    def __init__(self, root: Any) -> None:
        self.names: dict[str, str] = {}
        self.default = ""
        for style in root.iter(W + "style") if root is not None else ():
            if style.get(W + "type") != "paragraph":
                continue
            found = first(style, W + "name")
            name = (found.get(W + "val") if found is not None else None) or ""
            name = "heading" if name.startswith("标题") else name.lower()
            self.names[style.get(W + "styleId") or ""] = name
            if style.get(W + "default") in ("1", "true", "on"):
                self.default = name

    def name_of(self, paragraph: Any) -> str:
        """The style name of a ``w:p`` element."""
        chosen = first(first(paragraph, W + "pPr"), W + "pStyle")
        style_id = chosen.get(W + "val") if chosen is not None else None
        return self.names.get(style_id or "", self.default) if style_id else self.default
