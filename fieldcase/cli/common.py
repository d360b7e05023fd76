"""What every command shares: the project and user options, and turning errors into one line."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fieldcase.config import default_project_path, resolve_project_path
from fieldcase.errors import FieldcaseError

if TYPE_CHECKING:
    from fieldcase.coding.scope import Scope
    from fieldcase.store.project import Project

# Which module of fieldcase.cli defines each command. Modules are imported only when their
# command runs (or help lists them), so `fieldcase open` does not pay for the importers.
COMMAND_MODULES = {
    "init": "project", "demo": "project", "info": "project",
    "site": "places", "case": "places", "attr": "places",
    "import": "sources", "sources": "sources", "source": "sources",
    "codes": "coding", "code": "coding", "uncode": "coding", "codings": "coding", "coding": "coding",
    "memo": "coding",
    "undo": "history", "redo": "history", "revert": "history", "history": "history",
    "codebook": "codebook",
    "open": "workspace",
    "search": "search", "reindex": "search",
    "words": "words", "kwic": "words", "glossary": "words",
    "suggest": "suggest", "suggestions": "suggest",
    "templates": "templates", "export": "export", "pseudonym": "pseudonym",
    "speaker": "speakers", "compact": "purge",
    "encrypt": "encryption", "decrypt": "encryption",
    "agreement": "agreement",
    "backup": "safety", "backups": "safety", "restore": "safety", "check": "safety",
    "merge": "merge", "conflicts": "merge",
    "hub": "hub", "sync": "hub",
    "blind": "blind",
    "summary": "summaries",
    "qdpx": "qdpx",
    "set": "sets", "sets": "sets",
}


class UserError(click.ClickException):
    """A one-line error on stderr, ``error: …``, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class FieldcaseGroup(click.Group):
    """A click group that loads its commands on demand and prints user errors as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"fieldcase.cli.{COMMAND_MODULES[cmd_name]}").register(self)
        return self.commands.get(cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line with control characters in all it prints made visible."""
        from fieldcase.cli.output import controls_shown

        with controls_shown():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        from fieldcase.store import cipher

        cipher.set_asker(ask_passphrase)  # an encrypted project asks at the terminal
        try:
            return super().invoke(ctx)
        except FieldcaseError as err:
            raise UserError(str(err)) from err
        except _refusals() as err:
            raise UserError(f"the project database refused: {err}") from err
        except _refusals("DatabaseError") as err:  # a page that cannot be read: the file is damaged
            where = _opened[-1] if _opened else "the project file"
            raise UserError(f"{where}: the file is damaged ({err}); `fieldcase check` lists what, "
                            "`fieldcase backups` and `fieldcase restore` bring back a copy") from err
        except UnicodeEncodeError as err:  # bytes of another encoding in an argument (a GBK name)
            shown = err.object.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UserError(f"{shown!r} is not UTF-8 text (shown with � for the bytes that are "
                            "not); nothing was changed") from err


def ask_passphrase(path: Path) -> str | None:
    """Ask the person at the terminal for ``path``'s passphrase; None when nobody is there."""
    if not sys.stdin.isatty():
        return None
    return click.prompt(f"Passphrase for {path}", hide_input=True, err=True)


_opened: list[Path] = []  # the project files this command opened, to name in an error


def _refusals(name: str = "OperationalError") -> tuple[type[Exception], ...]:
    """SQLite's exception ``name`` of each driver in use; looked up only when something was
    raised, so that commands which open no project do not load the store."""
    from fieldcase.store.db import errors

    return errors(name)


def open_from_options(project_path: str | None, user: str | None) -> Project:
    """Open the project named by ``-p`` (or the environment, or the default one)."""
    from fieldcase.store.project import open_project

    path = resolve_project_path(project_path)
    _opened.append(path)
    project = open_project(path, user=user, create=path == default_project_path())
    if project.made_private:
        click.echo(f"notice: {path}: every account on this computer could read it; "
                   "now only you can (mode 600)", err=True)
    return project


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


# Each scope option: its flag, the keyword it reaches the command as (``case_``, as the
# commands have always named it), and its usual help.
_SCOPE_FLAGS: dict[str, tuple[str, str, str]] = {
    "site": ("--site", "site", "Only sources from this site (name or id)."),
    "case": ("--case", "case_", "Only sources linked to this case."),
    "kind": ("--kind", "kind", "Only interviews, observations or documents."),
    "source": ("--source", "source", "Only this source (id, UUID or title)."),
    "date_from": ("--from", "date_from", "Only sources dated on or after (YYYY[-MM[-DD]])."),
    "date_to": ("--to", "date_to", "Only sources dated on or before."),
    "code": ("--code", "code", "Only inside text coded with this code or its sub-codes."),
    "coder": ("--coder", "coder", "Only this coder's codings."),
    "source_set": ("--source-set", "source_set", "Only the sources of this source set (fieldcase set)."),
    "code_set": ("--code-set", "code_set", "Only inside text coded with a code of this code set."),
}
SEARCH_SCOPE = ("site", "case", "kind", "source", "date_from", "date_to", "code", "source_set", "code_set")
_NO_HELP = "-"  # given as a help: the option shows none
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def scope_options(*names: str, codes: bool = False, **helps: str) -> Decorator:
    """Add the options that narrow a command to part of the project (``names``: fields of
    :class:`~fieldcase.coding.scope.Scope`, in the order help lists them); ``helps`` gives a
    command's own help for some (``"-"``: none), ``codes`` lets ``--code`` repeat. The
    command reads them back with :func:`scope_from`."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names or SEARCH_SCOPE):
            flag, dest, usual = _SCOPE_FLAGS[name]
            shown = helps.get(name, usual)
            func = click.option(flag, dest, multiple=codes and name == "code",
                                help=None if shown == _NO_HELP else shown)(func)
        return func

    return wrap


def scope_from(kwargs: dict[str, Any]) -> Scope:
    """The scope that a command's :func:`scope_options` say, taken out of its ``kwargs``."""
    from fieldcase.coding.scope import Scope

    given = {name: kwargs.pop(dest) for name, (_, dest, _) in _SCOPE_FLAGS.items() if dest in kwargs}
    if isinstance(given.get("code"), tuple):  # a repeated --code: none given is no narrowing
        given["code"] = given["code"] or None
    return Scope(**given)
