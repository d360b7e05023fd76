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
@click.option("--label", is_flag=True,
              help="REAL is a speaker label (a surname alone, 刘): replace it only where it stands alone "
                   "(刘：, a citation's speaker), never inside other words. Same as writing REAL with a colon.")
@project_command
def add_cmd(project: Project, real: str, name: str, variant_of: str | None, label: bool) -> None:
    """Print NAME wherever REAL stands in an export, in any spelling (ZHANG SAN, Zhang San,
    ZhangSan, 張三, 张 三); a place also in its other language (Y村 and Y village). The
    stored text is kept."""
    from fieldcase.store import pseudonyms

    entry = pseudonyms.add(project, real, name, variant_of=variant_of, label=label)
    as_label = " (a speaker label, replaced where it stands alone)" if pseudonyms.label_of(entry["real"]) else ""
    click.echo(f"{entry['real']} → {entry['pseudonym']}{as_label}")


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
        table(rows, ["real", "pseudonym", "where", "variant_of_real"])


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
    """Other ways REAL is written in the sources, to confirm: 老张, 张书记, Mr Zhang, Zhang San
    in the text; speaker labels (刘总：), and a surname or given name alone as a label (刘：),
    which is replaced only where it stands alone. A form that may be another person's or
    case's (their name, alias, pseudonym or speaker label; a surname they share; found
    only in sources about others) is listed with a note and never added."""
    from fieldcase.reports.name_variants import variants
    from fieldcase.store import pseudonyms

    rows = variants(project, real)
    if as_json and not (yes or ask):
        print_json(rows)
        return
    table(rows, ["variant", "count", "where", "scope", "likeness", "suggested", "note"], max_col=48)
    if not (yes or ask):
        return
    for row in rows:
        if row["note"] is not None:
            click.echo(f"{row['variant']} left out ({row['note']})")
            continue
        if row["suggested"] is None:
            click.echo(f"{real} has no pseudonym yet; add one first")
            return
        if yes or click.confirm(f"Print {row['variant']} as {row['suggested']}?", default=True):
            pseudonyms.add(project, str(row["variant"]), str(row["suggested"]), variant_of=real)
            click.echo(f"{row['variant']} → {row['suggested']}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(pseudonym)
