"""``fieldcase summary``: the cells of a framework matrix (a case under a code) — set a
summary with the codings it rests on, list them, draft one from the cell's segments, or
delete one."""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command
from fieldcase.cli.output import clip, print_json, table
from fieldcase.store import cells
from fieldcase.store.project import Project


@click.group("summary")
def summary() -> None:
    """Framework summaries: one a case under a code (a cell of the framework matrix)."""


@summary.command("set")
@click.option("--case", "case_", required=True, help="The case (name, site/name or id).")
@click.option("--code", required=True, help="The code, a theme (key, name or id).")
@click.argument("text", required=False)
@click.option("--link", type=int, multiple=True, help="A coding the summary rests on (its id; repeat).")
@click.option("--unlink", type=int, multiple=True, help="A coding to link no more (its id; repeat).")
@click.option("--expect", metavar="TEXT",
              help="Write only if the stored summary is still TEXT (as your script read it); else refuse, "
                   "naming who changed it, and change nothing.")
@click.option("--expect-empty", is_flag=True, help="Write only if the cell has no summary yet.")
@project_command
@json_option
def summary_set(project: Project, case_: str, code: str, text: str | None, link: tuple[int, ...],
                unlink: tuple[int, ...], expect: str | None, expect_empty: bool, as_json: bool) -> None:
    """Write the summary of CASE under CODE (TEXT), and link it to codings. With --expect or
    --expect-empty, a summary someone else changed meanwhile is never overwritten."""
    if text is None and not link and not unlink:
        raise click.UsageError("give the summary's TEXT, or --link / --unlink codings")
    if expect is not None and expect_empty:
        raise click.UsageError("give --expect TEXT or --expect-empty, not both")
    from fieldcase.analysis.framework import save

    if text is not None:
        text = cells.check_text(text)
    try:
        cell = save(project, case_, code, text, link=link, unlink=unlink, expected="" if expect_empty else expect)
    except cells.StaleCellError as err:
        raise cells.StaleCellError(_not_as_expected(err.about, err.cell, expect), err.cell, err.about) from None
    if as_json:
        print_json(cell)
    else:
        n = len(cell["links"])
        click.echo(f"Summary of {cell['case_name']} under {cell['code_key']}: {n} linked coding{'' if n == 1 else 's'}")


def _not_as_expected(about: str, stored: dict[str, Any] | None, expected: str | None) -> str:
    """Why a write with --expect/--expect-empty was refused, saying what is stored now."""
    if stored is None:
        return f"{about}: there is no summary yet (you expected “{clip(expected or '', 40)}”); nothing was written"
    now = clip(" ".join(stored["summary"].split()), 60)
    if expected is None:
        return f"{about}: there is a summary already, {cells.changed_by(stored)}: “{now}”; nothing was written"
    return f"{about}: the summary was changed {cells.changed_by(stored)}, to “{now}”; nothing was written"


@summary.command("list")
@click.option("--case", "case_", help="Only this case's summaries.")
@click.option("--code", help="Only the summaries under this code.")
@project_command
@json_option
def summary_list(project: Project, case_: str | None, code: str | None, as_json: bool) -> None:
    """List the framework summaries (site, case, code, text, links, who wrote it and when)."""
    rows = cells.list_all(project, case=case_, code=code)
    if as_json:
        print_json([{k: r[k] for k in ("uuid", "site", "case_name", "code_key", "summary", "links", "created_by",
                                        "created_at", "modified_by", "modified_at")} for r in rows])
    else:
        table(rows, ["site", "case_name", "code_key", "summary", "links", "modified_by", "modified_at"], max_col=50)


@summary.command("draft")
@click.option("--case", "case_", required=True, help="The case (name, site/name or id).")
@click.option("--code", required=True, help="The code, a theme (key, name or id).")
@click.option("--save", is_flag=True, help="Store the draft as the cell's summary (else only print it).")
@project_command
def summary_draft(project: Project, case_: str, code: str, save: bool) -> None:
    """A first draft of the summary: the speakers' key sentences from the cell's segments
    (those linked, else all), marked [草稿] / [Draft]; stored only with --save."""
    from fieldcase.analysis.framework import draft

    text = draft(project, case_, code)
    click.echo(text)
    if save:
        cell = cells.write(project, case_, code, text)
        click.echo(f"Saved as the summary of {cell['case_name']} under {cell['code_key']}", err=True)


@summary.command("kept")
@click.option("--discard", type=int, help="Throw away this kept draft (its id), for good.")
@project_command
@json_option
def summary_kept(project: Project, discard: int | None, as_json: bool) -> None:
    """Summaries typed in the workspace and never saved (kept drafts), newest first, in
    full; those whose case or code was deleted are marked (undo of the delete puts them
    back in their cells; copy the words from here, or --discard one)."""
    from fieldcase.store import drafts

    kept = drafts.cell_drafts(project)
    if discard is not None:
        if discard not in {d["id"] for d in kept}:
            raise click.UsageError(f"no kept summary draft {discard} (fieldcase summary kept lists them)")
        drafts.discard(project, discard)
        click.echo(f"Discarded kept summary draft {discard}.")
        return
    if as_json:
        print_json([{k: d[k] for k in ("id", "case_name", "code_label", "gone", "text", "created_by", "saved_at")}
                    for d in kept])
        return
    if not kept:
        click.echo("No kept summary drafts.")
    for d in kept:
        gone = f" ({' and '.join(d['gone'])} deleted)" if d["gone"] else ""
        click.echo(f"#{d['id']} {d['case_name']} × {d['code_label']}{gone}, kept {d['saved_at'][:16]} "
                   f"by {d['created_by']}:\n{d['text']}\n")


@summary.command("delete")
@click.option("--case", "case_", required=True, help="The case (name, site/name or id).")
@click.option("--code", required=True, help="The code (key, name or id).")
@project_command
def summary_delete(project: Project, case_: str, code: str) -> None:
    """Delete the summary of CASE under CODE with its links (logged: fieldcase undo brings it back)."""
    cell = cells.get(project, case_, code)
    cells.delete(project, case_, code)
    assert cell is not None
    click.echo(f"Deleted the summary of {cell['case_name']} under {cell['code_key']} (fieldcase undo brings it back)")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(summary)
