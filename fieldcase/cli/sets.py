"""Commands for sets: named groups of codes or of sources, usable as a scope
(``--code-set``, ``--source-set``)."""

from __future__ import annotations

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json
from fieldcase.store.project import Project

KIND = click.Choice(["code", "source"])


@click.group("set")
def set_group() -> None:
    """Code sets and source sets: list, add, show, remove."""


@set_group.command("list")
@click.option("--kind", type=KIND, help="Only code sets or only source sets.")
@project_command
@json_option
def set_list(project: Project, kind: str | None, as_json: bool) -> None:
    """Every set, with how many codes or sources it holds."""
    from fieldcase.store import sets

    rows = sets.list_all(project, kind)
    if as_json:
        print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['kind']:<6} {row['name']}  ({row['members']})")
    if not rows:
        click.echo("No sets yet (`fieldcase set add code NAME CODE…`).")


@set_group.command("add")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.argument("members", nargs=-1)
@click.option("--description", help="What the set is for.")
@project_command
def set_add(project: Project, kind: str, name: str, members: tuple[str, ...], description: str | None) -> None:
    """Make set NAME (if new) and put MEMBERS in it: codes (key, name, id) or sources (title, id)."""
    from fieldcase.errors import NotFoundError
    from fieldcase.store import sets

    ids = _member_ids(project, kind, members)
    with project.change("set.add", f"Added to {kind} set {name}") as w:
        try:
            set_id = int(sets.find(project, kind, name)["id"])
        except NotFoundError:
            set_id = sets.add(project, kind, name, description=description, writer=w)
        new = sets.add_members(project, set_id, ids, writer=w)
    click.echo(f"{kind.capitalize()} set {name}: {new} added")


@set_group.command("show")
@click.argument("kind", type=KIND)
@click.argument("name")
@project_command
@json_option
def set_show(project: Project, kind: str, name: str, as_json: bool) -> None:
    """The codes or sources of a set."""
    from fieldcase.store import sets

    found = sets.find(project, kind, name)
    rows = sets.members(project, found["id"])
    if as_json:
        print_json({**found, "members": rows})
        return
    click.echo(f"{kind} set {found['name']}" + (f": {found['description']}" if found["description"] else ""))
    for row in rows:
        label = row.get("title") or f"{row['key']}  {row.get('name_zh') or ''} {row.get('name_en') or ''}".rstrip()
        click.echo(f"  {row['id']:>5}  {label}")


@set_group.command("remove")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.argument("members", nargs=-1)
@project_command
def set_remove(project: Project, kind: str, name: str, members: tuple[str, ...]) -> None:
    """Take MEMBERS out of set NAME; without MEMBERS, delete the set (its codes or sources stay)."""
    from fieldcase.store import sets

    if not members:
        gone = sets.delete(project, kind, name)
        click.echo(f"Deleted {kind} set {gone['name']}")
        return
    found = sets.find(project, kind, name)
    taken = sets.remove_members(project, found["id"], _member_ids(project, kind, members))
    click.echo(f"{kind.capitalize()} set {found['name']}: {taken} taken out")


def _member_ids(project: Project, kind: str, refs: tuple[str, ...]) -> list[int]:
    """The ids of the codes or sources named."""
    from fieldcase.store import codes, sources

    find = codes.find if kind == "code" else sources.find
    return [int(find(project, ref)["id"]) for ref in refs]


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(set_group)
    cli.add_command(set_group, "sets")
