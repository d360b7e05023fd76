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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase import __version__
from fieldcase.coding.colours import check_color, drawable
from fieldcase.coding.keys import has_han, valid_key
from fieldcase.errors import InputError
from fieldcase.store import codes

if TYPE_CHECKING:
    from fieldcase.store.project import Project

NS = "urn:QDA-XML:codebook:1.0"
ACCEPTED_NS = (NS, "urn:QDA-XML:codebook:0:4")
MAX_BYTES = 50 * 1024 * 1024
_SECTION = re.compile(r"^(Include|Exclude|Example|Keywords|Key|定义|纳入|排除|示例|关键词):\s*(.*)$")


def code_name(code: dict[str, Any], names: str = "both") -> str:
    """The single name other tools see: ``返乡动因 / Return motives`` by default."""
    zh, en = code.get("name_zh"), code.get("name_en")
    if names == "zh":
        return zh or en or code["key"]
    if names == "en":
        return en or zh or code["key"]
    return " / ".join(n for n in (zh, en) if n) or code["key"]


def description(code: dict[str, Any]) -> str:
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
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}CodeBook", {"origin": f"fieldcase {__version__}"})
    holder = ET.SubElement(root, f"{{{NS}}}Codes")
    elements: dict[str, ET.Element] = {}
    for node in tree:
        parent = elements[node["parent_key"]] if node["parent_key"] else holder
        attrs = {"guid": node["uuid"].upper(), "name": code_name(node, names), "isCodable": "true"}
        color = drawable(node["color"], "")  # a bad stored colour is left out, not written
        if color:
            attrs["color"] = color
        element = ET.SubElement(parent, f"{{{NS}}}Code", attrs)
        text = description(node)
        if text:
            ET.SubElement(element, f"{{{NS}}}Description").text = text
        elements[node["key"]] = element
    ET.indent(root)
    Path(path).write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return len(tree)


@dataclass
class ImportReport:
    """What merging a codebook did."""

    added: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    sets_skipped: int = 0
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
    if root.find(f"{{{namespace}}}Codes") is None:
        raise InputError(f"{path}: the codebook has no <Codes> element")
    return root, namespace


def import_codebook(project: Project, path: str | Path) -> ImportReport:
    """Merge a ``.qdc`` into the codebook: by GUID, then by name; new codes are added."""
    root, ns = read_codebook(path)
    report = ImportReport()
    report.sets_skipped = len(root.findall(f"{{{ns}}}Sets/{{{ns}}}Set"))
    seen: dict[str, int] = {}
    with project.change("codebook.import", f"Imported codebook {Path(path).name}") as w:

        def walk(element: ET.Element, parent_id: int | None) -> None:
            for child in element.findall(f"{{{ns}}}Code"):
                code_id = _merge_one(project, w, child, ns, parent_id, seen, report, Path(path))
                walk(child, code_id)

        walk(root.find(f"{{{ns}}}Codes"), None)  # type: ignore[arg-type]
    return report


def _merge_one(project, w, element, ns, parent_id, seen, report, path) -> int:  # noqa: ANN001
    name = (element.get("name") or "").strip()
    if not name:
        raise InputError(f"{path}: a <Code> element has no name")
    guid = _guid(element.get("guid"))
    if guid and guid in seen:
        report.warnings.append(f"GUID {guid} appears more than once; later copies merged into the first")
        return seen[guid]
    fields = _parse_description(element.findtext(f"{{{ns}}}Description") or "")
    zh, en = _split_name(name)
    existing = _match(project, guid, zh, en, fields.get("key"))
    if existing is not None:
        report.matched.append(existing["key"])
        code_id = existing["id"]
    else:
        key = fields.pop("key", None)
        if key and (not valid_key(key) or project.query("SELECT 1 FROM codes WHERE key = ?", [key])):
            key = None
        new = codes.add(
            project,
            name_zh=zh,
            name_en=en,
            key=key,
            parent=parent_id,
            color=_color(element.get("color"), name, report),
            origin="qdc",
            uuid=guid or str(uuidlib.uuid4()),
            writer=w,
            **fields,
        )
        report.added.append(new["key"])
        code_id = new["id"]
    if guid:
        seen[guid] = code_id
    return code_id


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


def _guid(raw: str | None) -> str | None:
    if not raw:
        return None
    text = raw.strip().strip("{}").lower()
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        return None


def _split_name(name: str) -> tuple[str | None, str | None]:
    """``返乡动因 / Return motives`` → both names; a single name goes by its script."""
    if " / " in name:
        left, _, right = name.partition(" / ")
        if has_han(left) and not has_han(right):
            return left.strip(), right.strip()
    return (name, None) if has_han(name) else (None, name)


def _match(project: Project, guid: str | None, zh: str | None, en: str | None, key: str | None):
    if guid:
        rows = project.query("SELECT * FROM codes WHERE uuid = ?", [guid])
        if rows:
            return rows[0]
    for column, value in (("key", key), ("name_zh", zh), ("name_en", en)):
        if value:
            rows = project.query(f"SELECT * FROM codes WHERE {column} = ? COLLATE NOCASE", [value])
            if len(rows) == 1:
                return rows[0]
    return None


def _parse_description(text: str) -> dict[str, Any]:
    """Split a description written by :func:`description` back into its fields."""
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
