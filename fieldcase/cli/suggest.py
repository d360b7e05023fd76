"""Commands for coding suggestions: make them, list them, decide on them."""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command, scope_from, scope_options
from fieldcase.cli.output import print_json, table
from fieldcase.store.project import Project


def _words(triggers: list[dict[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(t["keyword"] + ("~" if t["kind"] == "fuzzy" else "") for t in triggers))


@click.command()
@scope_options("source", "code", "site", "case", "kind", code="Only this code and its sub-codes.",
               site="Only sources from this site.")
@click.option("--unit", type=click.Choice(["sentence", "turn", "paragraph"]), default="sentence", show_default=True,
              help="What a suggestion covers.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--interviewer", is_flag=True, help="Suggest in the interviewer's turns (访谈者, 问, Q) too.")
@project_command
@json_option
def suggest(project: Project, unit: str, min_score: float, interviewer: bool, as_json: bool, **options: Any) -> None:
    """Suggest spans to code from each code's keywords (whole words and near variants).

    The suggestions are stored for review (fieldcase suggestions list|accept|reject|widen);
    spans already coded, suggestions rejected before and the interviewer's questions are
    not offered.
    """
    from fieldcase.store import suggestions
    from fieldcase.analysis.suggest import suggest as run

    scope = scope_from(options)
    run(project, scope, unit=unit, min_score=min_score, interviewer=interviewer)
    rows = suggestions.list_all(project, scope.without("site", "case", "kind"), min_score=min_score)
    _show(rows, as_json)


def _show(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    table([{**r, "words": _words(r["triggers"]), "score": f"{r['score']:.2f}"} for r in rows],
          ["id", "source_id", "start", "code_key", "score", "words", "quote"], max_col=36)


@click.group()
def suggestions() -> None:
    """Review coding suggestions: list, accept, reject or widen them."""


@suggestions.command("list")
@click.option("--status", type=click.Choice(["open", "accepted", "rejected", "all"]), default="open",
              show_default=True)
@scope_options("source", "code", source="Only this source.", code="Only this code and its sub-codes.")
@click.option("--sort", type=click.Choice(["text", "score"]), default="text", show_default=True,
              help="In source and text order, or best first.")
@project_command
@json_option
def list_cmd(project: Project, status: str, sort: str, as_json: bool, **options: Any) -> None:
    """The stored suggestions, in source and text order (or best first)."""
    from fieldcase.store import suggestions as store

    _show(store.list_all(project, scope_from(options), status=None if status == "all" else status, order=sort),
          as_json)


@suggestions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--widen", is_flag=True, help="Widen each to the next larger unit before coding it.")
@click.option("--coder", help="Who codes it (default: you).")
@project_command
def accept(project: Project, ids: tuple[int, ...], widen: bool, coder: str | None) -> None:
    """Code each suggested span with its code; prints the new codings' ids."""
    from fieldcase.store import suggestions as store

    for suggestion_id in ids:
        if widen:
            store.widen(project, suggestion_id)
        coding = store.accept(project, suggestion_id, coder=coder)
        click.echo(f"suggestion {suggestion_id}: coding {coding['id']}")


@suggestions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
@project_command
def reject(project: Project, ids: tuple[int, ...]) -> None:
    """Turn suggestions down; their words are not suggested for the code again."""
    from fieldcase.store import suggestions as store

    for suggestion_id in ids:
        store.reject(project, suggestion_id)
    click.echo(f"Rejected {len(ids)}")


@suggestions.command("widen")
@click.argument("suggestion_id", type=int)
@project_command
@json_option
def widen_cmd(project: Project, suggestion_id: int, as_json: bool) -> None:
    """Grow a suggestion to the next larger unit: sentence → speaker turn → paragraph."""
    from fieldcase.store import suggestions as store

    row = store.widen(project, suggestion_id)
    if as_json:
        print_json(row)
    else:
        click.echo(f"suggestion {suggestion_id}: now the {row['unit']} [{row['start']}, {row['end']})")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (suggest, suggestions):
        cli.add_command(command)
