"""The words of a Word body as a reader of the document sees them, read from its XML.

python-docx reads only runs that stand directly in a paragraph (or a hyperlink), so words
in tracked insertions, content controls, smart tags, simple fields and custom XML would be
lost. Here every run counts wherever it is nested, with tracked changes accepted:
insertions and moves in are read; deletions, moves out, field instructions, hidden text
and a content control's placeholder are not. A text box's paragraphs follow the paragraph
that holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
P, TBL, TR, TC, R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"

# Elements whose content a reader of the accepted document does not see, or that hold
# properties rather than words.
_UNSEEN = frozenset(W + name for name in (
    "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "tblGrid", "trPr", "tcPr", "del", "moveFrom",
    "instrText", "delText", "delInstrText", "fldData", "footnoteReference", "endnoteReference",
    "commentReference", "annotationRef",
))
# Wrappers of block content (paragraphs, tables, rows or cells) to look through.
_BLOCK_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"})
_TEXT_BOX = W + "txbxContent"
_GONE = frozenset({W + "del", W + "moveFrom"})  # marks of a row or paragraph mark deleted or moved away


def first(element: Any, tag: str) -> Any:
    """The first child with this tag, or None (``element`` may be None too). Three times as
    quick as lxml's ``find``, which a million paragraphs feel."""
    if element is not None:
        for child in element:
            if child.tag == tag:
                return child
    return None


def is_on(element: Any, tag: str) -> bool:
    """Whether a toggle property (``w:b``, ``w:vanish`` …) is present and not switched off."""
    found = first(element, tag)
    return found is not None and found.get(W + "val", "true") not in ("0", "false", "off")


def _removed(properties: Any) -> bool:
    """Whether row or paragraph-mark properties say it was deleted (or moved away)."""
    return properties is not None and any(child.tag in _GONE for child in properties)


def _placeholder(sdt: Any) -> bool:
    """A content control showing its placeholder ("Click here to enter text"), not words."""
    return first(first(sdt, W + "sdtPr"), W + "showingPlcHdr") is not None


def children(container: Any, wanted: str) -> Iterator[Any]:
    """The ``wanted`` elements (paragraphs and tables, rows, or cells) of a container,
    looking through content controls, custom XML and tracked insertions."""
    for child in container:
        if child.tag == wanted or (wanted == P and child.tag == TBL):
            yield child
        elif child.tag in _BLOCK_WRAPPERS and not (child.tag == W + "sdt" and _placeholder(child)):
            yield from children(child, wanted)


def blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables in reading order."""
    return children(container, P)


def rows(table: Any) -> Iterator[Any]:
    """A table's rows, leaving out rows deleted as a tracked change."""
    for row in children(table, TR):
        if not _removed(first(row, W + "trPr")):
            yield row


def cells(row: Any) -> Iterator[Any]:
    """A row's cells."""
    return children(row, TC)


TableLines = Callable[[Any, "BodyReader"], list[str]]


class BodyReader:
    """Reads paragraphs in order, keeping complex fields (which may span paragraphs) in step;
    ``table`` turns a table into lines (see ``docx_tables``)."""

    def __init__(self, table: TableLines) -> None:
        self.table = table
        self.fields: list[bool] = []  # one per open complex field: True once in its result part
        self.in_instructions = 0  # how many of them are not yet in their result part
        self.boxes: list[Any] = []  # text boxes met in the paragraph being read

    def block_lines(self, container: Any) -> Iterator[tuple[Any | None, str]]:
        """Each paragraph's text with the paragraph (for its style), then its text boxes'
        lines; a table's lines with None. A paragraph whose mark was deleted runs on into
        the next, as it does once the change is accepted (its pieces joined once, so a long
        run of them costs no more than their text)."""
        start: Any = None  # the first paragraph of the one being read, and its pieces so far
        pieces: list[str] = []
        boxes: list[Any] = []
        for block in blocks(container):
            if block.tag == TBL:
                if start is not None:
                    yield start, "".join(pieces)
                    start, pieces = None, []
                yield from ((None, line) for line in self.table(block, self))
                continue
            pieces.append(self.paragraph(block))
            boxes.extend(self.boxes)
            self.boxes = []
            start = block if start is None else start
            if self.mark_removed(block):
                continue
            yield start, "".join(pieces)
            start, pieces = None, []
            for box in boxes:
                yield from self.block_lines(box)
            boxes = []
        if start is not None:
            yield start, "".join(pieces)
        for box in boxes:
            yield from self.block_lines(box)

    def paragraph(self, p: Any) -> str:
        """The text of one paragraph (its text boxes are left in ``boxes``)."""
        out: list[str] = []
        self._inline(p, out)
        return "".join(out)

    def mark_removed(self, p: Any) -> bool:
        """Whether a paragraph's mark was deleted, so it runs on into the next paragraph."""
        return _removed(first(first(p, W + "pPr"), W + "rPr"))

    def _shown(self) -> bool:
        return self.in_instructions == 0  # kept as a count: fields nested deep cost no more

    def _inline(self, element: Any, out: list[str]) -> None:
        for child in element:
            self._node(child, out)

    def _node(self, node: Any, out: list[str]) -> None:
        tag = node.tag
        if not isinstance(tag, str) or tag in _UNSEEN:  # comments and processing instructions too
            return
        if tag == R:
            self._run(node, out)
        elif tag == _TEXT_BOX:
            self.boxes.append(node)
        elif tag == MC + "AlternateContent":
            choice = first(node, MC + "Choice")  # the Fallback repeats it for old readers
            if choice is not None:
                self._inline(choice, out)
        elif tag == W + "sdt" and _placeholder(node):
            return
        elif tag == M_T:
            if self._shown():
                out.append(node.text or "")
        else:  # hyperlinks, insertions, controls, smart tags, simple fields, custom XML, math
            self._inline(node, out)

    def _run(self, run: Any, out: list[str]) -> None:
        hidden = is_on(first(run, W + "rPr"), W + "vanish")
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                self._field(child.get(W + "fldCharType"))
            elif hidden or not self._shown() or tag in _UNSEEN or not isinstance(tag, str):
                continue
            elif tag == W + "t":
                out.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                out.append("\t")
            elif tag == W + "cr" or (tag == W + "br" and child.get(W + "type", "textWrapping") == "textWrapping"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:  # drawings and pictures may hold text boxes
                self._node(child, out)

    def _field(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(False)  # its instructions come first
            self.in_instructions += 1
        elif kind == "separate" and self.fields and not self.fields[-1]:
            self.fields[-1] = True
            self.in_instructions -= 1
        elif kind == "end" and self.fields:
            self.in_instructions -= not self.fields.pop()
