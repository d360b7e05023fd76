"""Taking back what fieldcase wrote beyond the standard, after a generic import of one of its
own ``.qdpx`` files: sites (written as cases of kind ``site``), each case's kind, site and
aliases, each source's kind, date, place and the rest, attribute choices, and memos on
sites and cases (written as links from their note).

The generic import (:mod:`fieldcase.exchange.qdpx.import_project`) reads any tool's file;
this pass runs after it, inside the same transaction, and touches only rows that import
added (what was matched in the project stays as the project has it).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from fieldcase.exchange.qdpx import fields, model
from fieldcase.exchange.qdpx.document import NS
from fieldcase.store import attributes, memos, qdpx_rows, sites
from fieldcase.store import sets as stored_sets
from fieldcase.store.merging import row_by_uuid

if TYPE_CHECKING:
    from fieldcase.exchange.qdpx.import_project import QdpxReport
    from fieldcase.store.changes import ChangeWriter

RESTORED = ("sites", "cases", "sources", "memos", "attributes", "sets")  # the tables this pass may change rows of
TYPES = {"text": "text", "boolean": "boolean", "integer": "integer", "float": "number", "date": "date"}
SOURCE_COLUMNS = ("kind", "date", "place", "interviewer", "language", "consent", "original_filename")


def take_back(w: ChangeWriter, qde: bytes, report: QdpxReport, group_id: int | None) -> None:
    """Fieldcase's own fields of a document it wrote, onto the rows the import's change group
    ``group_id`` added (nothing for another tool's document). The import may call this
    itself, inside its own change group, with ``w.group_id``."""
    if group_id is None or not _written_by_fieldcase(qde):
        return
    document, links = _described(qde)
    _Restore(w, document, qdpx_rows.inserted(w.project, group_id, RESTORED), report).run(links)


def _written_by_fieldcase(qde: bytes) -> bool:
    """Whether the document's ``origin`` names fieldcase (its root element alone is read)."""
    from lxml import etree

    for _, root in etree.iterparse(io.BytesIO(qde), events=("start",), resolve_entities=False, no_network=True,
                                   load_dtd=False, huge_tree=True):
        return (root.get("origin") or "").startswith("fieldcase ")
    return False


def _described(qde: bytes) -> tuple[model.Project, list[tuple[str, str]]]:
    """What this pass reads of a document fieldcase wrote: variables, cases, sources and sets
    with their descriptions, and ``(note GUID, target GUID)`` of each ``<Link name="memo">``;
    selections are passed over (read and dropped as they end)."""
    from lxml import etree

    ns = f"{{{NS}}}"
    out, links = model.Project(name=""), []
    tags = [ns + t for t in ("Variable", "Case", "TextSource", "Set", "Link", "PlainTextSelection")]
    for _, el in etree.iterparse(io.BytesIO(qde), events=("end",), tag=tags, resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=True):
        tag, guid, name = el.tag[len(ns):], el.get("guid") or "", el.get("name") or ""
        said = el.findtext(ns + "Description")
        if tag == "Variable":
            out.variables.append(model.Variable(guid, name, el.get("typeOfVariable") or "Text", said))
        elif tag == "Case":
            out.cases.append(model.Case(guid, name, said))
        elif tag == "TextSource":
            out.sources.append(model.Source(guid, name, description=said))
        elif tag == "Set":
            out.sets.append(model.Set(guid, name, said, codes=[m.get("targetGUID") or "" for m in el.iterfind(ns + "MemberCode")],
                                      sources=[m.get("targetGUID") or "" for m in el.iterfind(ns + "MemberSource")]))
        elif tag == "Link" and name == "memo":
            links.append((el.get("originGUID") or "", el.get("targetGUID") or ""))
        el.clear()
    return out, links


def _key(guid: str) -> str:
    return guid.strip().strip("{}").lower()


class _Restore:
    """One pass over the document's cases, sources, variables, links and sets."""

    def __init__(self, w: ChangeWriter, document: model.Project, added: dict[str, set[int]],
                 report: QdpxReport) -> None:
        self.w, self.project, self.doc, self.added, self.report = w, w.project, document, added, report
        self.variables = {_key(v.guid): v for v in document.variables}
        self.sites: dict[str, int] = {}  # site GUID -> site id
        self.site_ids: dict[str, int] = {}  # site name -> id
        self.decoded: dict[str, dict[str, Any]] = {}  # each variable's own fields, by name

    def new(self, table: str, uuid: str) -> dict[str, Any] | None:
        """The row of ``table`` with this UUID, if the import added it."""
        row = row_by_uuid(self.project, table, _key(uuid))
        return row if row is not None and row["id"] in self.added.get(table, set()) else None

    def run(self, links: list[tuple[str, str]]) -> None:
        self.variables_back()
        for case in self.doc.cases:
            found = fields.read_fields(case.description or "", fields.SITE_LABELS)
            if found.get("kind") == fields.SITE_KIND:
                self.site(case, found)
        for case in self.doc.cases:
            if case.guid and _key(case.guid) not in self.sites:
                self.case(case)
        for source in self.doc.sources:
            self.source(source)
        self.links(links)
        self.empty_sets()
        handled = ("links", "link ", "empty (a fieldcase set")
        self.report.not_carried = [n for n in self.report.not_carried if not any(h in n for h in handled)]

    def variables_back(self) -> None:
        """A choice's choices and type, the description without fieldcase's lines, and an
        attribute no one has a value of yet (the import defines one when it meets a value)."""
        for variable in self.doc.variables:
            found = fields.read_fields(variable.description or "", fields.VARIABLE_LABELS)
            owner = found.get("applies_to")
            name = variable.name.strip()
            self.decoded[name.lower()] = found
            if owner not in ("site", "case", "source"):
                continue
            kind = "choice" if found.get("value_type") == "choice" else TYPES.get(variable.type.lower(), "text")
            choices = found.get("choices") or None
            defined = {d["name"].lower(): d for d in attributes.list_definitions(self.project, owner)}
            d = defined.get(name.lower())
            if d is None and not (owner == "site" and name.lower() in {
                    x["name"].lower() for x in attributes.list_definitions(self.project, "case")}):
                attributes.define(self.project, owner, name, kind, choices=choices, description=found.get("notes"),
                                  writer=self.w)
            elif d is not None and d["id"] in self.added.get("attributes", set()):
                change: dict[str, Any] = {"description": found.get("notes")}
                if kind == "choice":
                    change.update(value_type="choice", choices=json.dumps(choices or [], ensure_ascii=False))
                self.w.update("attributes", d["id"], change)

    def site(self, case: model.Case, found: dict[str, Any]) -> None:
        """A site written as a case: the case the import made becomes the site again, its
        sources the site's, its values the site's attributes."""
        row = self.new("cases", case.guid)
        if row is None:
            return
        name = (case.name or "").strip()
        existing = [i for i, n in sites.names(self.project).items() if n.lower() == name.lower()]
        site_id = existing[0] if existing else self.w.insert("sites", {
            "uuid": _key(case.guid), "name": name, "notes": found.get("notes"),
            **{k: found.get(k) for k in ("county", "province", "region")}})
        self.sites[_key(case.guid)], self.site_ids[name.lower()] = site_id, site_id
        for link_id, source_id in qdpx_rows.case_links(self.project, row["id"]):
            self.w.delete("source_cases", link_id)
            self.w.update("sources", source_id, {"site_id": site_id})
        moved: dict[int, Any] = {}
        for value_id, attribute_id, value in qdpx_rows.value_rows(self.project, "case", row["id"]):
            self.w.delete("case_attribute_values", value_id)
            moved[attribute_id] = value
        self.w.delete("cases", row["id"])
        self.site_values(site_id, moved)

    def site_values(self, site_id: int, moved: dict[int, Any]) -> None:
        """Values the import put on the case of a site, as the site's attributes."""
        by_id = {d["id"]: d for d in attributes.list_definitions(self.project, "case")}
        values: dict[str, Any] = {}
        for attribute_id, value in moved.items():
            d = by_id[attribute_id]
            have = {x["name"].lower() for x in attributes.list_definitions(self.project, "site")}
            if d["name"].lower() not in have:
                own = self.decoded.get(d["name"].lower(), {})
                kind = "choice" if own.get("value_type") == "choice" else d["value_type"]
                attributes.define(self.project, "site", d["name"], kind, choices=own.get("choices") or None,
                                  description=own.get("notes"), writer=self.w)
            values[d["name"]] = bool(value) if d["value_type"] == "boolean" else value
            if attribute_id in self.added.get("attributes", set()) and not qdpx_rows.attribute_in_use(
                    self.project, attribute_id, "case"):
                self.w.delete("attributes", attribute_id)
        if values:
            attributes.set_values(self.project, "site", site_id, values, writer=self.w)

    def case(self, case: model.Case) -> None:
        row = self.new("cases", case.guid)
        if row is None:
            return
        found = fields.read_fields(case.description or "", fields.CASE_LABELS)
        site = str(found.get("site") or "").lower()
        self.w.update("cases", row["id"], {
            "kind": found.get("kind") or row["kind"], "notes": found.get("notes"),
            "site_id": self.site_ids.get(site, row["site_id"]) if site else row["site_id"],
            "aliases": json.dumps(found.get("aliases") or [], ensure_ascii=False)})

    def source(self, source: model.Source) -> None:
        row = self.new("sources", source.guid)
        if row is None or not source.description:
            return
        found = fields.read_fields(source.description, fields.SOURCE_LABELS)
        change = {k: found.get(k) for k in SOURCE_COLUMNS}
        change["kind"] = change["kind"] or row["kind"]
        site = str(found.get("site") or "").lower()
        if site:
            change["site_id"] = self.site_ids.get(site, row["site_id"])
        if change["kind"] != row["kind"]:
            from fieldcase.store.sources import encode_turns
            from fieldcase.text.turns import find_turns

            change["turns"] = encode_turns(find_turns(row["text"]) if change["kind"] == "interview" else [])
        self.w.update("sources", row["id"], change)
        for memo in memos.list_all(self.project, "source", row["id"]):  # the description the import kept as a memo
            if memo["id"] in self.added.get("memos", set()) and memo["body"] == source.description:
                self.w.delete("memos", memo["id"])
                left = self.report.added.get("memos", 1) - 1
                if left:
                    self.report.added["memos"] = left
                else:
                    self.report.added.pop("memos", None)

    def links(self, links: list[tuple[str, str]]) -> None:
        """A memo on a site or case, from the link its note was written with."""
        for note, target in links:
            memo = self.new("memos", note)
            if memo is None:
                continue
            if _key(target) in self.sites:
                self.w.update("memos", memo["id"], {"target_type": "site", "target_id": self.sites[_key(target)]})
                continue
            case = row_by_uuid(self.project, "cases", _key(target))
            if case is not None:
                self.w.update("memos", memo["id"], {"target_type": "case", "target_id": case["id"]})

    def empty_sets(self) -> None:
        """A set written empty, which says its kind in its description."""
        known = stored_sets.by_uuid(self.project)
        for given in self.doc.sets:
            if given.codes or given.sources or given.notes or _key(given.guid) in known:
                continue
            found, rest = fields.unlabelled(given.description or "", {"Kind": "kind"})
            if found.get("kind") in stored_sets.KINDS:
                stored_sets.add(self.project, found["kind"], given.name, description=rest or None,
                                uuid=_key(given.guid), writer=self.w)
                self.report.added["sets"] = self.report.added.get("sets", 0) + 1
