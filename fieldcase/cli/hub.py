"""`fieldcase hub …`: a team hub on PostgreSQL (init, grant, connect, status)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

import click

from fieldcase.cli.common import json_option, open_from_options, project_command, project_options
from fieldcase.cli.output import print_json
from fieldcase.errors import InputError
from fieldcase.store.project import Project
from fieldcase.text import english


def ask_password(prompt: str) -> str | None:
    """Ask the person at the terminal for the hub's password; None when nobody is there."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)


@click.group()
def hub() -> None:
    """A team hub: a PostgreSQL database holding the team's shared history.

    Passwords never go into a project: give them in PGPASSWORD, ~/.pgpass or a service
    file, or type them when asked at a terminal.
    """


@hub.command("init")
@click.argument("url")
@click.option("--beside-other-tables", is_flag=True,
              help="The database holds other tables (a database IT gave for several uses): put the hub in "
                   "its own schema, fieldcase, beside them. Without it, only an empty database or a hub is taken.")
def init(url: str, beside_other_tables: bool) -> None:
    """Make the existing, empty database at URL a hub, or upgrade its hub schema (run again,
    it changes nothing). Creates the group roles members are granted (`fieldcase hub grant`)."""
    from fieldcase.hubstore.schema import init_hub

    done = init_hub(url, ask_password, beside_other_tables=beside_other_tables)
    if done["applied"]:
        click.echo(f"Hub at {done['hub']}: schema version {done['version']} "
                   f"({', '.join(done['applied'])} applied)")
    else:
        click.echo(f"Hub at {done['hub']}: up to date (schema version {done['version']})")
    for role in done["roles_created"]:
        click.echo(f"Created group role {role}")


@hub.command("grant")
@click.argument("role")
@click.option("--read-only", is_flag=True, help="May pull but not push (takes back push rights).")
@click.option("--hub", "url", metavar="URL", help="The hub (default: the hub of -p's project).")
@project_options
def grant_cmd(role: str, read_only: bool, url: str | None, project_path: str | None, user: str | None) -> None:
    """Let the login role ROLE use the hub: push and pull, or only pull with --read-only."""
    from fieldcase.hubstore.schema import grant

    if url is None:
        url = _project_hub(project_path, user)
    done = grant(url, role, read_only, ask_password)
    click.echo(f"{role} is now in {done['granted']}" + (" (read only)" if read_only else ""))


def _project_hub(project_path: str | None, user: str | None) -> str:
    from fieldcase.store.hub_link import hub_url

    if project_path is None:
        raise InputError("which hub? give --hub URL, or -p a project attached to one")
    with open_from_options(project_path, user) as project:
        url = hub_url(project)
    if url is None:
        raise InputError(f"{project_path}: not attached to a hub; give --hub URL")
    return url


@hub.command("connect")
@click.argument("url")
@project_command
def connect_cmd(project: Project, url: str) -> None:
    """Attach the project to the hub at URL (no password in it); its whole history goes to
    the hub at the next sync."""
    from fieldcase.exchange.hub import connect_project

    done = connect_project(project, url, ask_password)
    click.echo(f"Attached to the hub at {done['hub']} (schema version {done['version']}, "
               f"{done['hub_groups']} change groups there; {done['to_push']} of yours to push)")


@hub.command("status")
@project_command
@json_option
def status_cmd(project: Project, as_json: bool) -> None:
    """The project's hub: reachable or not, and what is not yet pushed or pulled (exit
    status 1 when it cannot be used)."""
    from fieldcase.exchange.hub import hub_status

    status = hub_status(project, ask_password)
    if as_json:
        print_json(status)
    else:
        _show_status(status)
    if status["error"]:
        raise SystemExit(1)  # not usable: a script sees it by the exit status too


def _show_status(status: dict[str, Any]) -> None:
    click.echo(f"Hub: {status['hub']}")
    if status["error"]:
        click.echo(f"Not usable: {status['error']}")
    else:
        click.echo(f"Schema version {status['version']}, {status['hub_groups']} change groups")
        click.echo(f"To push: {status['to_push']}   To pull: {status['to_pull']}")
    if status["open_conflicts"] is not None:
        click.echo(f"Open conflicts on the hub: {status['open_conflicts']}")
    if status["local_open_conflicts"] is not None:
        click.echo(f"Open conflicts here: {status['local_open_conflicts']}")


@hub.command("clone")
@click.argument("url")
@project_options
@json_option
def clone_cmd(url: str, project_path: str | None, user: str | None, as_json: bool) -> None:
    """A new project (-p NEW) holding the team's work from the hub at URL, attached to it."""
    from fieldcase.config import resolve_project_path
    from fieldcase.exchange.hub import clone

    project, report = clone(url, resolve_project_path(project_path), user, ask_password)
    try:
        _show_sync(report, as_json)
    finally:
        project.close()


@click.command("sync")
@project_command
@json_option
def sync_cmd(project: Project, as_json: bool) -> None:
    """Bring the team's work from the hub into this project and push yours to it.

    Conflicts (a value or text changed here and by someone else) are listed by `fieldcase
    conflicts`; yours stays current. A sync stopped midway and run again loses nothing
    and doubles nothing. A read-only member pulls; a push is refused.
    """
    from fieldcase.exchange.hub import sync_project

    _show_sync(sync_project(project, ask_password), as_json)


def _show_sync(report: Any, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    pulled = report.pulled
    got = ", ".join(english.count_rows(n, t) for t, n in sorted({**pulled.added, **pulled.updated}.items()))
    click.echo(f"Pulled from {report.hub}: {pulled.groups} changes new here" + (f" ({got})" if got else ""))
    if pulled.deleted:
        click.echo("  deleted: " + ", ".join(english.count_rows(n, t) for t, n in sorted(pulled.deleted.items())))
    if pulled.conflicts:
        click.echo(f"  conflicts: {len(pulled.conflicts)} (fieldcase conflicts lists them)")
    for note in pulled.kept_notes():
        click.echo(f"  {note}")
    shared = report.conflicts
    if shared.pulled or shared.settled_pulled:
        click.echo(f"  the team's conflicts: {shared.pulled} found by others, {shared.settled_pulled} settled by others")
    for done in report.purged:
        click.echo(f"  erased here, as {done['by']} purged it on the hub: {done['what']}")
        for backup in done["backups"]:
            click.echo(f"    still held by the backup {backup} (fieldcase backups; delete it if it must go)")
    if report.scrubbed:
        click.echo(f"Scrubbed {report.scrubbed} purges of yours from the hub (its rows, texts and history)")
    if report.read_only:
        click.echo("Pushed nothing: your role may only read the hub")
    else:
        click.echo(f"Pushed {english.count(report.pushed_groups, 'change')}"
                   + (f" ({english.count(sum(report.pushed_rows.values()), 'row')})" if report.pushed_rows else ""))


def register(group: click.Group) -> None:
    group.add_command(hub)
    group.add_command(sync_cmd)
