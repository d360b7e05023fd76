"""Parsing a Word part's XML safely and, for the body, as a stream.

The parser resolves no entities, fetches nothing and keeps libxml2's limits on depth and
entity amplification; a document type declaration (which Word never writes, and which
every entity attack needs) is refused outright. The body is handed over one top-level
block (paragraph, table, content control) at a time and let go once read, so a document
of a million paragraphs costs memory for its text, not for its whole tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, cast

from lxml import etree

from fieldcase.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Readable(Protocol):
    """What the parser reads from: a part of the zip (``docx_zip.PartReader``)."""

    name: str

    def read(self, size: int = ...) -> bytes: ...


def parse_part(part: Readable) -> Any:
    """The root element of a small part (styles, document properties)."""
    parser = _safe_parser()
    root = None
    for _ in _fed(parser, part):
        for element in _started(parser):
            root = element if root is None else root
    _refuse_doctype(root, part.name)
    return root


def body_blocks(part: Readable) -> Iterator[Any]:
    """The children of ``w:body`` in order, each whole and taken out of the tree, so that
    the tree never holds more than a chunk's worth. A child is whole once another follows
    it (or the part ends); the parser reports no other element to Python, which keeps a
    million paragraphs at the cost of their text."""
    parser = _safe_parser(tag=W + "body")
    body: etree._Element | None = None
    for last in _fed(parser, part):
        if body is None:
            body = next((el for el in _started(parser) if _is_top(el)), None)
            if body is None:
                continue
            _refuse_doctype(body, part.name)
        blocks = list(body)
        for block in blocks if last else blocks[:-1]:
            body.remove(block)
            yield block
    if body is None:
        raise InputError(f"not a Word document ({part.name} has no w:body)")


def _safe_parser(tag: str | None = None) -> etree.XMLPullParser:
    """A pull parser reporting element starts (only those named ``tag``, if given) that
    resolves no entities, fetches nothing, reads no DTD and keeps libxml2's size limits."""
    return etree.XMLPullParser(
        events=("start",), tag=tag, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def _started(parser: etree.XMLPullParser) -> Iterator[etree._Element]:
    """The elements whose start the parser has read since last asked."""
    for _, element in parser.read_events():
        # Only "start" events are asked for, and those carry an element (tuples come
        # with "start-ns" events alone).
        yield cast(etree._Element, element)


def _is_top(element: Any) -> bool:
    """Whether an element is a child of the root (the document's own body, not one nested)."""
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _fed(parser: Any, part: Readable) -> Iterator[bool]:
    """Feed the part to the parser a chunk at a time, pausing after each (True after the
    last); a document type declaration is refused before libxml2 reads its entities."""
    first = True
    try:
        while True:
            chunk = part.read()
            if first and b"<!DOCTYPE" in chunk:
                _refuse_doctype(None, part.name)
            first = False
            if not chunk:
                parser.close()  # raises if the XML stops short
                yield True
                return
            parser.feed(chunk)
            yield False
    except etree.XMLSyntaxError as err:
        if "Excessive depth" in (err.msg or ""):
            raise InputError(f"not a readable .docx ({part.name} nests its XML over 256 levels deep)") from err
        raise InputError(f"not a readable .docx (broken XML in {part.name}: {err.msg})") from err


def _refuse_doctype(element: Any, name: str) -> None:
    """Refuse a part whose document has a type declaration (``element`` None: one was seen)."""
    if element is None or element.getroottree().docinfo.doctype:
        raise InputError(
            f"refused: {name} declares a document type (entities), which Word never writes"
        )
