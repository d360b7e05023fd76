"""``fieldcase speaker``: who speaks in a source, who asks, and which case each label is."""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import print_json, table
from fieldcase.store import speakers
from fieldcase.store.project import Project


@click.group()
def speaker() -> None:
    """Speakers of a source: a coding in someone's turn counts for their case.

    Labels equal to a case's name or aliases are linked when a source is imported;
    the interviewer (问, 访谈者, Q, the header's interviewer) is marked as such.
    """


def _describe(row: dict[str, Any]) -> str:
    if row["role"] == "interviewer":
        return f"{row['label']} is the interviewer (their turns count for no case)"
    if row["case_name"]:
        return f"{row['label']} is case {row['case_name']}"
    return f"{row['label']} is linked to no case (their turns count for no case)"


def say_speakers_linked(project: Project) -> None:
    """One line per speaker the command just linked to a case, e.g. ``speaker 李嫂 → 刘霞``
    (``fieldcase speaker link`` changes it)."""
    for row in speakers.linked_by_last_change(project):
        click.echo(f"  speaker {row['label']} → {row['case_name']} (in source {row['source_id']} {row['source']};"
                   f" fieldcase speaker link changes it)")


@speaker.command("list")
@click.argument("source_ref", metavar="SOURCE")
@project_command
@json_option
def speaker_list(project: Project, source_ref: str, as_json: bool) -> None:
    """A source's speakers: label, role, case, how many turns and characters, and who
    decided (fieldcase when it proposed the link itself)."""
    rows = speakers.list_for(project, source_ref)
    if as_json:
        print_json(rows)
        return
    for row in rows:
        row["case"] = row["case_name"] or ""
        row["by"] = row["modified_by"] if row["decided"] else "fieldcase"
    table(rows, ["label", "role", "case", "turns", "chars", "by"])


@speaker.command("link")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("label")
@click.argument("case_ref", metavar="CASE")
@project_command
def speaker_link(project: Project, source_ref: str, label: str, case_ref: str) -> None:
    """Say that LABEL in SOURCE is CASE (the source is linked to CASE too)."""
    click.echo(_describe(speakers.link(project, source_ref, label, case_ref)))


@speaker.command("unlink")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("label")
@project_command
def speaker_unlink(project: Project, source_ref: str, label: str) -> None:
    """Say that LABEL in SOURCE stands for no case."""
    click.echo(_describe(speakers.unlink(project, source_ref, label)))


@speaker.command("role")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("label")
@click.argument("role", type=click.Choice(["interviewer", "speaker"]))
@project_command
def speaker_role(project: Project, source_ref: str, label: str, role: str) -> None:
    """Mark LABEL in SOURCE as the interviewer, or as a speaker again."""
    click.echo(_describe(speakers.set_role(project, source_ref, label, role)))


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(speaker)
