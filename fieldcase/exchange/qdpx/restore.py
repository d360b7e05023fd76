"""Taking back what fieldcase wrote beyond the standard, after a generic import of one of its
own ``.qdpx`` files: sites (written as cases of kind ``site``), each case's kind, site and
aliases, each source's kind, date, place and the rest, attribute choices, and memos on
sites and cases (written as links from their note).

The generic import (:mod:`fieldcase.exchange.qdpx.import_project`) reads any tool's file;
this pass runs after it, inside the same transaction, and touches only rows that import
added (what was matched in the project stays as the project has it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldcase.errors import FieldcaseError
from fieldcase.exchange.qdpx import fields, model
from fieldcase.exchange.qdpx.read import links_line
from fieldcase.store import attributes, memos, qdpx_rows, sites, speakers
from fieldcase.store import cases as stored_cases
from fieldcase.store import sources as stored_sources
from fieldcase.store import sets as stored_sets
from fieldcase.store.merging import row_by_uuid

if TYPE_CHECKING:
    from fieldcase.exchange.qdpx.import_project import QdpxReport
    from fieldcase.store.changes import ChangeWriter

RESTORED = ("sites", "cases", "sources", "memos", "attributes", "sets")  # the tables this pass may change rows of
TYPES = {"text": "text", "boolean": "boolean", "integer": "integer", "float": "number", "date": "date"}
SOURCE_COLUMNS = ("kind", "date", "place", "interviewer", "language", "consent", "original_filename")


def take_back(w: ChangeWriter, document: model.Project, report: QdpxReport, group_id: int | None) -> None:
    """Fieldcase's own fields of a document it wrote (as :mod:`~fieldcase.exchange.qdpx.read`
    parsed it), onto the rows the import's change group ``group_id`` added (nothing for
    another tool's document). The import calls this inside its own change group."""
    if not written_by_fieldcase(document):
        return
    notes = {_key(n.guid) for n in document.notes}
    links = [(k.origin, k.target) for k in document.links if k.name == "memo" and _key(k.origin) in notes]
    handled = (links_line(len(document.links)), "empty (a fieldcase set")  # said by the reader and the import
    report.not_carried = [n for n in report.not_carried if not any(h in n for h in handled)]
    if len(document.links) > len(links):
        report.not_carried.append(links_line(len(document.links) - len(links)))
    added = qdpx_rows.inserted(w.project, group_id, RESTORED) if group_id is not None else {}
    _Restore(w, document, added, report).run(links)  # with nothing added: sites matched (or added if missing)


def written_by_fieldcase(document: model.Project) -> bool:
    """Whether fieldcase wrote the document: its ``origin`` names fieldcase, or its cases or
    sources end their descriptions with fieldcase's ``Kind:`` lines (a file fieldcase wrote
    that came back through another tool, which put its own name in ``origin``)."""
    if (document.origin or "").startswith("fieldcase "):
        return True
    return any(_kind(c.description, fields.CASE_LABELS) in (fields.SITE_KIND, *stored_cases.KINDS)
               or _kind(c.description, fields.SITE_LABELS) == fields.SITE_KIND for c in document.cases) \
        or any(_kind(s.description, fields.SOURCE_LABELS) in stored_sources.KINDS for s in document.sources)


def _kind(description: str | None, labels: dict[str, str]) -> Any:
    """The ``Kind:`` of a description's fieldcase lines, if it has them."""
    if not description or "Kind: " not in description:
        return None
    return fields.unlabelled(description, labels)[0].get("kind")


def site_cases(document: model.Project) -> set[str]:
    """The GUIDs (as keys) of the cases that are fieldcase's sites, in a document it wrote:
    the import leaves them to :func:`take_back`, which makes them sites again."""
    if not written_by_fieldcase(document):
        return set()
    return {_key(c.guid) for c in document.cases
            if fields.read_fields(c.description or "", fields.SITE_LABELS).get("kind") == fields.SITE_KIND}


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
        """A site written as a case (which the import left to this pass): the site of that
        GUID or name if the project has one, else a new site with the case's sources (those
        the import added) and its values as the site's attributes."""
        key, name = _key(case.guid), (case.name or "").strip()
        known = row_by_uuid(self.project, "sites", key)
        existing = [i for i, n in sites.names(self.project).items() if n.lower() == name.lower()]
        if known is not None or existing:
            site_id = int(known["id"]) if known is not None else existing[0]
            self.report.count("sites", added=False)
        else:
            site_id = self.w.insert("sites", {"uuid": key, "name": name, "notes": found.get("notes"),
                                              **{k: found.get(k) for k in fields.SITE_FIELDS}})
            self.report.count("sites")
            self.site_values(site_id, case.values)
        self.sites[key], self.site_ids[name.lower()] = site_id, site_id
        for ref in case.sources:
            source = self.new("sources", ref)
            if source is not None:
                self.w.update("sources", source["id"], {"site_id": site_id})

    def site_values(self, site_id: int, given: list[model.VariableValue]) -> None:
        """The values a site's case carries, as the site's attributes (defined when missing)."""
        values: dict[str, Any] = {}
        for value in given:
            variable = self.variables.get(_key(value.variable))
            if variable is None or value.value is None:
                continue
            name = variable.name.strip()
            have = {x["name"].lower() for x in attributes.list_definitions(self.project, "site")}
            if name.lower() not in have:
                own = self.decoded.get(name.lower(), {})
                kind = "choice" if own.get("value_type") == "choice" else TYPES.get(variable.type.lower(), "text")
                attributes.define(self.project, "site", name, kind, choices=own.get("choices") or None,
                                  description=own.get("notes"), writer=self.w)
            values[name] = value.value
        if values:
            try:
                attributes.set_values(self.project, "site", site_id, values, writer=self.w)
            except FieldcaseError as err:
                self.report.warnings.append(f"site {site_id}: {err}")

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
        if set(found) == {"notes"}:
            return  # no fieldcase lines: the description is the memo the import made of it
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
        self.speakers(row["id"], source.name, found)
        for memo in memos.list_all(self.project, "source", row["id"]):  # the description the import kept as a memo
            if memo["id"] in self.added.get("memos", set()) and memo["body"] == source.description:
                self.w.delete("memos", memo["id"])
                left = self.report.added.get("memos", 1) - 1
                if left:
                    self.report.added["memos"] = left
                else:
                    self.report.added.pop("memos", None)

    def speakers(self, source_id: int, name: str, found: dict[str, Any]) -> None:
        """The source's speakers as its ``Speakers:`` lines say, each case found by name among
        the source's cases first."""
        given: dict[str, tuple[str, int | None, bool]] = {}
        linked: dict[str, int] = {}
        named: dict[str, int] = {}
        if found.get("speakers") or found.get("speakers_confirmed"):
            linked = {n.casefold(): i for i, n in reversed(qdpx_rows.cases_of(self.project, source_id))}
            named = {n.casefold(): i for i, n in sorted(stored_cases.names(self.project).items(), reverse=True)}
        for key, decided in (("speakers", False), ("speakers_confirmed", True)):
            for item in found.get(key) or []:
                read = fields.read_speaker(item)
                if read is None:
                    self.report.warnings.append(f"source {name!r}: speaker {item!r} is not one fieldcase wrote")
                    continue
                label, role, case = read
                case_id = None if case is None else linked.get(case.casefold(), named.get(case.casefold()))
                if case is not None and case_id is None:
                    self.report.warnings.append(f"source {name!r}: speaker {label}'s case {case!r} is not here")
                given[label] = (role, case_id, decided)
        for label in speakers.set_all(self.project, self.w, source_id, given):
            self.report.warnings.append(f"source {name!r}: no speaker {label!r} in its text")

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
