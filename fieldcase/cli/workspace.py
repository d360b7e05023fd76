"""Opening the Textual workspace from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from fieldcase.config import default_project_path, resolve_project_path
from fieldcase.errors import ProjectError


def run_workspace(project_path: str | Path | None, user: str | None, *, notice: str | None = None,
                  blind: bool = False) -> None:
    """Open the workspace on a project (Textual is imported only now); ``notice`` is shown
    there once it is open; ``blind``: only the user's own codings show."""
    path = resolve_project_path(project_path)
    if not path.exists() and path != default_project_path():
        raise ProjectError(f"{path}: no project there; create one with: fieldcase init -p {path}")
    from fieldcase.store.project import open_project

    # opened before the terminal is taken over, so that a file that is not a project gets
    # its one line on a normal screen; the workspace then uses this connection
    project = open_project(path, user=user, create=path == default_project_path())
    from fieldcase.tui.app import FieldcaseApp

    app = FieldcaseApp(path, user=user, project=project, notice=notice, blind=blind)
    app.run()
    if app.error:
        click.echo(app.error, err=True)
    if app.return_code:  # an error the app reported, or a crash: the shell sees a failure
        raise SystemExit(app.return_code)


@click.command("open")
@click.option("-p", "--project", "project_path", envvar="FIELDCASE_PROJECT", help="The project file.")
@click.option("--user", help="Who is coding (default: $FIELDCASE_USER, else you).")
@click.option("--blind", is_flag=True,
              help="Blind coding: hide other coders' codings and counts (as `fieldcase blind on` does for the project).")
def open_cmd(project_path: str | None, user: str | None, blind: bool) -> None:
    """Open the workspace: read, code and manage a project by keyboard."""
    run_workspace(project_path, user, blind=blind)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(open_cmd)
