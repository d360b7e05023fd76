"""Sites: the villages and localities where fieldwork happens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError
from fieldcase.store import attributes
from fieldcase.store.lookup import find_row

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

FIELDS = ("name", "county", "province", "region", "notes", "name_zh", "name_en")


def add(
    project: Project,
    name: str,
    *,
    county: str | None = None,
    province: str | None = None,
    region: str | None = None,
    notes: str | None = None,
    name_zh: str | None = None,
    name_en: str | None = None,
    attrs: dict[str, Any] | None = None,
    writer: ChangeWriter | None = None,
) -> dict[str, Any]:
    """Record a new site (``name_zh``/``name_en``: what chapters in that language print for
    it); returns it as :func:`get` does."""
    name = (name or "").strip()
    if not name:
        raise InputError("a site needs a name")
    if project.query("SELECT id FROM sites WHERE name = ? COLLATE NOCASE", [name]):
        raise InputError(f"site {name!r} already exists")
    row = {"name": name, "county": county, "province": province, "region": region, "notes": notes,
           **_display_names({"name_zh": name_zh, "name_en": name_en})}
    with project.writing(writer, "site.add", f"Added site {name}") as w:
        site_id = w.insert("sites", row)
        if attrs:
            attributes.set_values(project, "site", site_id, attrs, writer=w)
    return get(project, site_id)


def find(project: Project, ref: str | int) -> dict[str, Any]:
    """The site row named by id, UUID or name."""
    return find_row(project, "sites", ref)


def get(project: Project, ref: str | int) -> dict[str, Any]:
    """A site with its attributes and counts of cases and sources."""
    return _with_details(project, [find(project, ref)])[0]


def ensure(project: Project, name: str, *, writer: ChangeWriter | None = None) -> tuple[int, bool]:
    """The id of the site called ``name``, creating it if needed; says if it was created."""
    rows = project.query("SELECT id FROM sites WHERE name = ? COLLATE NOCASE", [name.strip()])
    if rows:
        return rows[0]["id"], False
    return add(project, name, writer=writer)["id"], True


def update(
    project: Project,
    ref: str | int,
    fields: dict[str, Any] | None = None,
    attrs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change a site's fields and attributes (an empty display name clears it)."""
    site = find(project, ref)
    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise InputError(f"sites have no field {sorted(unknown)[0]!r}")
    fields.update(_display_names({k: v for k, v in fields.items() if k in DISPLAY}))
    with project.change("site.update", f"Changed site {site['name']}") as w:
        if fields:
            w.update("sites", site["id"], fields)
        if attrs:
            attributes.set_values(project, "site", site["id"], attrs, writer=w)
    return get(project, site["id"])


DISPLAY = ("name_zh", "name_en")


def _display_names(given: dict[str, str | None]) -> dict[str, str | None]:
    """Display names as stored: trimmed, an empty one as none (the site's name is printed)."""
    out: dict[str, str | None] = {}
    for column, value in given.items():
        text = " ".join((value or "").split())
        if len(text) > 200:
            raise InputError(f"a site's {column} is at most 200 characters")
        out[column] = text or None
    return out


def display_name(site: dict[str, Any], lang: str) -> str:
    """What a chapter in ``lang`` (zh, en) prints for ``site``: its display name in that
    language, else in the other, else its name."""
    zh, en = site.get("name_zh") or "", site.get("name_en") or ""
    return ((zh or en) if lang == "zh" else (en or zh)) or str(site.get("name") or "")


def display_names(project: Project, lang: str) -> dict[str, str]:
    """Every site's name → what a chapter in ``lang`` prints for it."""
    return {r["name"]: display_name(r, lang) for r in project.query("SELECT name, name_zh, name_en FROM sites")}


def list_all(project: Project) -> list[dict[str, Any]]:
    """Every site, by name, with attributes and counts."""
    return _with_details(project, project.query("SELECT * FROM sites ORDER BY name"))


def _with_details(project: Project, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = {
        r["id"]: r
        for r in project.query(
            "SELECT s.id,"
            " (SELECT count(*) FROM cases c WHERE c.site_id = s.id) AS cases,"
            " (SELECT count(*) FROM sources o WHERE o.site_id = s.id) AS sources"
            " FROM sites s"
        )
    }
    values = attributes.values_for_all(project, "site", [r["id"] for r in rows])
    return [
        {
            "id": r["id"],
            "uuid": r["uuid"],
            "name": r["name"],
            "name_zh": r["name_zh"],
            "name_en": r["name_en"],
            "county": r["county"],
            "province": r["province"],
            "region": r["region"],
            "notes": r["notes"],
            "cases": counts[r["id"]]["cases"],
            "sources": counts[r["id"]]["sources"],
            "attributes": values.get(r["id"], {}),
            "created_at": r["created_at"],
            "created_by": r["created_by"],
        }
        for r in rows
    ]


def names(project: Project) -> dict[int, str]:
    """Every site's name by id."""
    return {r[0]: r[1] for r in project.conn.execute("SELECT id, name FROM sites")}
