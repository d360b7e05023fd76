"""Reading Word ``.docx`` files: paragraphs and tables in order as a reader sees them
(tracked changes accepted, see ``docx_text``), headings kept."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from fieldcase.errors import InputError
from fieldcase.importers.docx_tables import table_lines
from fieldcase.importers.docx_text import BodyReader

MAX_ENTRIES = 5_000
MAX_UNPACKED = 512 * 1024 * 1024
MAX_RATIO = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class DocxText:
    """The text of a Word document and the title it declares, if any."""

    text: str
    title: str | None


def check_zip(data: bytes) -> None:
    """Refuse what is not a safe Word zip: old .doc, encrypted files, zip bombs."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            "an old-format (.doc) or password-protected Word file; save it as .docx without a password"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("not a valid .docx (not a zip archive; truncated or renamed?)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise InputError(f"not a valid .docx (the zip holds {len(infos)} entries)")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise InputError(
                        f"refused: zip entry {info.filename!r} would unpack {MAX_RATIO}x larger "
                        "than it is stored (a zip bomb?)"
                    )
            if total > MAX_UNPACKED:
                raise InputError(f"refused: the .docx would unpack to {total // 2**20} MiB")
            if "word/document.xml" not in {i.filename for i in infos}:
                raise InputError("not a Word document (the zip has no word/document.xml)")
            archive.testzip()
    except zipfile.BadZipFile as err:
        raise InputError(f"not a valid .docx (broken zip: {err})") from err


def read_docx(data: bytes) -> DocxText:
    """Extract the body's text: one line per paragraph, a table as aligned rows
    (``docx_tables``); headers, footers, footnotes and comments are not the body."""
    check_zip(data)
    import docx  # imported here: python-docx is slow to import and rarely needed

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # noqa: BLE001 - python-docx raises many kinds on bad input
        raise InputError(f"not a readable .docx ({type(err).__name__}: {err})") from err
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    first_heading: str | None = None
    try:
        for paragraph, text in BodyReader(table_lines).block_lines(document.element.body):
            if first_heading is None and paragraph is not None and text.strip() and \
                    _style_name(Paragraph(paragraph, document)).startswith(("title", "heading")):
                first_heading = text.strip()
            lines.append(text)
    except Exception as err:  # noqa: BLE001
        raise InputError(f"not a readable .docx ({type(err).__name__}: {err})") from err
    declared = (document.core_properties.title or "").strip() or first_heading
    return DocxText("\n".join(lines), declared)


def _style_name(paragraph: Any) -> str:
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):
        name = ""
    name = (name or "").lower()
    return "heading" if name.startswith("标题") else name
