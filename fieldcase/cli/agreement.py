"""``fieldcase agreement``: inter-coder agreement between two coders, per code and pooled,
as a table, JSON or a report for a methods appendix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fieldcase.analysis.agreement import UNITS, Result, Settings
from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import clip, print_json, table
from fieldcase.errors import InputError
from fieldcase.reports.registry import AGREEMENT
from fieldcase.store.project import Project
from fieldcase.text.english import count


@click.command("agreement")
@click.option("--coder", "coders", multiple=True, required=True, help="A coder to compare (give two).")
@click.option("--unit", type=click.Choice(UNITS), default="sentence", show_default=True,
              help="What one decision is about: a character, sentence, speaker turn, paragraph or whole source.")
@click.option("--code", "codes", multiple=True, help="Only this code, not its sub-codes (repeat; default: every code "
                                                      "either coder applied).")
@click.option("--source", "sources", multiple=True, help="Only this source (repeat for several).")
@click.option("--case", "cases", multiple=True, help="Only the sources of this case (repeat for several).")
@click.option("--coded-only", is_flag=True, help="Count only units at least one of them coded with a code in scope.")
@click.option("--disagreements", is_flag=True, help="List each unit where they differ, with its text.")
@click.option("--format", "fmt", type=click.Choice(AGREEMENT.formats), help="Write a report (default: from --out).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The report file to write.")
@click.option("--template", help="With md or html: a template of yours (see fieldcase templates).")
@click.option("--no-pseudonyms", is_flag=True, help="Keep real names in the report (for internal use only).")
@click.option("--check-names", is_flag=True, help="Fail, writing nothing, if a listed real name stands in the report.")
@project_command
@json_option
def agreement(project: Project, coders: tuple[str, ...], fmt: str | None, out: Path | None, template: str | None,
              no_pseudonyms: bool, check_names: bool, disagreements: bool, as_json: bool, **scope: Any) -> None:
    """Agreement of two coders: for each code and pooled, the share of units they agree on,
    Cohen's kappa and Krippendorff's alpha (nominal), and units coded by both or one.

    The units are those of every source both coders have coded; a coder applied a code to a
    unit when one of their codings of it overlaps the unit by a character.
    """
    if len(coders) != 2:
        raise InputError("compare two coders: --coder A --coder B")
    settings = Settings((coders[0], coders[1]), unit=scope["unit"], codes=scope["codes"], sources=scope["sources"],
                        cases=scope["cases"], coded_only=scope["coded_only"])
    if fmt or out:
        _report(project, settings, fmt, out, template=template, pseudonyms=not no_pseudonyms, check=check_names)
        return
    from fieldcase.analysis.agreement import compute

    result = compute(project, settings)
    if as_json:
        print_json(result.as_json(disagreements=disagreements))
        return
    _show(result, disagreements)


def _report(project: Project, settings: Settings, fmt: str | None, out: Path | None, *, template: str | None,
            pseudonyms: bool, check: bool) -> None:
    from fieldcase.analysis.agreement import check as check_settings
    from fieldcase.reports.exporting import agreement_name, export_agreement

    check_settings(settings)
    fmt = fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else AGREEMENT.formats[0])
    AGREEMENT.check_format(fmt, str(out or fmt))
    out = out or Path(agreement_name(project, fmt, pseudonyms=pseudonyms))
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    export_agreement(project, out, fmt, settings, template=template, pseudonyms=pseudonyms, check_names=check)
    click.echo(f"Wrote {out}")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _show(result: Result, disagreements: bool) -> None:
    a, b = result.settings.coders
    rows = []
    for key, t in [*result.codes, ("(pooled)", result.overall)]:
        f = t.figures()
        rows.append({"code": key, "units": f["units"], "both": f["both"], f"{a} only": f["a_only"],
                     f"{b} only": f["b_only"], **{k: _figure(f[k]) for k in ("agreement", "kappa", "alpha")}})
    if not result.codes:
        click.echo(f"{a} and {b} have no code in scope in the {count(len(result.sources), 'source')} both coded.")
        return
    table(rows, ["code", "units", "both", f"{a} only", f"{b} only", "agreement", "kappa", "alpha"])
    coded = "units either coded" if result.settings.coded_only else "units"
    click.echo(f"by {result.settings.unit}, over the {coded} of the {count(len(result.sources), 'source')} both coded")
    if disagreements:
        click.echo("")
        if not result.disagreements:
            click.echo("No disagreements.")
        listed = [{**d, "only": d["coder"], "text": clip(d["text"], 60)} for d in result.disagreements]
        if listed:
            table(listed, ["source", "start", "end", "code", "only", "text"], max_col=60)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(agreement)
