"""Commands over the change log: undo and redo your own changes, revert anyone's, history."""

from __future__ import annotations

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.store import history as log
from fieldcase.store.project import Project


@click.command()
@project_command
def undo(project: Project) -> None:
    """Reverse your newest change still in effect (a coding, a merge, a text edit …); repeat
    to go further back.

    Only your own changes (--user, else $FIELDCASE_USER, else your login): someone else's
    is reverted with `fieldcase revert ID --of NAME`. An undo that would destroy work done
    since (a colleague's coding on a code you added, their edit of the same row) is refused
    with a line naming that change.
    """
    group = log.undo(project)
    click.echo(f"Undid: {group['summary']} (change #{group['id']})")


@click.command()
@project_command
def redo(project: Project) -> None:
    """Re-apply the change you most recently undid (until you make a new change)."""
    group = log.redo(project)
    click.echo(f"Redid: {group['summary']} (change #{group['id']})")


@click.command()
@click.argument("change_id", type=int)
@click.option("--of", "author", metavar="NAME",
              help="Who made the change (as history shows; default: you); refused if it was someone else.")
@project_command
def revert(project: Project, change_id: int, author: str | None) -> None:
    """Reverse change CHANGE_ID made by NAME (someone else's, or an older one of yours).

    The revert is your change: `fieldcase undo` takes it back. It is refused, naming the
    change in the way, if later work stands on what it would undo.
    """
    author = author or project.user
    group = log.revert(project, change_id, author)
    click.echo(f"Reverted {author}'s change #{change_id}: {group['summary']} (fieldcase undo takes it back)")


@click.command()
@click.option("--limit", type=int, default=20, show_default=True, help="How many changes (0: all).")
@click.option("--mine", is_flag=True, help="Only your changes (--user, else $FIELDCASE_USER, else your login).")
@click.option("--of", "author", metavar="NAME", help="Only NAME's changes.")
@project_command
@json_option
def history(project: Project, limit: int, mine: bool, author: str | None, as_json: bool) -> None:
    """Recent changes, newest first: who, when, what, and whether undone."""
    rows = log.history(project, limit, user=author or (project.user if mine else None))
    if as_json:
        print_json(rows)
    else:
        from fieldcase.text.times import local, zone

        for row in rows:
            row[f"when ({zone()})"] = local(row["at"])
            row["work of"] = ", ".join(row["authors"]) or row["user"]  # a merge brings others' work
        table(rows, ["id", f"when ({zone()})", "user", "work of", "action", "summary", "rows", "state"], max_col=60)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (undo, redo, revert, history):
        cli.add_command(command)
