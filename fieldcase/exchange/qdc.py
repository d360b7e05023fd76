"""REFI-QDA codebooks (``.qdc``): export the codebook, import and merge others'.

Export writes QDA-XML codebook 1.0, valid against the official schema. Import
reads 1.0 and MAXQDA's ``codebook:0:4`` namespace, parses safely (no DTDs, no
entities, no network), and merges by GUID, then by name, in one change group:
a file that cannot be read changes nothing.
"""

from __future__ import annotations

import re
import uuid as uuidlib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from fieldcase import __version__
from fieldcase.coding.colours import check_color, drawable
from fieldcase.coding.keys import has_han, valid_key
from fieldcase.errors import InputError
from fieldcase.store import codes
from fieldcase.store.code_index import MAX_LEVELS, CodeIndex
from fieldcase.store.rows import CodeNode

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

NS = "urn:QDA-XML:codebook:1.0"
ACCEPTED_NS = (NS, "urn:QDA-XML:codebook:0:4")
MAX_BYTES = 50 * 1024 * 1024
_SECTION = re.compile(r"^(Include|Exclude|Example|Keywords|Key|定义|纳入|排除|示例|关键词):\s*(.*)$")


def code_name(code: Mapping[str, Any], names: str = "both") -> str:
    """The single name other tools see: ``返乡动因 / Return motives`` by default."""
    zh: str | None = code.get("name_zh")
    en: str | None = code.get("name_en")
    key: str = code["key"]
    if names == "zh":
        return zh or en or key
    if names == "en":
        return en or zh or key
    return " / ".join(n for n in (zh, en) if n) or key


def description(code: Mapping[str, Any]) -> str:
    """The definition followed by labelled criteria, example, keywords and key."""
    parts = [code.get("description") or ""]
    extra = [
        ("Include", code.get("inclusion")),
        ("Exclude", code.get("exclusion")),
        ("Example", code.get("example")),
        ("Keywords", ", ".join(code.get("keywords") or [])),
        ("Key", code["key"]),
    ]
    lines = [f"{name}: {value}" for name, value in extra if value]
    return "\n\n".join(p for p in (parts[0].strip(), "\n".join(lines)) if p)


def export_codebook(project: Project, path: str | Path, *, names: str = "both",
                    rename: Callable[[Any], Any] | None = None) -> int:
    """Write the codebook to ``path`` as a REFI-QDA ``.qdc``, each code's row through
    ``rename`` (pseudonyms) if given; returns the number of codes."""
    tree = codes.tree(project)
    if rename is not None:
        tree = [rename(node) for node in tree]
    if not tree:
        raise InputError("the codebook is empty; a .qdc needs at least one code")
    Path(path).write_bytes("".join(_xml_lines(tree, names)).encode("utf-8"))
    return len(tree)


def _xml_lines(tree: list[CodeNode], names: str) -> Iterator[str]:
    """The ``.qdc`` document, line by line, from :func:`codes.tree`'s depth-first rows; written
    in one pass with a stack of open elements (ElementTree's writer recurses per level)."""
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<CodeBook xmlns="{NS}" origin={_attr(f"fieldcase {__version__}")}>\n  <Codes>\n'
    open_depths: list[int] = []
    for index, node in enumerate(tree):
        yield from _close_to(open_depths, node["depth"])
        pad = "  " * (node["depth"] + 2)
        attrs = {"guid": node["uuid"].upper(), "name": code_name(node, names), "isCodable": "true"}
        color = drawable(node["color"], "")  # a bad stored colour is left out, not written
        if color:
            attrs["color"] = color
        start = pad + "<Code " + " ".join(f"{k}={_attr(v)}" for k, v in attrs.items())
        text = description(node)
        has_children = index + 1 < len(tree) and tree[index + 1]["depth"] > node["depth"]
        if not (text or has_children):
            yield start + " />\n"
            continue
        yield start + ">\n"
        if text:
            yield f"{pad}  <Description>{_text(text)}</Description>\n"
        open_depths.append(node["depth"])
    yield from _close_to(open_depths, 0)
    yield "  </Codes>\n</CodeBook>"


def _close_to(open_depths: list[int], depth: int) -> Iterator[str]:
    """Close the open ``<Code>`` elements at ``depth`` or deeper."""
    while open_depths and open_depths[-1] >= depth:
        yield "  " * (open_depths.pop() + 2) + "</Code>\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text, escaped, without the characters XML 1.0 cannot hold."""
    return xml_escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    """A quoted attribute value, escaped as ElementTree escapes it."""
    return '"' + xml_escape(_NOT_XML.sub("", value), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}) + '"'


@dataclass
class ImportReport:
    """What merging a codebook did."""

    added: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)  # code sets added or added to
    sets_skipped: int = 0  # sets with none of the file's codes
    warnings: list[str] = field(default_factory=list)


def read_codebook(path: str | Path) -> tuple[ET.Element, str]:
    """Parse a ``.qdc`` safely; returns the root element and its namespace."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    if size > MAX_BYTES:
        raise InputError(f"{path}: too large for a codebook ({size // 2**20} MiB)")
    try:
        root = fromstring(path.read_bytes(), forbid_dtd=True)
    except DefusedXmlException as err:
        raise InputError(f"{path}: refused: the file declares a DTD or entities ({err})") from err
    except ET.ParseError as err:
        line, column = err.position
        raise InputError(f"{path}: not well-formed XML (line {line}, column {column})") from err
    namespace, _, tag = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if tag != "CodeBook" or namespace not in ACCEPTED_NS:
        raise InputError(f"{path}: not a REFI-QDA codebook (root element {root.tag!r})")
    holder = root.find(f"{{{namespace}}}Codes")
    if holder is None:
        raise InputError(f"{path}: the codebook has no <Codes> element")
    levels = _levels(holder, namespace)
    if levels > MAX_LEVELS:
        raise InputError(f"{path}: refused: its codes nest {levels} levels deep; "
                         f"fieldcase takes at most {MAX_LEVELS}")
    return root, namespace


def _levels(holder: ET.Element, ns: str) -> int:
    """How deep the ``<Code>`` elements under ``holder`` nest (walked with a stack)."""
    deepest, stack = 0, [(holder, 0)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element.iterfind(f"{{{ns}}}Code"))
    return deepest


def import_codebook(project: Project, path: str | Path) -> ImportReport:
    """Merge a ``.qdc`` into the codebook: by GUID, then by name; new codes are added.

    Codes are taken in document order with a stack (no nesting is too deep to walk) and
    looked up in memory (a query per code would scan the codebook each time).
    """
    root, ns = read_codebook(path)
    report = ImportReport()
    holder = root.find(f"{{{ns}}}Codes")
    assert holder is not None  # read_codebook refuses a file without
    stack: list[tuple[ET.Element, int | None]] = [(c, None) for c in reversed(holder.findall(f"{{{ns}}}Code"))]
    try:
        with project.change("codebook.import", f"Imported codebook {Path(path).name}") as w:
            merge = _Merge(w, ns, report)
            while stack:
                element, parent_id = stack.pop()
                code_id = merge.one(element, parent_id)
                stack.extend((child, code_id) for child in reversed(element.findall(f"{{{ns}}}Code")))
            _take_sets(w, root, ns, merge.seen, report)
    except InputError as err:
        raise InputError(f"{path}: {err}") from err
    return report


class _Merge:
    """Merging one file's codes, in one change group: the codebook as known so far (the
    file's codes included as they are added), and the report of what was done."""

    def __init__(self, writer: ChangeWriter, ns: str, report: ImportReport) -> None:
        self.writer, self.ns, self.report = writer, ns, report
        self.origin = "qdc"  # what the added codes say they came from
        self.known = CodeIndex(writer.project)
        self.seen: dict[str, int] = {}  # GUIDs of this file, to the code each became

    def one(self, element: ET.Element, parent_id: int | None) -> int:
        """Match ``element`` to a code, or add it under ``parent_id``; returns the code's id."""
        return self.one_values(element.get("name") or "", element.get("guid"), element.get("color"),
                               element.findtext(f"{{{self.ns}}}Description") or "", parent_id)

    def one_values(self, raw_name: str, raw_guid: str | None, color: str | None, text: str,
                   parent_id: int | None) -> int:
        """Match a code (its name, GUID, colour and description as written) to one of the
        codebook, or add it under ``parent_id``; returns the code's id."""
        name = raw_name.strip()
        if not name:
            raise InputError("a <Code> element has no name")
        guid = _guid(raw_guid)
        if guid and guid in self.seen:
            self.report.warnings.append(f"GUID {guid} appears more than once; later copies merged into the first")
            return self.seen[guid]
        fields = _parse_description(text)
        zh, en = split_name(name)
        if "name_zh" in fields or "name_en" in fields:  # names that one name in the file could not carry
            zh, en = fields.pop("name_zh", None), fields.pop("name_en", None)
        code_id = self.match(guid, zh, en, fields.get("key"))
        if code_id is not None:
            self.report.matched.append(self.known.key_of[code_id])
        else:
            code_id = self.add(name, color, guid, zh, en, fields, parent_id)
        if guid:
            self.seen[guid] = code_id
        return code_id

    def match(self, guid: str | None, zh: str | None, en: str | None, key: str | None) -> int | None:
        """The code with this GUID, else the only one with this key, Chinese or English
        name (ignoring case), if any; a code another code of this file became is not matched
        by name again (two codes of one file are two codes)."""
        if guid and guid in self.known.by_uuid:
            return self.known.by_uuid[guid]
        taken = set(self.seen.values())
        for column, value in (("key", key), ("name_zh", zh), ("name_en", en)):
            found = [i for i in self.known.named_as(column, value) if i not in taken] if value else []
            if len(found) == 1:
                return found[0]
        return None

    def add(self, name: str, color: str | None, guid: str | None, zh: str | None, en: str | None,
            fields: dict[str, Any], parent_id: int | None) -> int:
        """Add the code described; returns its id."""
        key = fields.pop("key", None)
        if key and (not valid_key(key) or self.known.key_taken(key)):
            key = None
        new = codes.add(
            self.writer.project, name_zh=zh, name_en=en, key=key, parent=parent_id,
            color=_color(color, name, self.report), origin=self.origin,
            uuid=guid or str(uuidlib.uuid4()), writer=self.writer, known=self.known, **fields,
        )
        self.report.added.append(new["key"])
        code_id: int = new["id"]
        return code_id


def _take_sets(w: ChangeWriter, root: ET.Element, ns: str, codes_by_guid: dict[str, int],
               report: ImportReport) -> None:
    """The file's sets of codes as code sets (by GUID, then name); one holding none of its
    codes is counted in ``sets_skipped``."""
    from fieldcase.exchange.set_import import take_set
    from fieldcase.store import sets

    known = sets.by_uuid(w.project)
    for element in root.iterfind(f"{{{ns}}}Sets/{{{ns}}}Set"):
        refs = [_guid(m.get("guid") or m.get("targetGUID")) for m in element.iterfind(f"{{{ns}}}MemberCode")]
        members = [codes_by_guid[g] for g in refs if g in codes_by_guid]
        name = (element.get("name") or "").strip()
        if not members or not name:
            report.sets_skipped += 1
            continue
        take_set(w, "code", _guid(element.get("guid")), name, element.findtext(f"{{{ns}}}Description"), members, known)
        report.sets.append(name)


def _color(raw: str | None, name: str, report: ImportReport) -> str | None:
    """A code's colour from the file as ``#RRGGBB``; one that is not a colour is reported
    and the code gets the default one instead."""
    if not raw:
        return None
    try:
        return check_color(raw)
    except InputError:
        report.warnings.append(f"code {name!r}: colour {raw!r} is not #RRGGBB; it gets a default colour")
        return None


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _guid(raw: str | None) -> str | None:
    """A GUID as fieldcase stores a UUID (lower case, with hyphens), or None if it is none."""
    if not raw:
        return None
    text = raw.strip().strip("{}").lower()
    if _CANONICAL.fullmatch(text):
        return text
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        return None


def split_name(name: str) -> tuple[str | None, str | None]:
    """``返乡动因 / Return motives`` → both names; a single name goes by its script."""
    if " / " in name:
        left, _, right = name.partition(" / ")
        if has_han(left) and not has_han(right):
            return left.strip(), right.strip()
    return (name, None) if has_han(name) else (None, name)


def _parse_description(text: str) -> dict[str, Any]:
    """Split a description written by :func:`description` back into its fields; one that
    ends in a paragraph of fieldcase's labels (a .qdpx of fieldcase's: its key and names,
    values a line could not hold as JSON) is read by that paragraph alone."""
    from fieldcase.exchange.qdpx.fields import CODE_LABELS, unlabelled

    found, rest = unlabelled(text, CODE_LABELS)
    if "key" in found:
        return {**found, **({"description": rest} if rest.strip() else {})}
    fields: dict[str, Any] = {}
    plain: list[str] = []
    names = {"Include": "inclusion", "纳入": "inclusion", "Exclude": "exclusion", "排除": "exclusion",
             "Example": "example", "示例": "example", "Keywords": "keywords", "关键词": "keywords",
             "Key": "key", "定义": "description"}
    for line in text.strip().splitlines():
        match = _SECTION.match(line.strip())
        if match:
            target = names[match.group(1)]
            value = match.group(2).strip()
            fields[target] = [k.strip() for k in value.split(",") if k.strip()] if target == "keywords" else value
        else:
            plain.append(line)
    body = "\n".join(plain).strip()
    if body:
        fields["description"] = body
    return fields
