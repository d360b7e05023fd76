"""``fieldcase pseudonym``: the names every export prints instead of the real ones."""

from __future__ import annotations

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.store.project import Project


@click.group()
def pseudonym() -> None:
    """Real names and places and their pseudonyms, applied to every export."""


@pseudonym.command("add")
@click.argument("real")
@click.argument("name")
@click.option("--variant-of", help="The real name this is a variant of (老张 of 张三).")
@project_command
def add_cmd(project: Project, real: str, name: str, variant_of: str | None) -> None:
    """Print NAME wherever REAL stands in an export (the stored text is kept)."""
    from fieldcase.store import pseudonyms

    pseudonyms.add(project, real, name, variant_of=variant_of)
    click.echo(f"{real} → {name}")


@pseudonym.command("list")
@project_command
@json_option
def list_cmd(project: Project, as_json: bool) -> None:
    """Every real name with its pseudonym, variants under their name."""
    from fieldcase.store import pseudonyms

    rows = pseudonyms.list_all(project)
    if as_json:
        print_json(rows)
    else:
        table(rows, ["real", "pseudonym", "variant_of_real"])


@pseudonym.command("remove")
@click.argument("real")
@project_command
def remove_cmd(project: Project, real: str) -> None:
    """Stop replacing REAL (its variants go too)."""
    from fieldcase.store import pseudonyms

    pseudonyms.remove(project, real)
    click.echo(f"Removed {real}")


@pseudonym.command("variants")
@click.argument("real")
@click.option("--yes", is_flag=True, help="Add every variant found with its suggested pseudonym.")
@click.option("--confirm", "ask", is_flag=True, help="Ask about each variant in turn.")
@project_command
@json_option
def variants_cmd(project: Project, real: str, yes: bool, ask: bool, as_json: bool) -> None:
    """Other ways REAL is written in the sources (老张, 张书记, Mr Zhang), to confirm."""
    from fieldcase.reports.pseudonyms import variants
    from fieldcase.store import pseudonyms

    rows = variants(project, real)
    if as_json and not (yes or ask):
        print_json(rows)
        return
    table(rows, ["variant", "count", "likeness", "suggested"])
    if not (yes or ask):
        return
    for row in rows:
        if row["suggested"] is None:
            click.echo(f"{real} has no pseudonym yet; add one first")
            return
        if yes or click.confirm(f"Print {row['variant']} as {row['suggested']}?", default=True):
            pseudonyms.add(project, str(row["variant"]), str(row["suggested"]), variant_of=real)
            click.echo(f"{row['variant']} → {row['suggested']}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(pseudonym)
