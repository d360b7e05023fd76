"""``project.qde`` parsed into :mod:`fieldcase.exchange.qdpx.model`, safely and without loss
going unsaid: lxml without DTDs, entities or network; what the model cannot hold (graphs,
links, picture, PDF-region, audio and video selections) is named in ``Project.skipped``."""

from __future__ import annotations

import io
import re
from typing import Any

from lxml import etree

from fieldcase.errors import InputError
from fieldcase.exchange.qdpx import model

NAMESPACE = "urn:QDA-XML:project:1.0"
_ROOT = re.compile(rb"<[A-Za-z_]")  # the start of the first element
_MEDIA_SELECTIONS = {"PictureSelection": "picture", "PDFSelection": "PDF region", "AudioSelection": "audio",
                     "VideoSelection": "video", "TranscriptSelection": "transcript"}


_PARSER_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                                   "dtd_validation": False, "huge_tree": True, "remove_comments": True,
                                   "remove_pis": True}
_SOURCE_KINDS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")


def parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and opens no connection."""
    return etree.XMLParser(**_PARSER_OPTIONS)


def parse(data: bytes) -> model.Project:
    """The project a ``.qde``'s bytes describe; a file that is not one is an InputError.

    The XML is read as a stream: each source is made into the model as soon as its element
    ends and is then dropped from the tree, so that a project of 200,000 selections never
    stands whole in memory twice (lxml's tree takes about a kilobyte an element)."""
    doctype, first = data.find(b"<!DOCTYPE"), _ROOT.search(data)
    if doctype >= 0 and (first is None or doctype < first.start()):
        raise InputError("refused: the project XML declares a DTD or entities")
    reader: _Reader | None = None
    streamed: list[model.Source] = []
    try:
        context = etree.iterparse(io.BytesIO(data), events=("end",), tag=[f"{{*}}{k}" for k in _SOURCE_KINDS],
                                  **_PARSER_OPTIONS)
        for _, element in context:
            parent = element.getparent()
            if parent is None or etree.QName(parent).localname != "Sources" or parent.getparent() is None \
                    or parent.getparent().getparent() is not None:
                continue  # not a source of the project's <Sources>
            if reader is None:
                _check_root(parent.getparent())
                reader = _Reader(etree.QName(parent.getparent()).namespace or NAMESPACE)
            if element.tag.startswith(f"{{{reader.ns}}}"):
                streamed.extend(reader.sources(element))
                element.clear(keep_tail=False)
                parent.remove(element)  # read: no longer needed in the tree
        root: Any = context.root
    except etree.XMLSyntaxError as err:
        line, column = err.position
        raise InputError(f"the project XML is not well-formed (line {line}, column {column})") from err
    _check_root(root)
    reader = reader or _Reader(etree.QName(root).namespace or NAMESPACE)
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError("refused: the project XML declares a DTD or entities")
    return reader.project(root, streamed)


def _check_root(root: Any) -> None:
    """Refuse a document that is not a REFI-QDA project, as soon as its root is read."""
    qname = etree.QName(root)
    if qname.localname == "CodeBook":
        raise InputError("a REFI-QDA codebook (.qdc), not a project: `fieldcase codebook import` imports it")
    if qname.localname != "Project" or not (qname.namespace or "").startswith("urn:QDA-XML:project"):
        raise InputError(f"not a REFI-QDA project (root element {qname.localname!r})")


def links_line(links: int) -> str:
    """The line a report gives links it cannot carry."""
    return f"{links} link{'s' if links > 1 else ''} between items (fieldcase has no links)"


class _Reader:
    """Reading one document's elements, all in its namespace."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.left = model.NotCarried()  # what the model cannot hold, by source and kind
        self.tags: dict[tuple[str, ...], str] = {}
        # a selection's children, by tag: read in one pass (there may be 200,000 selections)
        self.coding_tag, self.code_ref_tag = self.q("Coding"), self.q("CodeRef")
        self.description_tag, self.note_ref_tag = self.q("Description"), self.q("NoteRef")

    def q(self, *names: str) -> str:
        """A path of names in the document's namespace (made once per path)."""
        found = self.tags.get(names)
        if found is None:
            found = self.tags[names] = "/".join(f"{{{self.ns}}}{n}" for n in names)
        return found

    def text(self, element: Any, name: str) -> str | None:
        found = element.find(self.q(name))
        return None if found is None else (found.text or "")

    def refs(self, element: Any, name: str) -> list[str]:
        found = (r.get("targetGUID") or r.get("guid") for r in element.iterfind(self.q(name)))
        return [guid for guid in found if guid]  # a codebook's MemberCode says guid, a project's targetGUID

    def project(self, root: Any, streamed: list[model.Source]) -> model.Project:
        """The document's model; ``streamed``: the sources already read (and taken out of
        the tree) as the XML was parsed, in document order before any left in it."""
        out = model.Project(name=root.get("name") or "", origin=root.get("origin"),
                            description=self.text(root, "Description"), project_notes=self.refs(root, "NoteRef"))
        out.users = [model.User(u.get("guid") or "", u.get("name") or u.get("id") or "")
                     for u in root.iterfind(self.q("Users", "User"))]
        out.codes = [self.code(c) for c in root.iterfind(self.q("CodeBook", "Codes", "Code"))]
        out.variables = [model.Variable(v.get("guid") or "", v.get("name") or "", v.get("typeOfVariable") or "Text",
                                        self.text(v, "Description"))
                         for v in root.iterfind(self.q("Variables", "Variable"))]
        out.cases = [self.case(c) for c in root.iterfind(self.q("Cases", "Case"))]
        out.sources = streamed
        for element in root.iterfind(self.q("Sources", "*")):
            out.sources.extend(self.sources(element))
        out.notes = [self.note(n) for n in root.iterfind(self.q("Notes", "Note"))]
        out.sets = [model.Set(s.get("guid") or "", s.get("name") or "", self.text(s, "Description"),
                              self.refs(s, "MemberCode"), self.refs(s, "MemberSource"), self.refs(s, "MemberNote"))
                    for s in root.iterfind(self.q("Sets", "Set"))]
        out.links = [model.Link(k.get("guid") or "", k.get("name") or "", k.get("originGUID") or "",
                                k.get("targetGUID") or "") for k in root.iterfind(self.q("Links", "Link"))]
        if out.links:
            self.left.note(links_line(len(out.links)))
        for graph in root.iterfind(self.q("Graphs", "Graph")):
            self.left.note(f"graph {graph.get('name') or graph.get('guid')!r} (fieldcase draws no graphs)")
        out.skipped = self.left.lines()
        return out

    def code(self, top: Any) -> model.Code:
        """A code and its sub-codes, walked with a stack (no nesting is too deep)."""
        made = self._code(top)
        stack = [(top, made)]
        while stack:
            element, code = stack.pop()
            for child in element.iterfind(self.q("Code")):
                sub = self._code(child)
                code.children.append(sub)
                stack.append((child, sub))
        return made

    def _code(self, e: Any) -> model.Code:
        return model.Code(e.get("guid") or "", e.get("name") or "", e.get("color"), self.text(e, "Description"),
                          (e.get("isCodable") or "true").strip().lower() in ("true", "1"),
                          notes=self.refs(e, "NoteRef"))

    def values(self, e: Any) -> list[model.VariableValue]:
        out = []
        for v in e.iterfind(self.q("VariableValue")):
            ref = v.find(self.q("VariableRef"))
            if ref is None or not ref.get("targetGUID"):
                continue
            held = [c for c in v if etree.QName(c).localname.endswith("Value")]
            out.append(model.VariableValue(ref.get("targetGUID"), held[0].text or "" if held else None))
        return out

    def case(self, e: Any) -> model.Case:
        return model.Case(e.get("guid") or "", e.get("name") or "", self.text(e, "Description"),
                          self.refs(e, "SourceRef"), self.values(e), self.refs(e, "CodeRef"),
                          self.refs(e, "SelectionRef"))

    def codings(self, e: Any) -> list[model.Coding]:
        """The ``<Coding>`` children of ``e`` that name a code."""
        return [c for c in (self.coding(c) for c in e.iterfind(self.coding_tag)) if c is not None]

    def sources(self, e: Any) -> list[model.Source]:
        """The text-bearing sources one ``<Sources>`` child makes: a text source itself; a
        PDF's or picture's text representation; each transcript of audio or video."""
        kind, name = etree.QName(e).localname, e.get("name") or e.get("guid") or ""
        self.skip_media(e, kind, name)
        if kind == "TextSource":
            return [self.text_source(e, e, kind, name)]
        inner = {"PDFSource": "Representation", "PictureSource": "TextDescription"}.get(kind)
        if inner is not None:
            found = e.find(self.q(inner))
            if found is not None:
                return [self.text_source(found, e, kind, name)]
            self.left.note(f"{kind} {name!r}: no plain-text representation to carry")
            return []
        if kind in ("AudioSource", "VideoSource"):
            transcripts = e.findall(self.q("Transcript"))
            self.left.note(f"{kind} {name!r}: the recording itself")  # its transcripts: sources, if their text is here
            return [self.text_source(t, t, "Transcript", t.get("name") or f"{name} (transcript)")
                    for t in transcripts]
        self.left.note(f"{kind} {name!r}: not a kind of source fieldcase knows")
        return []

    def skip_media(self, e: Any, kind: str, name: str) -> None:
        """Name the selections of a picture, PDF page region, recording or transcript."""
        as_text = {s.get("guid") for s in e.iterfind(self.q("Representation", "PlainTextSelection"))}
        for tag, what in _MEDIA_SELECTIONS.items():
            for where in (e, *e.iterfind(self.q("Transcript"))):
                for selection in where.iterfind(self.q(tag)):
                    if selection.get("guid") in as_text:
                        continue  # the same selection of the PDF's text is imported
                    self.left.add(f"{kind} {name!r}", f"{what} selection", per="coding",
                                   of=len(selection.findall(self.q("Coding"))))

    def text_source(self, e: Any, outer: Any, kind: str, name: str) -> model.Source:
        """A source from the element holding its text (``e``) and the one naming it (``outer``)."""
        source = model.Source(outer.get("guid") or "", name, kind, e.get("plainTextPath"),
                              self.text(e, "PlainTextContent"), self.text(outer, "Description"),
                              outer.get("creatingUser"), outer.get("creationDateTime"), e.get("richTextPath"))
        for s in e.iterfind(self.q("PlainTextSelection")):
            source.selections.append(self.selection(s, name))
        source.codings = self.codings(outer) + (self.codings(e) if e is not outer else [])
        source.notes = self.refs(outer, "NoteRef") + (self.refs(e, "NoteRef") if e is not outer else [])
        source.values = self.values(outer)
        source.modified = outer.get("modifiedDateTime")
        return source

    def selection(self, s: Any, source: str) -> model.Selection:
        get = s.get
        try:
            start, end = int(get("startPosition")), int(get("endPosition"))
        except (TypeError, ValueError) as err:
            raise InputError(f"a selection in source {source!r} has no whole-number start and end "
                             f"({get('startPosition')!r}, {get('endPosition')!r})") from err
        made = model.Selection(get("guid") or "", start, end, get("name"), None, get("creatingUser"),
                               get("creationDateTime"))
        coding_tag, note_ref_tag = self.coding_tag, self.note_ref_tag
        for child in s:
            tag = child.tag
            if tag == coding_tag:
                coding = self.coding(child)
                if coding is not None:
                    made.codings.append(coding)
            elif tag == self.description_tag:
                made.description = child.text or ""
            elif tag == note_ref_tag:
                target = child.get("targetGUID") or child.get("guid")
                if target:
                    made.notes.append(target)
        return made

    def coding(self, c: Any) -> model.Coding | None:
        """A ``<Coding>`` from its children read in one pass; None without a code."""
        code, notes = None, []
        for ref in c:
            tag = ref.tag
            if tag == self.code_ref_tag:
                code = ref.get("targetGUID")
            elif tag == self.note_ref_tag:
                target = ref.get("targetGUID") or ref.get("guid")
                if target:
                    notes.append(target)
        if not code:
            return None
        get = c.get
        return model.Coding(get("guid") or "", code, get("creatingUser"), get("creationDateTime"), notes)

    def note(self, e: Any) -> model.Note:
        return model.Note(e.get("guid") or "", e.get("name"), self.text(e, "PlainTextContent"),
                          self.text(e, "Description"), e.get("creatingUser"), e.get("creationDateTime"),
                          e.get("plainTextPath"), e.get("modifiedDateTime"))
