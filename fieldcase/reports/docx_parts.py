"""What a Word file holds besides the body fieldcase writes: headers, footers, notes,
comments, document properties, custom XML and a thumbnail of the first page (all may come
from a reference document). Their texts are read place by place, for the name check, and
pseudonymised in place; the thumbnail is dropped."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXTS = (f"{W}t", f"{W}delText")
_PEOPLE_ATTRIBUTES = ("author", "initials", "userId")
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
# Parts that hold no text a name could stand in (styles, fonts, themes, list numbering).
TEXTLESS = ("word/styles.xml", "word/stylesWithEffects.xml", "word/theme/", "word/fontTable.xml",
            "word/numbering.xml", "word/webSettings.xml")


@dataclass
class Piece:
    """One place that holds text: a paragraph (its runs' texts), an element or an attribute."""

    where: str
    nodes: list[Any]
    attribute: str | None = None

    @property
    def text(self) -> str:
        if self.attribute is not None:
            return self.nodes[0].get(self.attribute) or ""
        return "".join(n.text or "" for n in self.nodes)

    def set(self, text: str) -> None:
        """Put ``text`` in this place: a paragraph's text goes into its first run."""
        if self.attribute is not None:
            self.nodes[0].set(self.attribute, text)
            return
        self.nodes[0].text = text
        if self.nodes[0].tag in _RUN_TEXTS:
            self.nodes[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        for node in self.nodes[1:]:
            node.text = ""


def _short(tag: str, nsmap: dict[str | None, str]) -> str:
    """``{ns}creator`` as ``dc:creator``."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    prefix = next((p for p, u in nsmap.items() if u == uri and p), None)
    return f"{prefix}:{local}" if prefix else local


def _paragraph_place(paragraph: Any, tables: dict[Any, int], counter: list[int]) -> str:
    cell = next((a for a in paragraph.iterancestors(f"{W}tc")), None)
    if cell is None:
        counter[0] += 1
        return f"paragraph {counter[0]}"
    row = cell.getparent()
    table = row.getparent()
    number = tables.setdefault(table, len(tables) + 1)
    rows = [r for r in table if r.tag == f"{W}tr"]
    cells = [c for c in row if c.tag == f"{W}tc"]
    return f"table {number}, row {rows.index(row) + 1}, cell {cells.index(cell) + 1}"


def pieces(root: Any) -> Iterator[Piece]:
    """Every place in one XML part that holds text, in document order."""
    tables: dict[Any, int] = {}
    counter = [0]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == f"{W}p":
            place = _paragraph_place(element, tables, counter)
            for tag, kind in ((f"{W}t", ""), (f"{W}delText", " (deleted text)")):
                nodes = [n for n in element.iter(tag) if next(n.iterancestors(f"{W}p")) is element]
                if nodes:
                    yield Piece(place + kind, nodes)
        elif element.tag not in _RUN_TEXTS and element.text and element.text.strip():
            yield Piece(_short(element.tag, element.nsmap), [element])
        for name in element.attrib:
            if name.rsplit("}", 1)[-1] in _PEOPLE_ATTRIBUTES:
                yield Piece(f"{_short(name, element.nsmap)} of {_short(element.tag, element.nsmap)}", [element], name)


def read_parts(path: Path) -> Iterator[tuple[str, Any]]:
    """Each XML part of a Word (or Excel) file, parsed: ``(part name, root)``."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                yield name, etree.fromstring(archive.read(name))


def scrub(path: Path, rename: Callable[[str], str], *, keep: tuple[str, ...] = ("word/document.xml",)) -> None:
    """Pseudonymise every part of the Word file at ``path`` but ``keep`` (the body, written
    from pseudonymised text), and drop its thumbnail."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    thumbnails = {i.filename for i, _ in entries if i.filename.startswith("docProps/thumbnail")}
    out = []
    for info, data in entries:
        if info.filename in thumbnails:
            continue
        if info.filename == "_rels/.rels" or info.filename == "[Content_Types].xml":
            data = _without_thumbnail(etree.fromstring(data), thumbnails)
        elif info.filename.endswith(".xml") and not info.filename.startswith((*keep, *TEXTLESS)):
            root = etree.fromstring(data)
            for piece in pieces(root):
                text = piece.text
                renamed = rename(text)
                if renamed != text:
                    piece.set(renamed)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out.append((info, data))
    temporary = path.with_name(path.name + ".scrub")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in out:
            archive.writestr(info, data)
    temporary.replace(path)


def _without_thumbnail(root: Any, thumbnails: set[str]) -> bytes:
    """The package relationships or content types without the thumbnail's entries."""
    from lxml import etree

    for element in list(root):
        target = (element.get("Target") or element.get("PartName") or "").lstrip("/")
        if element.get("Type") == _THUMBNAIL or target in thumbnails:
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
