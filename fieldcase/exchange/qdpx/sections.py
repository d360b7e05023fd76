"""The sections of ``project.qde`` in the order the schema wants them: users, codebook,
variables, cases (sites among them), sources with their selections, notes, links, sets."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from fieldcase import __version__
from fieldcase.coding.colours import drawable
from fieldcase.exchange.qdc import code_name
from fieldcase.exchange.qdpx import fields
from fieldcase.exchange.qdpx.document import NS, Document, clean, is_time, q
from fieldcase.exchange.qdpx.renaming import Moved
from fieldcase.exchange.qdpx.values import VARIABLE_TYPES, variable_value
from fieldcase.store import attributes, codes, qdpx_rows
from fieldcase.store import sets as stored_sets

# Memo targets a NoteRef cannot stand on (QDA-XML cases have none): tied to their note by a Link.
LINKED = ("site", "case")
Variables = dict[int, dict[str, Any]]  # attribute id → its definition


def write_all(doc: Document, rows: list[dict[str, Any]], ids: list[int], step: Callable[[], None]) -> None:
    """The whole document inside the open ``xmlfile``."""
    info = doc.project.info()
    doc.set_memos(qdpx_rows.rows(doc.project, "memos"))
    names = qdpx_rows.coders(doc.project, ids, doc.scope) + [info.get("created_by") or ""]
    names += [r["created_by"] for r in rows] + [m["created_by"] for m in doc.memos]
    for name in dict.fromkeys(names):
        doc.user(name)
    attrs = {"name": clean(doc.rename(info.get("name") or doc.project.path.stem)),
             "origin": f"fieldcase {__version__}; positions for {doc.target.producer}"}
    creator = doc.user(info.get("created_by"))
    if creator:
        attrs["creatingUserGUID"] = creator
    if is_time(info.get("created_at")):
        attrs["creationDateTime"] = info["created_at"]
    with doc.xf.element(q("Project"), attrs, nsmap={None: NS}):
        users(doc)
        codebook(doc)
        variables = variables_of(doc)
        cases(doc, rows, variables)
        if rows:
            source_values = qdpx_rows.attribute_values(doc.project, "source")
            site_names = {s["id"]: s["name"] for s in qdpx_rows.rows(doc.project, "sites")}
            case_names = {c["id"]: c["name"] for c in qdpx_rows.rows(doc.project, "cases")}
            spoken = qdpx_rows.speakers(doc.project)
            with doc.xf.element(q("Sources")):
                for row in rows:
                    step()
                    source(doc, row, variables, source_values.get(row["id"], []), site_names,
                           speaker_lines(doc, spoken.get(row["id"], []), case_names))
        notes(doc)
        links(doc)
        sets(doc, {r["uuid"] for r in rows})
        doc.note_refs("project", None)


def users(doc: Document) -> None:
    """Every coder, and who made the sources and memos."""
    doc.report.users = len(doc.users)
    if doc.users:
        with doc.xf.element(q("Users")):
            for shown, guid in doc.users.items():
                doc.leaf("User", {"guid": guid, "name": clean(shown)})


def codebook(doc: Document) -> None:
    """The codes as nested ``<Code>`` elements, each with its colour, definition and memos."""
    tree = codes.tree(doc.project, counts=False)
    doc.report.codes = len(tree)
    if not tree:
        return
    with doc.xf.element(q("CodeBook")), doc.xf.element(q("Codes")):
        open_codes: list[tuple[int, ExitStack]] = []
        for node in tree:
            while open_codes and open_codes[-1][0] >= node["depth"]:
                open_codes.pop()[1].close()
            shown = renamed_code(doc, dict(node))
            attrs = {"guid": node["uuid"], "name": clean(code_name(shown)), "isCodable": "true"}
            color = drawable(node["color"], "")
            if color:
                attrs["color"] = color
            stack = ExitStack()
            stack.enter_context(doc.xf.element(q("Code"), attrs))
            doc.text("Description", fields.code_description(shown))
            doc.note_refs("code", node["id"])
            open_codes.append((node["depth"], stack))
        while open_codes:
            open_codes.pop()[1].close()


def renamed_code(doc: Document, code: dict[str, Any]) -> dict[str, Any]:
    """A code's names, key and texts with pseudonyms."""
    for name in ("name_zh", "name_en", "description", "inclusion", "exclusion", "example"):
        if code.get(name):
            code[name] = doc.rename(code[name])
    code["keywords"] = [doc.rename(k) for k in code.get("keywords") or []]
    code["key"] = doc.rename.key(code["key"])
    return code


def variables_of(doc: Document) -> Variables:
    """The ``<Variables>`` section (the attributes of sites, cases and sources); returns them by id."""
    found: Variables = {d["id"]: d for d in attributes.list_definitions(doc.project)}
    doc.report.variables = len(found)
    if not found:
        return found
    with doc.xf.element(q("Variables")):
        for d in found.values():
            extra = {"applies_to": d["applies_to"], "value_type": d["value_type"] if d["value_type"] == "choice" else None,
                     "choices": [doc.rename(c) for c in d["choices"] or []]}
            attrs = {"guid": d["uuid"], "name": clean(doc.rename(d["name"])), "typeOfVariable": VARIABLE_TYPES[d["value_type"]]}
            with doc.xf.element(q("Variable"), attrs):
                doc.text("Description", fields.labelled(doc.rename(d["description"] or ""), extra, fields.VARIABLE_LABELS))
    return found


def values(doc: Document, stored: list[tuple[int, Any]], variables: Variables) -> None:
    """A ``<VariableValue>`` for each attribute value."""
    for attribute_id, value in stored:
        d = variables[attribute_id]
        written = variable_value(d["value_type"], value)
        if written is None:
            continue
        tag, text = written
        with doc.xf.element(q("VariableValue")):
            doc.leaf("VariableRef", {"targetGUID": d["uuid"]})
            with doc.xf.element(q(tag)):
                doc.xf.write(clean(doc.rename(text) if tag == "TextValue" else text))


def cases(doc: Document, rows: list[dict[str, Any]], variables: Variables) -> None:
    """Sites, then cases, each with its attributes and the exported sources it is linked to
    (a site: the sources it holds). Narrowed to some sources, only their cases and sites."""
    exported = {r["id"]: r["uuid"] for r in rows}
    linked: dict[int, list[str]] = {}
    for case_id, source_id in qdpx_rows.links(doc.project):
        if source_id in exported:
            linked.setdefault(case_id, []).append(exported[source_id])
    held: dict[int, list[str]] = {}
    for r in rows:
        if r["site_id"] is not None:
            held.setdefault(r["site_id"], []).append(r["uuid"])
    narrowed = doc.scope.narrows_sources
    all_sites = qdpx_rows.rows(doc.project, "sites")
    case_rows = [c for c in qdpx_rows.rows(doc.project, "cases") if not narrowed or c["id"] in linked]
    site_ids = {c["site_id"] for c in case_rows} | set(held)
    site_rows = [s for s in all_sites if not narrowed or s["id"] in site_ids]
    doc.report.cases, doc.report.sites = len(case_rows), len(site_rows)
    if not (site_rows or case_rows):
        return
    site_names = {s["id"]: s["name"] for s in all_sites}
    with doc.xf.element(q("Cases")):
        stored = qdpx_rows.attribute_values(doc.project, "site")
        for s in site_rows:
            extra: dict[str, Any] = {"kind": fields.SITE_KIND, **{k: doc.rename(s[k]) if s[k] else None for k in fields.SITE_FIELDS}}
            one_case(doc, s, fields.labelled(doc.rename(s["notes"] or ""), extra, fields.SITE_LABELS),
                     stored.get(s["id"], []), held.get(s["id"], []), variables)
            doc.held.add(("site", s["id"]))
        stored = qdpx_rows.attribute_values(doc.project, "case")
        for c in case_rows:
            extra = {"kind": c["kind"], "site": doc.rename(site_names[c["site_id"]]) if c["site_id"] else None,
                     "aliases": [doc.rename(a) for a in json.loads(c["aliases"] or "[]")]}
            one_case(doc, c, fields.labelled(doc.rename(c["notes"] or ""), extra, fields.CASE_LABELS),
                     stored.get(c["id"], []), linked.get(c["id"], []), variables)
            doc.held.add(("case", c["id"]))


def one_case(doc: Document, row: dict[str, Any], description: str, stored: list[tuple[int, Any]], refs: list[str],
             variables: Variables) -> None:
    """One ``<Case>``."""
    with doc.xf.element(q("Case"), {"guid": row["uuid"], "name": clean(doc.rename(row["name"]))}):
        doc.text("Description", description)
        values(doc, stored, variables)
        for guid in refs:
            doc.leaf("SourceRef", {"targetGUID": guid})


def speaker_lines(doc: Document, spoken: list[tuple[str, str, int | None, int]],
                  case_names: dict[int, str]) -> dict[str, list[str]]:
    """A source's speakers as its ``Speakers:`` lines: those fieldcase proposed, and those
    the researcher confirmed."""
    out: dict[str, list[str]] = {"speakers": [], "speakers_confirmed": []}
    for label, role, case_id, decided in spoken:
        case = doc.rename(case_names[case_id]) if case_id is not None else None
        out["speakers_confirmed" if decided else "speakers"].append(
            fields.speaker_item(doc.rename(label), role, case))
    return out


def source(doc: Document, row: dict[str, Any], variables: Variables, stored: list[tuple[int, Any]],
           site_names: dict[int, str], speakers: dict[str, list[str]]) -> None:
    """One text source with a selection per coding (its memo the selection's description, its
    notes the selection's), positions as the target counts them."""
    text = qdpx_rows.text(doc.project, row["id"])
    moved = Moved(text, doc.rename.replacements(text))
    count = doc.target.counter(moved.text)
    extra = {k: doc.rename(row[k]) if isinstance(row[k], str) else row[k]
             for k in fields.SOURCE_LABELS.values() if k in row}
    extra["site"] = doc.rename(site_names[row["site_id"]]) if row["site_id"] else None
    extra.update(speakers)
    attrs = {"guid": row["uuid"], "name": clean(doc.rename(row["title"])), "plainTextPath": f"internal://{row['uuid']}.txt",
             **doc.made(row, row["created_by"])}
    doc.report.sources += 1
    element, user, note_refs = doc.xf.element, doc.user, doc.note_refs
    selection_tag, coding_tag, code_ref = q("PlainTextSelection"), q("Coding"), q("CodeRef")
    with element(q("TextSource"), attrs):
        doc.text("Description", fields.labelled("", extra, fields.SOURCE_LABELS))
        for coding_id, coding_uuid, code_uuid, start, end, coder, memo, created_at in qdpx_rows.codings(
                doc.project, [row["id"]], doc.scope):
            guid = user(coder)
            made = {"creatingUser": guid} if guid else {}
            if is_time(created_at):
                made["creationDateTime"] = created_at
            selection = {"guid": selection_guid(coding_uuid), "startPosition": str(count(moved(start))),
                         "endPosition": str(count(moved(end, end=True))), **made}
            with element(selection_tag, selection):
                if memo:
                    doc.text("Description", doc.rename(memo))
                with element(coding_tag, {"guid": coding_uuid, **made}), element(code_ref, {"targetGUID": code_uuid}):
                    pass
                note_refs("coding", coding_id)  # on the selection, which is this coding's alone
            doc.report.codings += 1
        note_refs("source", row["id"])
        values(doc, stored, variables)


def selection_guid(coding_uuid: str) -> str:
    """The GUID of a coding's selection: the coding's UUID with its version digit made 8
    (RFC 9562's own-use version), so that it is stable, one-to-one with the coding, and no
    random or name-based UUID of the project can equal it."""
    return coding_uuid[:14] + "8" + coding_uuid[15:]


def notes(doc: Document) -> None:
    """Every memo about what the export holds, as a note with its text inline."""
    doc.memos = [m for m in doc.memos if (m["target_type"], m["target_id"]) in doc.held]
    doc.report.memos = len(doc.memos)
    if not doc.memos:
        return
    with doc.xf.element(q("Notes")):
        for m in doc.memos:
            attrs = {"guid": m["uuid"], **({"name": clean(doc.rename(m["title"]))} if m["title"] else {}),
                     **doc.made(m, m["created_by"])}
            with doc.xf.element(q("Note"), attrs):
                doc.text("PlainTextContent", doc.rename(m["body"]))


def links(doc: Document) -> None:
    """A link from each memo on a site or case to it (a case takes no NoteRef in QDA-XML)."""
    tied = [m for m in doc.memos if m["target_type"] in LINKED]
    if not tied:
        return
    uuid_of = {("site", s["id"]): s["uuid"] for s in qdpx_rows.rows(doc.project, "sites")}
    uuid_of |= {("case", c["id"]): c["uuid"] for c in qdpx_rows.rows(doc.project, "cases")}
    with doc.xf.element(q("Links")):
        for m in tied:
            doc.leaf("Link", {"guid": doc.guid("memo-link", m["uuid"]), "name": "memo", "direction": "OneWay",
                              "originGUID": m["uuid"], "targetGUID": uuid_of[(m["target_type"], m["target_id"])]})


SET_LABELS = {"Kind": "kind"}


def sets(doc: Document, exported: set[str]) -> None:
    """Code sets and source sets (a source set with the exported sources alone); an empty
    set says its kind in its description, which its members say otherwise."""
    found = stored_sets.list_all(doc.project)
    doc.report.sets = len(found)
    if not found:
        return
    with doc.xf.element(q("Sets")):
        for row in found:
            members = stored_sets.members(doc.project, row["id"])
            if row["kind"] == "source":
                members = [m for m in members if m["uuid"] in exported]
            text = doc.rename(row["description"] or "")
            with doc.xf.element(q("Set"), {"guid": row["uuid"], "name": clean(doc.rename(row["name"]))}):
                doc.text("Description", text if members else fields.labelled(text, row, SET_LABELS))
                tag = "MemberCode" if row["kind"] == "code" else "MemberSource"
                for member in members:
                    doc.leaf(tag, {"targetGUID": member["uuid"]})
