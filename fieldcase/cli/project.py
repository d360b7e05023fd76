"""Commands about a whole project: init, demo, info."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.config import data_dir, resolve_project_path
from fieldcase.errors import ProjectError
from fieldcase.store import codes, sources
from fieldcase.store.project import Project, init_project, open_project, refuse_existing
from fieldcase.store.summary import summarize
from fieldcase.text.english import count


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
@click.option("--encrypt", is_flag=True,
              help="Encrypt the file (SQLCipher) with a passphrase asked twice, or $FIELDCASE_PASSPHRASE.")
def init(project_path: str | None, name: str | None, user: str | None, framework: str, encrypt: bool) -> None:
    """Create a new project file (with the built-in codebook unless --framework none)."""
    path = resolve_project_path(project_path)
    passphrase = _new_passphrase(path) if encrypt else None
    with init_project(path, user=user, name=name, framework=framework, passphrase=passphrase) as project:
        made = codes.size(project)
        how = "Created encrypted project" if encrypt else "Created project"
        click.echo(f"{how} {project.info()['name']!r} at {path} with {count(made, 'code')}")
    if encrypt:
        from fieldcase.cli.encryption import KEEP_SAFE

        click.echo(KEEP_SAFE)


def _new_passphrase(path: Path) -> str:
    """Refuse a file that is there, or a missing SQLCipher, before asking for a passphrase."""
    from fieldcase.cli.encryption import new_passphrase
    from fieldcase.store import cipher

    refuse_existing(path)
    cipher.driver()
    return new_passphrase(path)


@click.command()
@click.option("-p", "--project", "project_path", help="Where it is (default: demo.fieldcase in your data folder).")
@click.option("--reset", is_flag=True, help="Build the sample afresh, replacing the demo and all work in it (asks first).")
@click.option("--yes", is_flag=True, help="With --reset: replace without asking.")
@click.option("--force", is_flag=True, hidden=True, help="The same as --reset --yes.")
@click.option("--user", help="Who is working on it.")
@click.option("--no-open", is_flag=True, help="Print a summary instead of opening the workspace.")
@json_option
def demo(project_path: str | None, reset: bool, yes: bool, force: bool, user: str | None, no_open: bool,
         as_json: bool) -> None:
    """Open the bundled, fictional sample project in the workspace, building it the first time.

    Run again, it opens the demo as you left it, your coding kept; --reset builds it afresh
    after asking (--yes: without asking). Without a terminal (or with --no-open or --json)
    it prints a summary instead.
    """
    from fieldcase.importers.sample import build_sample

    path = Path(project_path).expanduser() if project_path else data_dir() / "demo.fieldcase"
    interactive = _interactive()
    kept = path.exists()
    if kept and (reset or force):
        _confirm_reset(path, asked=not (yes or force), interactive=interactive)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        kept = False
    project = open_project(path, user=user) if kept else build_sample(path, user=user)[0]
    notice = "The demo as you left it; fieldcase demo --reset builds it afresh" if kept else None
    with project:
        if no_open or as_json or not interactive:
            if notice and not as_json:
                click.echo(notice + ".")
            _print_summary(project, as_json)
            return
    from fieldcase.cli.workspace import run_workspace

    run_workspace(path, user, notice=notice)


def _interactive() -> bool:
    """Whether a person is at a terminal (to ask them, and to open the workspace)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _confirm_reset(path: Path, *, asked: bool, interactive: bool) -> None:
    """Refuse to replace anything but a demo, and ask before replacing one (y/N)."""
    from fieldcase.importers.sample import SAMPLE_NAME

    with open_project(path) as existing:
        name = existing.info().get("name")
    if name != SAMPLE_NAME:
        raise ProjectError(f"{path}: not a demo project (it is {name!r}); --reset replaces only a demo")
    if not asked:
        return
    if not interactive:
        raise ProjectError(f"{path}: --reset replaces the demo and all work in it; add --yes to do so without a terminal")
    if not click.confirm(f"Replace {path} and all work in it with a fresh sample?", default=False):
        click.echo(f"Kept {path} as it is.")
        raise SystemExit(0)


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
    kinds = ", ".join(count(n, k) for k, n in summary["sources_by_kind"].items()) or "none"
    click.echo(f"Project {summary['name']!r} at {summary['path']}")
    click.echo(
        f"{count(summary['sites'], 'site')}, {count(summary['cases'], 'case')}, {count(summary['sources'], 'source')} "
        f"({kinds}), {count(summary['chars'], 'character')}, {count(summary['turns'], 'speaker turn')}"
    )
    click.echo()
    table(listing, ["id", "site", "kind", "date", "title", "cases", "chars", "turns", "encoding"])


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (init, demo, info):
        cli.add_command(command)
