"""Cases: the units of analysis inside a site (a returnee, a household, an enterprise …)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import attributes, sites
from fieldcase.store.lookup import find_row

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

KINDS = ("person", "household", "enterprise", "organisation", "event")
FIELDS = ("name", "kind", "notes", "site_id", "aliases")


def clean_aliases(names: Iterable[str], *, case_name: str = "") -> list[str]:
    """Other names a case goes by (老H, 王阿姨), stripped, each once, its own name left out."""
    seen = {case_name.strip().casefold()}
    out = []
    for name in names:
        name = name.strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def check_kind(kind: str) -> str:
    """Accept a case kind (``organization`` is read as ``organisation``)."""
    kind = (kind or "").strip().lower().replace("organization", "organisation")
    if kind not in KINDS:
        raise InputError(f"unknown case kind {kind!r}; use one of {', '.join(KINDS)}")
    return kind


def add(
    project: Project,
    name: str,
    *,
    site: str | int | None = None,
    kind: str = "person",
    notes: str | None = None,
    attrs: dict[str, Any] | None = None,
    aliases: Iterable[str] = (),
    writer: ChangeWriter | None = None,
    propose: bool = True,
) -> dict[str, Any]:
    """Record a new case, in a site or on its own; returns it as :func:`get` does.

    ``aliases`` are other names it goes by: a speaker label equal to one is linked to it,
    in the sources stored already too (``propose``; an import, which links its own, says not).
    """
    name = (name or "").strip()
    if not name:
        raise InputError("a case needs a name")
    kind = check_kind(kind)
    site_id = sites.find(project, site)["id"] if site is not None else None
    _refuse_clash(project, name, site_id)
    row = {"name": name, "kind": kind, "notes": notes, "site_id": site_id,
           "aliases": json.dumps(clean_aliases(aliases, case_name=name), ensure_ascii=False)}
    with project.writing(writer, "case.add", f"Added case {name}") as w:
        case_id = w.insert("cases", row)
        if attrs:
            attributes.set_values(project, "case", case_id, attrs, writer=w)
        if propose:  # speakers already imported may be this case: proposed again
            from fieldcase.store import speakers

            speakers.refresh_for_case(project, w, case_id)
    return get(project, case_id)


def find(project: Project, ref: str | int, *, site_id: int | None = None) -> dict[str, Any]:
    """The case row named by id, UUID, name, or ``site/name`` when names repeat across sites."""
    text = str(ref).strip()
    if site_id is None and "/" in text:
        site_name, _, case_name = text.rpartition("/")
        try:
            site_id = sites.find(project, site_name)["id"]
            text = case_name
        except NotFoundError:
            pass
    where, params = ("site_id = ?", [site_id]) if site_id is not None else ("", [])
    try:
        return find_row(project, "cases", text, where=where, params=params)
    except NotFoundError:
        named = [r for r in project.query("SELECT * FROM cases" + (f" WHERE {where}" if where else ""), params)
                 if text.casefold() in {a.casefold() for a in json.loads(r["aliases"] or "[]")}]
        if len(named) == 1:
            return named[0]
        _refuse_label(project, text)
        raise


def _refuse_label(project: Project, text: str) -> None:
    """A speaker label is no name of a case (the same label may be another person in another
    source): say which case(s) it is linked to, so the user can name the case."""
    linked = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT c.name FROM speakers sp JOIN cases c ON c.id = sp.case_id"
        " WHERE sp.label = ? AND sp.role = 'speaker' ORDER BY c.name", [text])]
    if linked:
        raise NotFoundError(f"no case {text!r}: {text!r} is a speaker label of "
                            + ", ".join(repr(n) for n in linked) + "; name the case (or add the label as its alias)")


def ensure(
    project: Project,
    name: str,
    *,
    site_id: int | None,
    kind: str = "person",
    writer: ChangeWriter | None = None,
) -> tuple[int, bool]:
    """The id of case ``name``, creating it in ``site_id`` if it exists nowhere.

    A case of that name in the site comes first, then one elsewhere in the project.
    Says whether the case was created.
    """
    for scope in ([site_id] if site_id is not None else []) + [None]:
        try:
            return find(project, name, site_id=scope)["id"], False
        except NotFoundError:
            continue
    return add(project, name, site=site_id, kind=kind, writer=writer, propose=False)["id"], True


def get(project: Project, ref: str | int) -> dict[str, Any]:
    """A case with its site name, attributes and source count."""
    return _with_details(project, [find(project, ref)])[0]


def update(
    project: Project,
    ref: str | int,
    fields: dict[str, Any] | None = None,
    attrs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change a case's name, kind, site or notes, and set its attributes."""
    case = find(project, ref)
    changes = {k: v for k, v in (fields or {}).items() if v is not None}
    if "site" in changes:
        changes["site_id"] = sites.find(project, changes.pop("site"))["id"]
    if "kind" in changes:
        changes["kind"] = check_kind(changes["kind"])
    if "aliases" in changes:
        name = changes.get("name") or case["name"]
        changes["aliases"] = json.dumps(clean_aliases(changes["aliases"], case_name=name), ensure_ascii=False)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InputError(f"cases have no field {sorted(unknown)[0]!r}")
    if "name" in changes or "site_id" in changes:  # one name a site, as add says
        _refuse_clash(project, changes.get("name") or case["name"], changes.get("site_id", case["site_id"]),
                      other_than=case["id"], after="; nothing was changed")
    with project.change("case.update", f"Changed case {case['name']}") as w:
        if changes:
            w.update("cases", case["id"], changes)
            if {"name", "aliases"} & set(changes):
                from fieldcase.store import speakers

                speakers.refresh_for_case(project, w, case["id"])
        if attrs:
            attributes.set_values(project, "case", case["id"], attrs, writer=w)
    return get(project, case["id"])


def _refuse_clash(project: Project, name: str, site_id: int | None, *, other_than: int = 0, after: str = "") -> None:
    """Refuse a second case of one name (any case of letters) in one site."""
    if project.query("SELECT id FROM cases WHERE name = ? COLLATE NOCASE AND coalesce(site_id, 0) = ? AND id != ?",
                     [name, site_id or 0, other_than]):
        where = f" in site {sites.find(project, site_id)['name']!r}" if site_id else ""
        raise InputError(f"case {name!r} already exists{where}{after}")


def list_all(project: Project, *, site: str | int | None = None) -> list[dict[str, Any]]:
    """Every case (of one site, if given), by site and name."""
    if site is not None:
        site_id = sites.find(project, site)["id"]
        rows = project.query("SELECT * FROM cases WHERE site_id = ? ORDER BY name", [site_id])
    else:
        rows = project.query(
            "SELECT c.* FROM cases c LEFT JOIN sites s ON s.id = c.site_id"
            " ORDER BY s.name IS NULL, s.name, c.name"
        )
    return _with_details(project, rows)


def names(project: Project) -> dict[int, str]:
    """Every case's name by id."""
    return {r[0]: r[1] for r in project.conn.execute("SELECT id, name FROM cases")}


def _with_details(project: Project, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    site_names = {r["id"]: r["name"] for r in project.query("SELECT id, name FROM sites")}
    counts = {
        r["case_id"]: r["n"]
        for r in project.query("SELECT case_id, count(*) AS n FROM source_cases GROUP BY case_id")
    }
    values = attributes.values_for_all(project, "case", [r["id"] for r in rows])
    return [
        {
            "id": r["id"],
            "uuid": r["uuid"],
            "name": r["name"],
            "kind": r["kind"],
            "site": site_names.get(r["site_id"]),
            "site_id": r["site_id"],
            "notes": r["notes"],
            "aliases": json.loads(r["aliases"] or "[]"),
            "sources": counts.get(r["id"], 0),
            "attributes": values.get(r["id"], {}),
            "created_at": r["created_at"],
            "created_by": r["created_by"],
        }
        for r in rows
    ]


def link_once(w: ChangeWriter, source_id: int, case_id: int) -> bool:
    """Tie a source to a case within ``w``'s change unless they are tied; says whether it did."""
    if w.project.conn.execute("SELECT 1 FROM source_cases WHERE source_id = ? AND case_id = ?",
                              [source_id, case_id]).fetchone():
        return False
    w.insert("source_cases", {"source_id": source_id, "case_id": case_id})
    return True
