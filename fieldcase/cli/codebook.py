"""Commands to exchange the codebook: REFI-QDA .qdc and a Markdown codebook."""

from __future__ import annotations

from pathlib import Path

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json
from fieldcase.reports.registry import CODEBOOK
from fieldcase.store.project import Project
from fieldcase.text import english

LISTED = 50  # added codes named one by one after an import


@click.group()
def codebook() -> None:
    """Export or import the codebook (REFI-QDA .qdc, Markdown)."""


@codebook.command("export")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(CODEBOOK.formats), help="Default: from OUT's extension.")
@click.option("--names", type=click.Choice(["both", "zh", "en"]), default="both", show_default=True,
              help="Which names other tools see in a .qdc.")
@click.option("--no-pseudonyms", is_flag=True, help="Keep real names (for internal use only).")
@click.option("--check-names", is_flag=True,
              help="Fail, writing nothing, if a listed real name (any spelling) still stands in the file.")
@project_command
def codebook_export(project: Project, out: str, fmt: str | None, names: str, no_pseudonyms: bool,
                    check_names: bool) -> None:
    """Write the codebook as a REFI-QDA .qdc, or as Markdown for a methods appendix, with
    pseudonyms (fieldcase pseudonym) in names, definitions, examples and keys."""
    from fieldcase.reports.exporting import export_codebook

    fmt = fmt or ("md" if Path(out).suffix.lower() in (".md", ".markdown") else "qdc")
    count = export_codebook(project, Path(out), fmt, names=names, pseudonyms=not no_pseudonyms,
                            check_names=check_names)
    click.echo(f"Wrote {english.count(count, 'code')} to {out}")


@codebook.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@project_command
@json_option
def codebook_import(project: Project, path: str, as_json: bool) -> None:
    """Merge a REFI-QDA .qdc (NVivo, ATLAS.ti, MAXQDA, Taguette …) into the codebook."""
    from dataclasses import asdict

    from fieldcase.exchange.qdc import import_codebook

    report = import_codebook(project, path)
    if as_json:
        print_json(asdict(report))
        return
    click.echo(f"Added {english.count(len(report.added), 'code')}, matched {english.count(len(report.matched), 'existing code')}")
    for key in report.added[:LISTED]:
        click.echo(f"  + {key}")
    if len(report.added) > LISTED:
        click.echo(f"  … and {len(report.added) - LISTED:,} more (--json lists them all)")
    if report.sets:
        click.echo(f"Code sets: {', '.join(report.sets)}")
    if report.sets_skipped:
        click.echo(f"({report.sets_skipped} sets were not imported: they hold none of the file's codes)")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(codebook)
