"""Commands for sites, cases and attribute definitions."""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.cli.speakers import say_speakers_linked
from fieldcase.store import attributes, cases, sites
from fieldcase.store.project import Project

_attr_option = click.option(
    "--attr", "attrs", multiple=True, metavar="NAME=VALUE", help="Set an attribute (repeatable)."
)


_zh_option = click.option("--zh", "name_zh", help="The site's Chinese display name: what Chinese chapters print "
                                                   "(夏木村); an empty one clears it.")
_en_option = click.option("--en", "name_en", help="The site's English display name: what English chapters print "
                                                   "(Xiamu Village); an empty one clears it.")


@click.group()
def site() -> None:
    """Sites: the villages and localities you study."""


@site.command("add")
@click.argument("name")
@click.option("--county")
@click.option("--province")
@click.option("--region", help="east, central, west, northeast …")
@click.option("--notes")
@_zh_option
@_en_option
@_attr_option
@project_command
@json_option
def site_add(
    project: Project, name: str, attrs: tuple[str, ...], as_json: bool,
    county: str | None, province: str | None, region: str | None, notes: str | None,
    name_zh: str | None, name_en: str | None,
) -> None:
    """Add a site."""
    row = sites.add(
        project, name, county=county, province=province, region=region, notes=notes,
        name_zh=name_zh, name_en=name_en, attrs=attributes.parse_assignments(attrs),
    )
    _show(row, as_json, f"Added site {row['name']} (id {row['id']})")


@site.command("list")
@project_command
@json_option
def site_list(project: Project, as_json: bool) -> None:
    """List sites with their case and source counts."""
    rows = sites.list_all(project)
    if as_json:
        print_json(rows)
    else:
        table(rows, ["id", "name", "name_zh", "name_en", "county", "province", "region", "cases", "sources",
                     "attributes"])


@site.command("set")
@click.argument("site_ref", metavar="SITE")
@click.argument("assignments", nargs=-1, metavar="[NAME=VALUE]...")
@click.option("--name")
@click.option("--county")
@click.option("--province")
@click.option("--region")
@click.option("--notes")
@_zh_option
@_en_option
@project_command
@json_option
def site_set(
    project: Project, site_ref: str, assignments: tuple[str, ...], as_json: bool, **fields: str
) -> None:
    """Change a site's fields, its display names (--zh, --en: what chapters in that language
    print for it), or set attributes as NAME=VALUE (an empty VALUE clears)."""
    row = sites.update(project, site_ref, fields, attributes.parse_assignments(assignments))
    _show(row, as_json, f"Updated site {row['name']}")
    for given in (fields.get("name_zh"), fields.get("name_en"), fields.get("name")):
        taken = _site_named(project, given, but=row["id"]) if given else None
        if taken is not None:
            click.echo(f"warning: “{given}” is also the site {taken!r}'s name: chapters will print both "
                       "sites the same", err=True)


def _site_named(project: Project, name: str, *, but: int) -> str | None:
    """The name of another site that goes by ``name`` (its name or a display name), if any."""
    wanted = name.strip().casefold()
    for other in sites.list_all(project):
        if other["id"] != but and wanted in {str(other.get(k) or "").strip().casefold()
                                             for k in ("name", "name_zh", "name_en")}:
            return str(other["name"])
    return None


@click.group()
def case() -> None:
    """Cases: returnees, households, enterprises … inside a site."""


@case.command("add")
@click.argument("name")
@click.option("--site", "site_ref", help="The site the case belongs to.")
@click.option("--kind", default="person", show_default=True, type=click.Choice(cases.KINDS))
@click.option("--notes")
@click.option("--alias", "aliases", multiple=True,
              help="Another name the case goes by (repeat for several): a speaker label equal to it links to it.")
@_attr_option
@project_command
@json_option
def case_add(
    project: Project,
    name: str,
    site_ref: str | None,
    kind: str,
    notes: str | None,
    aliases: tuple[str, ...],
    attrs: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a case."""
    row = cases.add(
        project, name, site=site_ref, kind=kind, notes=notes, attrs=attributes.parse_assignments(attrs),
        aliases=aliases,
    )
    _show(row, as_json, f"Added case {row['name']} (id {row['id']})")
    if not as_json:
        say_speakers_linked(project)


@case.command("list")
@click.option("--site", "site_ref", help="Only the cases of this site.")
@project_command
@json_option
def case_list(project: Project, site_ref: str | None, as_json: bool) -> None:
    """List cases with their attributes."""
    rows = cases.list_all(project, site=site_ref)
    if as_json:
        print_json(rows)
    else:
        table(rows, ["id", "site", "name", "kind", "aliases", "sources", "attributes"], max_col=60)


@case.command("set")
@click.argument("case_ref", metavar="CASE")
@click.argument("assignments", nargs=-1, metavar="[NAME=VALUE]...")
@click.option("--name")
@click.option("--kind", type=click.Choice(cases.KINDS))
@click.option("--site", "site")
@click.option("--notes")
@click.option("--alias", "add_aliases", multiple=True, help="Add another name the case goes by (repeatable).")
@click.option("--drop-alias", "drop_aliases", multiple=True, help="Remove one of its other names (repeatable).")
@project_command
@json_option
def case_set(
    project: Project, case_ref: str, assignments: tuple[str, ...], as_json: bool, add_aliases: tuple[str, ...],
    drop_aliases: tuple[str, ...], **fields: Any
) -> None:
    """Change a case, or set its attributes as NAME=VALUE (e.g. birth_year=1971)."""
    if add_aliases or drop_aliases:
        dropped = {a.strip().casefold() for a in drop_aliases}
        known = cases.get(project, case_ref)["aliases"]
        fields = {**fields, "aliases": [a for a in [*known, *add_aliases] if a.casefold() not in dropped]}
    row = cases.update(project, case_ref, fields, attributes.parse_assignments(assignments))
    _show(row, as_json, f"Updated case {row['name']}: {row['attributes']}")


@click.group("attr")
def attr() -> None:
    """Attribute definitions: typed fields on sites, cases and sources."""


@attr.command("add")
@click.argument("name")
@click.option("--on", "owner", required=True, type=click.Choice(attributes.OWNERS))
@click.option("--type", "value_type", default="text", show_default=True, type=click.Choice(attributes.VALUE_TYPES))
@click.option("--choices", help="Comma-separated choices, for --type choice.")
@click.option("--description")
@project_command
@json_option
def attr_add(
    project: Project,
    name: str,
    owner: str,
    value_type: str,
    choices: str | None,
    description: str | None,
    as_json: bool,
) -> None:
    """Define an attribute."""
    options = [c.strip() for c in choices.split(",") if c.strip()] if choices else None
    row = attributes.define(project, owner, name, value_type, choices=options, description=description)
    _show(row, as_json, f"Defined {owner} attribute {row['name']} ({value_type})")


@attr.command("list")
@click.option("--on", "owner", type=click.Choice(attributes.OWNERS))
@project_command
@json_option
def attr_list(project: Project, owner: str | None, as_json: bool) -> None:
    """List attribute definitions."""
    rows = attributes.list_definitions(project, owner)
    if as_json:
        print_json(rows)
    else:
        table(rows, ["id", "applies_to", "name", "value_type", "choices", "description"])


def _show(row: dict[str, Any], as_json_flag: bool, message: str) -> None:
    if as_json_flag:
        print_json(row)
    else:
        click.echo(message)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    from fieldcase.cli.purge import case_purge

    case.add_command(case_purge)
    for command in (site, case, attr):
        cli.add_command(command)
