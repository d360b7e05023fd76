"""Commands about a whole project: init, demo, info."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.config import data_dir, resolve_project_path
from fieldcase.errors import ProjectError
from fieldcase.store import sources
from fieldcase.store.project import Project, init_project
from fieldcase.store.summary import summarize


@click.command()
@click.option("-p", "--project", "project_path", envvar="FIELDCASE_PROJECT", help="Where to create it.")
@click.option("--name", help="A name for the project (default: the file name).")
@click.option("--user", help="Who is creating it.")
@click.option(
    "--framework",
    type=click.Choice(["builtin", "none"]),
    default="builtin",
    show_default=True,
    help="Start with the built-in talent-return / governance / integration codebook, or none.",
)
def init(project_path: str | None, name: str | None, user: str | None, framework: str) -> None:
    """Create a new project file (with the built-in codebook unless --framework none)."""
    path = resolve_project_path(project_path)
    with init_project(path, user=user, name=name, framework=framework) as project:
        count = project.conn.execute("SELECT count(*) FROM codes").fetchone()[0]
        click.echo(f"Created project {project.info()['name']!r} at {path} with {count} codes")


@click.command()
@click.option("-p", "--project", "project_path", help="Where to build it (default: demo.fieldcase in your data folder).")
@click.option("--force", is_flag=True, help="Replace an existing file at that path.")
@click.option("--user", help="Who is building it.")
@click.option("--no-open", is_flag=True, help="Print a summary instead of opening the workspace.")
@json_option
def demo(project_path: str | None, force: bool, user: str | None, no_open: bool, as_json: bool) -> None:
    """Build the bundled, fictional sample project afresh and open it in the workspace.

    Without a terminal (or with --no-open or --json) it prints a summary instead.
    """
    from fieldcase.sample import build_sample

    path = Path(project_path).expanduser() if project_path else data_dir() / "demo.fieldcase"
    if path.exists():
        if project_path and not force:
            raise ProjectError(f"{path}: already exists; add --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    project, _ = build_sample(path, user=user)
    with project:
        if no_open or as_json or not (sys.stdin.isatty() and sys.stdout.isatty()):
            _print_summary(project, as_json)
            return
    from fieldcase.cli.workspace import run_workspace

    run_workspace(path, user)


@click.command()
@project_command
@json_option
def info(project: Project, as_json: bool) -> None:
    """Show what a project holds: counts, sites and sources."""
    _print_summary(project, as_json)


def _print_summary(project: Project, as_json_flag: bool) -> None:
    summary = summarize(project)
    listing = sources.list_all(project)
    if as_json_flag:
        print_json({**summary, "sources_list": listing})
        return
    kinds = ", ".join(f"{n} {k}" for k, n in summary["sources_by_kind"].items()) or "none"
    click.echo(f"Project {summary['name']!r} at {summary['path']}")
    click.echo(
        f"{summary['sites']} sites, {summary['cases']} cases, {summary['sources']} sources "
        f"({kinds}), {summary['chars']:,} characters, {summary['turns']} speaker turns"
    )
    click.echo()
    table(listing, ["id", "site", "kind", "date", "title", "cases", "chars", "turns", "encoding"])


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (init, demo, info):
        cli.add_command(command)
