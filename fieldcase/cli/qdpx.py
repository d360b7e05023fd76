"""Commands to exchange whole projects with other tools: REFI-QDA ``.qdpx``."""

from __future__ import annotations

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json
from fieldcase.store.project import Project

LISTED = 30  # lines of the report shown before "… and N more"


@click.group()
def qdpx() -> None:
    """Import or export whole projects as REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA, QualCoder)."""


@qdpx.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@project_command
@json_option
def qdpx_import(project: Project, path: str, as_json: bool) -> None:
    """Import a REFI-QDA project (.qdpx, or a bare .qde) into the project: sources, codes,
    codings with their coders, cases, variables, notes and sets. What is there already (by
    GUID, then by text or name) is matched, not added twice; what fieldcase cannot hold is
    listed. A file that cannot be read changes nothing; `fieldcase undo` takes it back."""
    from fieldcase.exchange.qdpx.import_project import import_qdpx

    report = import_qdpx(project, path)
    if as_json:
        print_json(report.to_json())
        return
    added = ", ".join(f"{n} {what}" for what, n in report.added.items()) or "nothing"
    matched = ", ".join(f"{n} {what}" for what, n in report.matched.items())
    click.echo(f"Imported {path} ({report.origin or 'unknown tool'}, positions counted as {report.counting}): "
               f"added {added}" + (f"; matched {matched}" if matched else ""))
    if report.not_carried:
        click.echo(f"Not carried ({len(report.not_carried)}):")
        for line in report.not_carried[:LISTED]:
            click.echo(f"  - {line}")
        if len(report.not_carried) > LISTED:
            click.echo(f"  … and {len(report.not_carried) - LISTED} more (--json lists them all)")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(qdpx)
