"""Commands that keep a project safe: backup, backups, restore, check."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fieldcase.cli.common import json_option, open_from_options, project_command, project_options
from fieldcase.cli.output import print_json, table
from fieldcase.config import resolve_project_path
from fieldcase.errors import FieldcaseError
from fieldcase.store import backups as store
from fieldcase.store.private import private_folder
from fieldcase.store.project import Project
from fieldcase.text.english import count

if TYPE_CHECKING:
    from fieldcase.store.checks import Finding

SHOWN_PER_KIND = 50  # findings of one kind printed before the rest are only counted


@click.command()
@click.option("--to", type=click.Path(),
              help="Write it here (a new file, or a folder to put it in; ending in / makes the folder) "
                   "instead of the backup folder.")
@project_command
def backup(project: Project, to: str | None) -> None:
    """Back the project up now (a complete copy, made safely while others work on it);
    prints the backup's path.

    Backups go to NAME-backups/ beside the project, are readable only by you, and are
    never removed by pruning; one written with --to is yours to keep where you put it.
    """
    target = Path(to).expanduser() if to else None
    if to and target and to.endswith(("/", os.sep)):
        private_folder(target)
    click.echo(store.make_backup(project, "manual", to=target))


@click.command()
@click.option("--every", type=click.IntRange(min=0), metavar="MINUTES",
              help="Back up at most this often while you work (0: only before risky steps). Default 30.")
@click.option("--keep", type=click.IntRange(min=0), metavar="N",
              help="Keep the newest N automatic backups, removing older ones (0: keep all). Default 10.")
@project_command
@json_option
def backups(project: Project, every: int | None, keep: int | None, as_json: bool) -> None:
    """List the project's backups (oldest first), or change how often they are made.

    fieldcase backs a project up before a schema upgrade, a purge, a merge and an import of
    a folder or of ten files or more, and before a change once the newest backup is older
    than --every minutes. Backups you made (fieldcase backup) and the copy a restore kept
    aside are never removed; automatic ones beyond --keep are, oldest first.
    """
    settings = (store.change_settings(project, every_minutes=every, keep=keep)
                if every is not None or keep is not None else store.settings(project))
    found = store.backups(project.path)
    if as_json:
        print_json({"folder": str(store.backup_folder(project.path)), "every_minutes": settings.every_minutes,
                    "keep": settings.keep,
                    "backups": [{"path": str(b.path), "at": b.at, "reason": b.reason, "bytes": b.bytes,
                                 "automatic": b.automatic, "encrypted": b.encrypted} for b in found]})
        return
    from fieldcase.text.times import local, zone

    often = f"every {count(settings.every_minutes, 'minute')} of work" if settings.every_minutes else "not by time"
    kept = f"the newest {settings.keep}" if settings.keep else "all"
    click.echo(f"Backups of {project.path}: {often}; {kept} automatic ones kept. In {store.backup_folder(project.path)}:")
    table([{f"made ({zone()})": local(b.at), "reason": b.reason, "size": _size(b.bytes),
            "encrypted": "yes" if b.encrypted else "no",
            "file": b.path.name if b.path.parent == store.backup_folder(project.path) else str(b.path)}
           for b in found], [f"made ({zone()})", "reason", "size", "encrypted", "file"], max_col=70)


def _size(number: int) -> str:
    """Bytes as people read them: 812 KB, 3.4 MB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if number >= scale:
            return f"{number / scale:.1f} {unit}"
    return f"{number} B"


@click.command()
@click.argument("backup_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@project_options
def restore(backup_file: Path, yes: bool, project_path: str | None, user: str | None) -> None:
    """Replace the project's content with FILE (a backup, or any fieldcase project).

    FILE is checked first; the project as it is now is kept aside as a backup (fieldcase
    backups lists it), then FILE's content is written into the project in one step. A
    workspace that has the project open sees the restored project as if a colleague had
    changed it; work saved there afterwards goes into the restored project.
    """
    from fieldcase.store import restoring

    path = resolve_project_path(project_path)
    incoming = restoring.inspect(backup_file.expanduser())
    click.echo(f"Restore from {backup_file}: {_holding(incoming)}")
    current: dict[str, Any] = {}
    try:
        current = restoring.inspect(path) if path.exists() else {}
        now = _holding(current) if current else "no project yet"
    except FieldcaseError as err:
        now = f"cannot be read ({err})"
    click.echo(f"The project now, {path}: {now}")
    if current.get("uuid") and incoming.get("uuid") != current["uuid"]:
        click.echo(f"warning: {backup_file} is not a copy of this project but another one "
                   f"({incoming.get('name')!r}); restoring puts that project in this one's place", err=True)
    if not yes and not click.confirm("Replace the project's content with the backup's (the project as it is now "
                                     "is kept aside)?", default=False):
        click.echo("Nothing restored.")
        return
    done = restoring.restore(path, backup_file.expanduser())
    if done.kept_aside:
        click.echo(f"Kept the project as it was: {done.kept_aside}")
    click.echo(f"Restored {path} from {backup_file}.")


def _holding(found: dict[str, Any]) -> str:
    """What a project holds, in a line: its name, counts, and its last change's local time."""
    from fieldcase.text.times import local, zone

    last = f"the last {local(found['last_change_at'])} {zone()}" if found["last_change_at"] else "none yet"
    return (f"project {found['name']!r}, {count(found['sources'], 'source')}, {count(found['codings'], 'coding')}, "
            f"{count(found['changes'], 'change')} ({last})")


@click.command()
@project_options
@json_option
def check(project_path: str | None, user: str | None, as_json: bool) -> None:
    """Check the project file: SQLite integrity and foreign keys, every source's text
    against its hash, every coding against its quote, the search index against the texts,
    and the change log against itself and every row. One line per problem; exit status 1
    if there is any.

    The search index is brought up to date first, as a search would; nothing else is
    written (an older project is upgraded first, after a backup, as by any command).
    """
    from fieldcase.store.checks import Finding, Report, run
    from fieldcase.store.db import errors

    path = resolve_project_path(project_path)
    try:
        with open_from_options(project_path, user) as project:
            report = run(project)
    except errors("DatabaseError") as err:  # too damaged to open as a project
        report = Report([Finding("integrity", f"the file cannot be read as a project: {err}")])
    if as_json:
        print_json({"path": str(path), "clean": report.clean, "checked": report.counted,
                    "findings": [{"kind": f.kind, "message": f.message} for f in report.findings]})
    else:
        _print_findings(report.findings)
        checked = ", ".join(count(n, noun) for noun, n in
                            (("page", report.counted.get("pages", 0)), ("source", report.counted.get("sources", 0)),
                             ("coding", report.counted.get("codings", 0)), ("change", report.counted.get("changes", 0))))
        verdict = "no problems" if report.clean else count(len(report.findings), "problem")
        click.echo(f"{path}: {verdict} ({checked + ' checked' if report.counted else 'nothing more could be checked'})",
                   err=not report.clean)
    if not report.clean:
        raise SystemExit(1)


def _print_findings(findings: list[Finding]) -> None:
    """Each finding on a line, the first :data:`SHOWN_PER_KIND` of each kind, then a count."""
    for kind, group in itertools.groupby(findings, key=lambda f: f.kind):
        of_kind = list(group)
        for finding in of_kind[:SHOWN_PER_KIND]:
            click.echo(finding.line())
        if len(of_kind) > SHOWN_PER_KIND:
            click.echo(f"{kind}: … and {len(of_kind) - SHOWN_PER_KIND:,} more (--json lists every one)")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (backup, backups, restore, check):
        cli.add_command(command)
