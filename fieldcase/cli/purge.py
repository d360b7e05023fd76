"""Erasure, for a participant who withdraws: ``source purge``, ``case purge`` and ``compact``."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import click

from fieldcase.cli.common import project_command
from fieldcase.store.project import Project
from fieldcase.store.purge import Outcome, Plan
from fieldcase.store.remnants import Place
from fieldcase.text.english import count

# What each table's rows are called when a purge says what goes.
NOUNS = {
    "codings": ("coding with its quote", "codings with their quotes"), "memos": ("memo", "memos"),
    "speakers": ("speaker", "speakers"), "suggestions": ("suggestion", "suggestions"),
    "source_cases": ("case link", "case links"), "source_attribute_values": ("attribute value", "attribute values"),
    "case_attribute_values": ("case attribute value", "case attribute values"),
    "codes": ("in-vivo code", "in-vivo codes"), "pseudonyms": ("pseudonym entry", "pseudonym entries"),
}

# What a row of each table is called when a purge names a place that still holds words.
PLACES = {"memos": "memo", "codes": "code", "cases": "case", "codings": "coding", "sources": "source",
          "sites": "site", "changes": "change log entry", "text_versions": "earlier text"}

_yes = click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
_no_backup = click.option("--no-backup", is_flag=True,
                          help="Do not copy the project into its backup folder first (then nothing can bring back "
                               "what goes).")


def describe(plan: Plan, *, history: bool = False) -> list[str]:
    """What a purge erases, a line for each kind of thing, for the question before it."""
    c = plan.counts
    lines = []
    texts = [f"{c['chars']:,} characters of text"] if c.get("chars") else []
    texts += [count(c["versions"], "earlier version") + " of it" * (not history)] if c["versions"] else []
    texts += [count(c["drafts"], "unsaved edit")] if c["drafts"] else []
    texts += [count(c["files"], "kept edit file")] if c["files"] else []
    if texts:
        lines.append(", ".join(texts))
    rows = [count(c[t], *NOUNS[t]) for t in NOUNS if c.get(t)]
    if rows:
        lines.append(", ".join(rows) + (" that no longer match its text" if history else ""))
    if c["rewritten"]:
        lines.append(f"{count(c['rewritten'], 'row')} changed ("
                     + ("the text kept beside its codings" if history else "speakers linked to no case") + ")")
    if c["entries"]:
        lines.append(f"what {count(c['entries'], 'entry', 'entries')} of the change log hold of it "
                     "(each becomes a note of who purged what, and when)")
    return lines


def where(place: Place) -> str:
    """A place that holds words, for the user: ``code 3 (example)``."""
    table, row_id, column = place
    return f"{PLACES.get(table, table)} {row_id} ({column})"


def ask(project: Project, plan: Plan, yes: bool, backup: bool, *, history: bool = False) -> bool:
    """Say what goes and what stays, and ask (unless ``yes``)."""
    from fieldcase.store.purge import quoted

    what = f"the earlier versions of {plan.titles[0]}" if history else " and ".join(plan.titles)
    click.echo(f"Purging {what} erases for good (it cannot be undone):")
    for line in describe(plan, history=history):
        click.echo(f"  {line}")
    if history:
        click.echo("Its current text, codings, memos and links stay; its earlier changes can no longer be undone.")
    _still(plan)
    elsewhere = quoted(project, plan)
    if elsewhere:
        click.echo("Quoted elsewhere, and kept (answer n, change these, and run this again: the purge then "
                   "erases the change log's copies of them too):")
        for place in elsewhere:
            click.echo(f"  {where(place)}")
    if backup:
        click.echo("A copy of the project is made first, in its backup folder (delete it once you are sure).")
    if yes or click.confirm("Purge?", default=False):
        return True
    click.echo("Nothing purged.")
    return False


def _still(plan: Plan) -> None:
    if plan.kept:
        click.echo("Left as they are (edit them, then erase what they held: fieldcase source purge ID --history):")
        for line in plan.kept:
            click.echo(f"  {line}")


def report(project: Project, outcome: Outcome) -> None:
    """What the purge did, and every file or place that still holds the words."""
    click.echo(f"Purged {outcome.plan.what} (change #{outcome.group_id}); "
               f"{count(outcome.entries, 'log entry', 'log entries')} now say only who purged it and when.")
    if outcome.left:
        click.echo("warning: the project still holds some of its words, quoted elsewhere (change or delete them; "
                   "the change log keeps what they held):", err=True)
        for place in outcome.left:
            click.echo(f"  {where(place)}", err=True)
    elif outcome.held:
        click.echo(f"warning: another program has {project.path.name} open, so the file still holds the words in "
                   "pages it could not yet rewrite: close that program and run fieldcase compact", err=True)
    elif outcome.plan.kept:
        click.echo(f"{project.path.name} holds none of the erased words now; the places listed above were left "
                   "as they are.")
    else:
        click.echo(f"{project.path.name} holds none of its words now.")
    if outcome.backups:
        click.echo(f"warning: {count(len(outcome.backups), 'backup')} still "
                   f"{'holds' if len(outcome.backups) == 1 else 'hold'} its words; delete "
                   f"{'it' if len(outcome.backups) == 1 else 'them'} once you are sure:", err=True)
        for path in outcome.backups:
            made = " (made just now, before the purge)" if path == outcome.backup else ""
            click.echo(f"  {path}{made}", err=True)
        click.echo("  rm " + " ".join(shlex.quote(str(p)) for p in outcome.backups), err=True)
    click.echo("Copies fieldcase does not keep track of (backup --to, a copied project file, exports made "
               "before) still hold the words: delete those too.", err=True)


def _purge(project: Project, planner: Callable[[Project], Plan], yes: bool, no_backup: bool,
           *, history: bool = False) -> None:
    from fieldcase.store.purge import run

    if not ask(project, planner(project), yes, not no_backup, history=history):
        return
    report(project, run(project, planner, backup=not no_backup))


@click.command("purge")
@click.argument("ref", metavar="SOURCE")
@click.option("--history", is_flag=True,
              help="Keep the source as it is now; erase only the texts it had before, the change log's copies of "
                   "everything on it, its unsaved edits, and what no longer matches its text.")
@_yes
@_no_backup
@project_command
def source_purge(project: Project, ref: str, history: bool, yes: bool, no_backup: bool) -> None:
    """Erase a source for good, when a participant withdraws: its text and earlier versions,
    codings with their quotes, memos, speakers, suggestions, unsaved edits, word counts,
    search terms, and its words in the change log (each entry becomes a note of who purged
    what, and when). It cannot be undone. Asks first; lists the backups that still hold it.

    A source deleted earlier (which undo could bring back) is purged by its id.
    """
    from fieldcase.store.source_purge import plan_history, plan_source

    source_id = _source_id(project, ref)
    planner = plan_history if history else plan_source
    _purge(project, lambda p: planner(p, source_id), yes, no_backup, history=history)


def _source_id(project: Project, ref: str) -> int:
    from fieldcase.store.source_purge import locate

    return locate(project, ref)[0]


@click.command("purge")
@click.argument("ref", metavar="CASE")
@_yes
@_no_backup
@project_command
def case_purge(project: Project, ref: str, yes: bool, no_backup: bool) -> None:
    """Erase a case for good, when the person it stands for withdraws: the case with its names,
    aliases, notes, attributes and memos, its links, pseudonym entries for its names that
    nothing left needs, and every source linked to it alone (as `source purge` does).

    Sources it shares with other cases (a group interview) stay: its speakers there are linked
    to no case, and every place that still names them is listed, to edit and then erase with
    `fieldcase source purge ID --history`. It cannot be undone. Asks first.
    """
    from fieldcase.store.cases import find
    from fieldcase.store.withdrawal import plan_case

    case_id = find(project, ref)["id"]
    _purge(project, lambda p: plan_case(p, case_id), yes, no_backup)


@click.command("compact")
@project_command
def compact(project: Project) -> None:
    """Write every change into the project file, empty its -wal and rebuild the file without
    free space (as a purge ends): no deleted bytes are left in it."""
    from fieldcase.store.erasure import compact as run

    before = Path(project.path).stat().st_size
    emptied = run(project)
    after = Path(project.path).stat().st_size
    click.echo(f"{project.path.name}: {before:,} → {after:,} bytes")
    if not emptied:
        click.echo("warning: another program has the project open, so its -wal file could not be emptied; "
                   "close it and run this again", err=True)


def register(cli: click.Group) -> None:
    """Add ``compact`` to the ``fieldcase`` group (the purges join ``source`` and ``case``)."""
    cli.add_command(compact)
