"""What every command shares: the project and user options, and turning errors into one line."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any

import click

from fieldcase.config import default_project_path, resolve_project_path
from fieldcase.errors import FieldcaseError
from fieldcase.store.project import Project, open_project


class UserError(click.ClickException):
    """A one-line error on stderr, ``error: …``, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class FieldcaseGroup(click.Group):
    """A click group that prints user errors as one line and exits 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FieldcaseError as err:
            raise UserError(str(err)) from err
        except sqlite3.OperationalError as err:
            raise UserError(f"the project database refused: {err}") from err


def open_from_options(project_path: str | None, user: str | None) -> Project:
    """Open the project named by ``-p`` (or the environment, or the default one)."""
    path = resolve_project_path(project_path)
    return open_project(path, user=user, create=path == default_project_path())


def project_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``-p/--project`` and ``--user``, passed through as ``project_path`` and ``user``."""
    func = click.option("--user", help="Who is making changes (default: $FIELDCASE_USER, else you).")(func)
    return click.option(
        "-p",
        "--project",
        "project_path",
        envvar="FIELDCASE_PROJECT",
        show_envvar=True,
        type=click.Path(dir_okay=False),
        help="The project file (default: the default project in your data folder).",
    )(func)


def project_command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``-p/--project`` and ``--user`` and pass an open :class:`Project` as ``project``."""

    @project_options
    @functools.wraps(func)
    def wrapper(project_path: str | None, user: str | None, **kwargs: Any) -> Any:
        with open_from_options(project_path, user) as project:
            return func(project=project, **kwargs)

    return wrapper


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--json``: print machine-readable output instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


