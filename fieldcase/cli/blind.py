"""Blind coding: a project setting that shows each coder only their own codings."""

from __future__ import annotations

import click

from fieldcase.cli.common import project_command
from fieldcase.store import blinding
from fieldcase.store.project import Project


@click.command("blind")
@click.argument("state", required=False, type=click.Choice(["on", "off"]))
@project_command
def blind(project: Project, state: str | None) -> None:
    """Turn blind coding on or off for the project, or say whether it is on.

    While it is on, each coder sees only their own codings, counts and suggestion
    decisions: in the workspace (which refuses other layers and the agreement table) and
    in every command (codings, search, words, tables, exports; --coder may name only
    yourself), until someone turns it off (`fieldcase blind off`). `fieldcase open
    --blind` does the same in the workspace for one session.
    """
    if state is not None:
        blinding.set_setting(project, state == "on")
    click.echo(f"blind coding is {'on' if blinding.setting(project) else 'off'} in {project.path.name}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(blind)
