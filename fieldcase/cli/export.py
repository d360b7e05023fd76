"""``fieldcase export``: each kind of :mod:`fieldcase.reports.registry` (the coded summary, a
case chapter, coded segments, matrices) in its formats; choices, help and checks come from there."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import Any

import click

from fieldcase.cli.common import project_command, scope_from, scope_options
from fieldcase.reports import registry
from fieldcase.store.project import Project


def _help() -> str:
    """The command's help, naming every kind in the registry with its formats."""
    listed = [f"{k.help} ({', '.join(k.formats)})" for k in registry.KINDS]
    return (f"Export {', '.join(listed[:-1])} or {listed[-1]}.\n\n"
            "Real names in the pseudonym table (fieldcase pseudonym) are replaced in every export, "
            "its file name and Word properties included; --check-names proves it.")


def chapter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a chapter's setting, one for each in the registry (``--lang``, ``--paper`` …)."""
    for setting in reversed(registry.CHAPTER_SETTINGS):
        flag = f"--{setting.name.replace('_', '-')}"
        if setting.flag:
            command = click.option(flag, setting.name, is_flag=True, help=setting.help)(command)
        else:
            kind = click.Choice(setting.choices, case_sensitive=False) if setting.choices else None
            command = click.option(flag, setting.name, type=kind, help=setting.help)(command)
    return command


_DEFAULTS = ", ".join(dict.fromkeys(f"{k.formats[0]} for {k.noun}" for k in registry.KINDS))


@click.command(help=_help())
@click.argument("what", type=click.Choice([k.name for k in registry.KINDS]))
@scope_options("code", "kind", "coder", "source_set", "code_set", codes=True,
               code="Only this code and its sub-codes (repeat for several).",
               kind="Only interviews, observations or documents (summary).")
@click.option("--case", "case_", multiple=True,
              help="Only this case: codings in its speakers' turns, and in its sources outside turns "
                   "(framework, comparison: repeat for several).")
@click.option("--site", multiple=True, help="Only this site's sources (framework, comparison: repeat for several).")
@click.option("--template", help="A template of yours to use instead (see fieldcase templates).")
@click.option("--by", default="case", show_default=True,
              help="Matrix columns: case, site, attr:NAME (a case attribute), or overlap / turn for "
                   "code co-occurrence.")
@click.option("--format", "fmt", type=click.Choice(registry.all_formats()),
              help=f"Default: from --out, else {_DEFAULTS}.")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Word document whose styles and page setup the chapter takes (a journal's house style).")
@click.option("--title", help="The chapter's title (default: the case or site name).")
@click.option("--body-font", help="East Asian font of the body text (default SimSun 宋体).")
@click.option("--heading-font", help="East Asian font of headings (default SimHei 黑体).")
@chapter_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--no-pseudonyms", is_flag=True, help="Keep real names (for internal use only).")
@click.option("--check-names", is_flag=True,
              help="Read the export back and fail, writing nothing, if a listed real name (any spelling) "
                   "still stands anywhere in it; lists each place.")
@project_command
def export(project: Project, what: str, template: str | None, by: str, fmt: str | None, reference_docx: Path | None,
           title: str | None, body_font: str | None, heading_font: str | None, out: Path | None,
           no_pseudonyms: bool, check_names: bool, **options: Any) -> None:
    """Write one export of the registry; its help (:func:`_help`) is made from the registry too."""
    from fieldcase.reports.exporting import default_name, drafts_left, unlisted_warning
    from fieldcase.reports.exporting import export as run

    chapter = {s.name: options.pop(s.name) for s in registry.CHAPTER_SETTINGS}
    entry = registry.find(what)
    fmt = fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else entry.formats[0])
    entry.check_format(fmt, str(out or fmt))
    cases, sites = _several(what, options.pop("case_"), options.pop("site"))
    scope = scope_from({**options, "case_": cases[0] if len(cases) == 1 else None,
                        "site": sites[0] if len(sites) == 1 else None})
    out = out or Path(default_name(project, what, fmt, scope, pseudonyms=not no_pseudonyms))
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    fonts = {k: v for k, v in {"body": body_font, "heading": heading_font}.items() if v}
    run(project, what, fmt, out, scope, by=by, template=template, reference_docx=reference_docx, fonts=fonts,
        title=title, pseudonyms=not no_pseudonyms, check_names=check_names, chapter=chapter, cases=cases,
        sites=sites)
    click.echo(f"Wrote {out}")
    warned = drafts_left(project, what, scope, cases=cases, sites=sites)
    if warned:
        click.echo(warned, err=True)
    unlisted = unlisted_warning(project, out, fmt, pseudonyms=not no_pseudonyms)
    if unlisted:
        click.echo(unlisted, err=True)


def _several(what: str, cases: tuple[str, ...], sites: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cases and sites given; more than one of either only for an export across cases."""
    from fieldcase.errors import InputError

    try:
        return registry.several(what, cases, sites)
    except InputError as err:
        raise click.UsageError(str(err)) from err


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(export)
