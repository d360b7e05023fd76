"""Commands to exchange whole projects with other tools: REFI-QDA ``.qdpx`` (NVivo, ATLAS.ti,
MAXQDA, QualCoder)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from fieldcase.cli.common import (
    json_option,
    open_from_options,
    project_command,
    project_options,
    scope_from,
    scope_options,
)
from fieldcase.cli.output import print_json
from fieldcase.store.project import Project
from fieldcase.text import english
from fieldcase.text.refi_positions import COUNTING_WORDS
from fieldcase.text.refi_targets import TARGETS

LISTED = 30  # lines of the report shown before "… and N more"
# Names tools give a project no one named: a new project imported from one is named after its file.
PLACEHOLDER_NAMES = frozenset({"untitled", "unbenannt", "sans titre", "sin título", "new project", "project",
                               "未命名", "新项目"})


@click.group()
def qdpx() -> None:
    """Import or export whole projects as REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA, QualCoder)."""


@qdpx.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@project_options
@json_option
def qdpx_import(project_path: str | None, user: str | None, path: str, as_json: bool) -> None:
    """Import a REFI-QDA project (.qdpx, or a bare .qde) into the project: sources, codes,
    codings with their coders, cases, variables, notes and sets. What is there already (by
    GUID, then by text or name) is matched, not added twice; what fieldcase cannot hold is
    listed. A file that cannot be read changes nothing; `fieldcase undo` takes it back.

    If the project file (-p) does not exist yet, a new project is made for the import,
    with the imported codebook only (no built-in framework); it is not left behind if
    the file cannot be read."""
    from fieldcase.config import resolve_project_path

    target = resolve_project_path(project_path)
    if target.exists() or target.with_name(target.name + "-wal").exists():
        with open_from_options(project_path, user) as project:
            _import_into(project, path, as_json)
        return
    from fieldcase.store.project import init_project

    try:
        with init_project(target, user=user, name=Path(path).stem, framework="none") as project:
            _import_into(project, path, as_json, created=True)
    except BaseException:
        for made in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            made.unlink(missing_ok=True)
        raise


def _import_into(project: Project, path: str, as_json: bool, *, created: bool = False) -> None:
    """Import ``path`` into the open ``project`` (``created`` for it) and print the report."""
    from fieldcase.exchange.qdpx.import_project import import_qdpx

    report = import_qdpx(project, path)
    if created and report.name and report.name.strip().casefold() not in PLACEHOLDER_NAMES:
        project.rename(report.name)  # named as the other tool named it, not after the file
    if as_json:
        print_json({**report.to_json(), "project_created": created})
        return
    if created:
        click.echo(f"Created project {project.info()['name']!r} at {project.path}")
    added = ", ".join(english.count_plural(n, what) for what, n in report.added.items()) or "nothing"
    matched = ", ".join(english.count_plural(n, what) for what, n in report.matched.items())
    counted = COUNTING_WORDS.get(report.counting, report.counting)
    click.echo(f"Imported {path} (written by {report.origin or 'an unnamed tool'}; positions read as {counted}): "
               f"added {added}" + (f"; matched {matched}" if matched else ""))
    if report.not_carried:
        click.echo(f"Not carried ({len(report.not_carried)}):")
        for line in report.not_carried[:LISTED]:
            click.echo(f"  - {line}")
        if len(report.not_carried) > LISTED:
            click.echo(f"  … and {len(report.not_carried) - LISTED} more (--json lists them all)")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@qdpx.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--target", type=click.Choice(list(TARGETS)), default="standard", show_default=True,
              help="The tool it is for: positions are written as it counts them (NVivo: UTF-16 units, CRLF "
                   "as two; ATLAS.ti: CRLF as one; QualCoder: UTF-16 units, a line end as one; the "
                   "standard and MAXQDA: code points).")
@scope_options("site", "case", "kind", "source", "date_from", "date_to", "source_set", "code", "code_set", "coder",
               codes=True,
               code="Only codings of this code and its sub-codes (repeat for several); the codebook goes whole.")
@click.option("--pseudonyms/--no-pseudonyms", default=True, show_default=True,
              help="Replace real names (fieldcase pseudonym) everywhere: texts, titles, cases, codes, memos, "
                   "users. --no-pseudonyms keeps them (for internal use only: your own copy, in your own tool).")
@click.option("--check-names", is_flag=True,
              help="Fail, writing nothing, if a listed real name (any spelling) still stands in the file.")
@project_command
@json_option
def qdpx_export(project: Project, out: Path, target: str, pseudonyms: bool, check_names: bool, as_json: bool,
                **options: Any) -> None:
    """Write the project (or the part in scope) as a .qdpx: texts, codes, codings with their
    coders, cases and sites with attributes, memos as notes."""
    from fieldcase.reports.exporting import export_qdpx

    if check_names and not pseudonyms:
        raise click.UsageError("--check-names checks that no real name is left, and --no-pseudonyms keeps them "
                               "all: give one or the other")
    if out.suffix.lower() != ".qdpx":
        out = out.with_name(out.name + ".qdpx")
    report = export_qdpx(project, out, target=target, scope=scope_from(options), pseudonyms=pseudonyms,
                         check_names=check_names)
    if as_json:
        print_json(asdict(report))
        return
    click.echo(f"Wrote {out} for {target}: {english.count(report.sources, 'source')}, "
               f"{english.count(report.codes, 'code')}, {english.count(report.codings, 'coding')}, "
               f"{english.count(report.cases, 'case')}, {english.count(report.sites, 'site')}, "
               f"{english.count(report.memos, 'memo')}; "
               + ("pseudonyms in place of real names" if pseudonyms else "REAL NAMES kept (--no-pseudonyms)")
               + (" (it replaced the file that was there)" if report.replaced else ""))
    for line in report.left_out:
        click.echo(f"not carried: {line}", err=True)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(qdpx)
