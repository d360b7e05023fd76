"""The pseudonym table: real names (people, places) and what every export prints instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store.changes import now

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def add(project: Project, real: str, pseudonym: str, *, variant_of: str | None = None) -> dict[str, Any]:
    """Record that ``real`` is printed as ``pseudonym`` (a variant of another entry, if given)."""
    real, pseudonym = (real or "").strip(), (pseudonym or "").strip()
    if not real or not pseudonym:
        raise InputError("a pseudonym needs the real name and the name to print instead")
    if real == pseudonym:
        raise InputError(f"{real!r} would stay as it is; give a different pseudonym")
    parent = None
    if variant_of is not None:
        parent = find(project, variant_of)["id"]
    found = project.query("SELECT id FROM pseudonyms WHERE real = ?", [real])
    with project.change("pseudonym.add", f"Pseudonym for {real}") as w:
        if found:
            w.update("pseudonyms", found[0]["id"], {"pseudonym": pseudonym, "variant_of": parent})
        else:
            w.insert("pseudonyms", {"real": real, "pseudonym": pseudonym, "variant_of": parent,
                                    "created_at": now(), "created_by": project.user})
    return find(project, real)


def find(project: Project, real: str) -> dict[str, Any]:
    """The entry for a real name."""
    rows = project.query("SELECT * FROM pseudonyms WHERE real = ?", [real.strip()])
    if not rows:
        raise NotFoundError(f"{real!r} has no pseudonym; fieldcase pseudonym list shows them")
    return rows[0]


def remove(project: Project, real: str) -> None:
    """Drop an entry (and its variants)."""
    entry = find(project, real)
    with project.change("pseudonym.remove", f"Removed the pseudonym for {real}") as w:
        for variant in project.query("SELECT id FROM pseudonyms WHERE variant_of = ?", [entry["id"]]):
            w.delete("pseudonyms", variant["id"])
        w.delete("pseudonyms", entry["id"])


def list_all(project: Project) -> list[dict[str, Any]]:
    """Every entry, each followed by its variants."""
    rows = project.query(
        "SELECT p.*, v.real AS variant_of_real FROM pseudonyms p LEFT JOIN pseudonyms v ON v.id = p.variant_of"
        " ORDER BY coalesce(v.real, p.real), p.variant_of IS NOT NULL, p.real"
    )
    return rows


def mapping(project: Project) -> dict[str, str]:
    """``{real: pseudonym}`` for every entry and variant."""
    return {r["real"]: r["pseudonym"] for r in project.query("SELECT real, pseudonym FROM pseudonyms")}


def edit(project: Project, real: str, *, new_real: str | None = None, pseudonym: str | None = None) -> dict[str, Any]:
    """Correct an entry's real name or pseudonym in one change; its variants stay under it."""
    entry = find(project, real)
    values = {"real": (new_real if new_real is not None else entry["real"]).strip(),
              "pseudonym": (pseudonym if pseudonym is not None else entry["pseudonym"]).strip()}
    if not values["real"] or not values["pseudonym"]:
        raise InputError("a pseudonym needs the real name and the name to print instead")
    if values["real"] == values["pseudonym"]:
        raise InputError(f"{values['real']!r} would stay as it is; give a different pseudonym")
    if values["real"] != entry["real"] and project.query("SELECT id FROM pseudonyms WHERE real = ?", [values["real"]]):
        raise InputError(f"{values['real']!r} already has a pseudonym; edit that entry instead")
    with project.change("pseudonym.edit", f"Changed the pseudonym for {values['real']}") as w:
        w.update("pseudonyms", entry["id"], values)
    return find(project, values["real"])
