"""Commands for teams: merge another copy of the project, list and settle conflicts."""

from __future__ import annotations

import json
from typing import Any

import click

from fieldcase.cli.common import json_option, open_from_options, project_command, project_options
from fieldcase.cli.output import print_json, table
from fieldcase.store.project import Project
from fieldcase.text import english


@click.command()
@click.argument("other", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what the merge would bring in; change nothing.")
@project_command
@json_option
def merge(project: Project, other: str, dry_run: bool, as_json: bool) -> None:
    """Bring everything from OTHER (another copy of this project) into this one.

    OTHER is never changed. Work done on one side only is taken; a text corrected on both
    sides in different places takes both corrections; a value, or a text at the same
    place, changed on both sides is a conflict (yours stays, theirs is listed and kept):
    see `fieldcase conflicts`. When the merge changes something, a backup of the file as it
    was is made, and `fieldcase undo` takes the whole merge back. Merging the same copy
    again adds nothing.
    """
    from fieldcase.exchange.merge import merge as run

    report = run(project, other, dry_run=dry_run)
    if as_json:
        print_json(report.to_json())
        return
    head = "Would merge" if dry_run else "Merged"
    click.echo(f"{head} {report.other}: {report.groups} changes new here")
    if report.other_project:
        click.echo("  note: that file is another project, not a copy of this one: its rows were matched by"
                   " names, keys and texts only (an interview edited on one side arrives as a second source)")
    for kind in ("added", "updated", "deleted"):
        counts = getattr(report, kind)
        if counts:
            click.echo(f"  {kind}: " + ", ".join(english.count_rows(n, t) for t, n in sorted(counts.items())))
    if report.merged_texts:
        click.echo(f"  texts corrected on both sides, both corrections kept: {report.merged_texts}")
    if report.reanchored or report.orphaned:
        click.echo(f"  codings re-anchored: {report.reanchored}, orphaned: {report.orphaned}")
    if report.conflicts:
        click.echo(f"  conflicts: {len(report.conflicts)} (fieldcase conflicts lists them)")
    for note in report.kept_notes():
        click.echo(f"  {note}")
    if report.nothing:
        click.echo("  nothing new")
    if report.backup:
        click.echo(f"  backup of the file as it was: {report.backup}")


@click.group(invoke_without_command=True)
@click.option("--all", "everything", is_flag=True, help="Settled ones too.")
@project_options
@json_option
@click.pass_context
def conflicts(ctx: click.Context, project_path: str | None, user: str | None, everything: bool,
              as_json: bool) -> None:
    """What merges could not decide: both values, until settled with `conflicts resolve`."""
    if ctx.invoked_subcommand is not None:
        return  # (the subcommand opens the project its own -p names: never the default one here)
    with open_from_options(project_path, user) as project:
        _list_conflicts(project, everything, as_json)


def _list_conflicts(project: Project, everything: bool, as_json: bool) -> None:
    from fieldcase.store import merging

    rows = merging.all_conflicts(project) if everything else merging.open_conflicts(project)
    shown = [_shown(project, r) for r in rows]
    if as_json:
        print_json(shown)
        return
    if not shown:
        click.echo("No open conflicts.")
        return
    table([{**r, **_words(r)} for r in shown], ["id", "status", "about", "field", "kind", "mine", "theirs"])


def _load(value: str | None) -> Any:
    return json.loads(value) if value is not None else None


def _shown(project: Project, row: dict[str, Any]) -> dict[str, Any]:
    """A conflict as listed: what it is about by name; a text conflict with the words that differ."""
    from fieldcase.exchange.conflicts import about, text_places

    load = _load
    out = {"id": row["id"], "status": row["status"], "table": row["table_name"], "row": row["row_uuid"],
           "about": about(project, row), "field": row["field"], "kind": row["what"], "mine": load(row["mine"]),
           "theirs": load(row["theirs"]), "from": row["other"]}
    if row["what"] == "text":
        out["differs"] = [{"mine": mine, "theirs": theirs} for mine, theirs in text_places(project, row)]
    return out


def _words(row: dict[str, Any]) -> dict[str, str]:
    """Both sides for the table: of a text, the words that differ (each place, then how many more)."""
    places = row.get("differs")
    if places is None:
        return {"mine": _clip(row["mine"]), "theirs": _clip(row["theirs"])}
    more = f" (+{len(places) - 1} more)" if len(places) > 1 else ""
    first = places[0] if places else {"mine": "(the same text)", "theirs": "(the same text)"}
    return {side: _clip(" ".join(first[side].split()), 40) + more for side in ("mine", "theirs")}


def _clip(value: Any, width: int = 30) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@conflicts.command("resolve")
@click.argument("conflict_id", type=int)
@click.option("--keep", type=click.Choice(["mine", "theirs"]), required=True)
@project_command
def resolve(project: Project, conflict_id: int, keep: str) -> None:
    """Settle conflict CONFLICT_ID, keeping mine or theirs (undo takes it back)."""
    from fieldcase.exchange.conflicts import settle

    settled = settle(project, conflict_id, keep)
    click.echo(f"Conflict {conflict_id} settled: kept {keep}")
    for where in settled["kept_edits"]:
        click.echo(f"  your kept edit of the source it deleted is kept in {where} (undo brings the source back)")


def register(group: click.Group) -> None:
    """Add this module's commands to the fieldcase command group."""
    group.add_command(merge)
    group.add_command(conflicts)
