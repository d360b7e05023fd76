"""Commands over the change log: undo, redo, history."""

from __future__ import annotations

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.store import history as log
from fieldcase.store.project import Project


@click.command()
@project_command
def undo(project: Project) -> None:
    """Reverse the last change (a coding, an uncoding, a merge, a text edit …); repeat to go further back."""
    group = log.undo(project)
    click.echo(f"Undid: {group['summary']}")


@click.command()
@project_command
def redo(project: Project) -> None:
    """Re-apply the change most recently undone."""
    group = log.redo(project)
    click.echo(f"Redid: {group['summary']}")


@click.command()
@click.option("--limit", type=int, default=20, show_default=True)
@project_command
@json_option
def history(project: Project, limit: int, as_json: bool) -> None:
    """Recent changes, newest first: who, when, what, and whether undone."""
    rows = log.history(project, limit)
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            row["state"] = "undone" if row["undone"] else ""
        table(rows, ["id", "at", "user", "action", "summary", "rows", "state"], max_col=60)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (undo, redo, history):
        cli.add_command(command)
