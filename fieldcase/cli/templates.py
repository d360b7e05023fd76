"""Commands over report templates: which exist, where yours go, start from a shipped one."""

from __future__ import annotations

import shutil

import click

from fieldcase.cli.common import UserError
from fieldcase.cli.output import table


@click.group()
def templates() -> None:
    """Report templates: yours (in the config folder) override the shipped ones by name."""


@templates.command("list")
def list_cmd() -> None:
    """Every shipped template, and whether you have your own version of it."""
    from fieldcase.reports.templating import template_names, user_templates_dir

    mine = user_templates_dir()
    rows = [{"name": name, "yours": "yes" if (mine / name).exists() else ""} for name in template_names()]
    rows += [{"name": p.name, "yours": "only yours"} for p in sorted(mine.glob("*.j2"))
             if p.name not in template_names()]
    table(rows, ["name", "yours"])


@templates.command()
def path() -> None:
    """Where your own templates go (the folder may not exist yet)."""
    from fieldcase.reports.templating import user_templates_dir

    click.echo(str(user_templates_dir()))


@templates.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Replace your own copy if you have one.")
def copy(name: str, force: bool) -> None:
    """Copy shipped template NAME into your folder to edit it there."""
    from fieldcase.reports.templating import shipped_template, user_templates_dir

    source = shipped_template(name)
    target = user_templates_dir() / source.name
    if target.exists() and not force:
        raise UserError(f"{target} exists already; --force replaces it")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    click.echo(f"Copied to {target}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(templates)
