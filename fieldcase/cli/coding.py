"""Commands for the codebook and coding: codes, code, uncode, codings, coding, memo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from fieldcase.cli.common import (
    json_option,
    open_from_options,
    project_command,
    project_options,
    scope_from,
    scope_options,
)
from fieldcase.cli.output import clip, print_json, table
from fieldcase.errors import InputError
from fieldcase.store import codes as codebook
from fieldcase.store import codings as store
from fieldcase.store import memos, sources
from fieldcase.store.project import Project
from fieldcase.text.english import count


@click.group(invoke_without_command=True)
@click.pass_context
@project_options
@json_option
def codes(ctx: click.Context, project_path: str | None, user: str | None, as_json: bool) -> None:
    """The codebook: show the tree with counts, or change it with a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    with open_from_options(project_path, user) as project:
        _show_tree(project, as_json)


def _show_tree(project: Project, as_json: bool) -> None:
    from fieldcase.store import codings

    reached = codings.cases_per_code(project)
    tree: list[dict[str, Any]] = [{**node, "cases": reached.get(node["id"], 0)} for node in codebook.tree(project)]
    if as_json:
        print_json(tree)
        return
    if not tree:
        click.echo("(the codebook is empty; add codes with: fieldcase codes add NAME)")
        return
    rows = [
        {**n, "code": "  " * n["depth"] + codebook.label(n), "coded": f"{n['codings']} ({n['total_codings']})"}
        for n in tree
    ]
    table(rows, ["key", "code", "coded", "sources", "cases", "color"], max_col=60)


F = TypeVar("F", bound=Callable[..., Any])

_names = [
    click.option("--zh", "name_zh", help="Chinese name."),
    click.option("--en", "name_en", help="English name."),
]


def _with(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    """Apply a shared list of click options, in order, as one decorator."""

    def wrap(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return wrap


_fields = [
    click.option("--description"),
    click.option("--inclusion", help="When to use the code."),
    click.option("--exclusion", help="When not to."),
    click.option("--example", help="An example quote."),
    click.option("--color", help="#RRGGBB"),
    click.option("--keywords", help="Comma-separated keywords for coding suggestions."),
]


def _keywords(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("keywords") is not None:
        fields["keywords"] = [k.strip() for k in fields["keywords"].replace("，", ",").split(",") if k.strip()]
    return fields


@codes.command("add")
@click.argument("name", required=False)
@_with(_names)
@click.option("--key", help="A stable ASCII key (default: made from the name).")
@click.option("--parent", help="The parent code (key or name).")
@_with(_fields)
@project_command
@json_option
def codes_add(project: Project, name: str | None, key: str | None, parent: str | None, as_json: bool, **fields: Any) -> None:
    """Add a code, named in Chinese, English or both."""
    row = codebook.add(project, name=name, key=key, parent=parent, **_keywords(fields))
    print_json(row) if as_json else click.echo(f"Added code {row['key']} ({codebook.label(row)})")


@codes.command("rename")
@click.argument("code")
@click.argument("new_name", required=False)
@_with(_names)
@project_command
def codes_rename(project: Project, code: str, new_name: str | None, name_zh: str | None, name_en: str | None) -> None:
    """Rename a code: give NEW_NAME (its script says which name) or --zh/--en."""
    from fieldcase.coding.keys import has_han

    if new_name:
        if has_han(new_name):
            name_zh = name_zh or new_name
        else:
            name_en = name_en or new_name
    if not (name_zh or name_en):
        raise InputError("give a new name, or --zh / --en")
    row = codebook.update(project, code, {"name_zh": name_zh, "name_en": name_en})
    click.echo(f"Code {row['key']} is now {codebook.label(row)}")


@codes.command("set")
@click.argument("code")
@_with(_fields)
@project_command
def codes_set(project: Project, code: str, **fields: Any) -> None:
    """Change a code's description, criteria, example, colour or keywords."""
    row = codebook.update(project, code, _keywords(fields))
    click.echo(f"Updated code {row['key']}")


@codes.command("move")
@click.argument("code")
@click.option("--under", "parent", help="The new parent code.")
@click.option("--top", is_flag=True, help="Make it a top-level code.")
@project_command
def codes_move(project: Project, code: str, parent: str | None, top: bool) -> None:
    """Move a code (with its children) under another code, or to the top."""
    if bool(parent) == top:
        raise InputError("say --under PARENT or --top")
    row = codebook.move(project, code, None if top else parent)
    click.echo(f"Moved {row['key']}")


@codes.command("reorder")
@click.argument("code")
@click.argument("position", type=int)
@project_command
def codes_reorder(project: Project, code: str, position: int) -> None:
    """Put a code at POSITION among its siblings (1 = first)."""
    row = codebook.reorder(project, code, position)
    click.echo(f"{row['key']} is now number {position} among its siblings")


@codes.command("merge")
@click.argument("code")
@click.argument("into")
@project_command
@json_option
def codes_merge(project: Project, code: str, into: str, as_json: bool) -> None:
    """Merge CODE into INTO: its codings, children and memos move over; CODE goes."""
    stats = codebook.merge(project, code, into)
    if as_json:
        print_json(stats)
    else:
        click.echo(
            f"Merged: {count(stats['moved'], 'coding')} moved, {count(stats['collapsed'], 'duplicate')} collapsed, "
            f"{count(stats['children'], 'child code')} moved"
        )


@codes.command("delete")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@project_command
def codes_delete(project: Project, code: str, yes: bool) -> None:
    """Delete a code with its child codes, codings and memos (undo brings them back)."""
    row = codebook.find(project, code)
    counts = codebook.impact(project, row["id"])
    click.echo(
        f"Deleting {row['key']} removes {count(counts['codes'], 'code')}, {count(counts['codings'], 'coding')} "
        f"and {count(counts['memos'], 'memo')}."
    )
    if counts["drafts"]:
        click.echo(f"Its summaries hold {count(counts['drafts'], 'draft')} never saved: kept (fieldcase summary "
                   "kept shows them; undo puts them back in their cells).")
    if not yes and not click.confirm("Delete?", default=False):
        click.echo("Nothing deleted.")
        return
    codebook.delete(project, row["id"])
    click.echo("Deleted. (fieldcase undo brings it back.)")


@click.command("code")
@click.argument("source", required=False)
@click.argument("code", required=False)
@click.option("--from-csv", "from_csv", type=click.Path(dir_okay=False),
              help="Code in bulk from a CSV table: source, code, start and end (or quote), coder, memo.")
@click.option("--dry-run", is_flag=True, help="With --from-csv: check every row, code nothing.")
@click.option("--start", type=int)
@click.option("--end", type=int)
@click.option("--quote", help="Code this text, found in the source.")
@click.option("--nth", type=int, default=1, show_default=True, help="Which occurrence of --quote.")
@click.option("--turn", type=int, help="Code the words of this speaker turn (1 = first).")
@click.option("--coder", help="Who is coding (default: the user).")
@click.option("--memo")
@click.option("--in-vivo", is_flag=True, help="Make a new code named by the coded words.")
@click.option("--parent", help="With --in-vivo: the parent of the new code.")
@click.option("--name", help="With --in-vivo: the new code's name (default: the coded words, trimmed).")
@project_command
@json_option
def code_cmd(
    project: Project,
    source: str | None,
    code: str | None,
    from_csv: str | None,
    dry_run: bool,
    start: int | None,
    end: int | None,
    quote: str | None,
    nth: int,
    turn: int | None,
    coder: str | None,
    memo: str | None,
    in_vivo: bool,
    parent: str | None,
    name: str | None,
    as_json: bool,
) -> None:
    """Code a span of SOURCE with CODE: by offsets, by a quote or by a speaker turn.

    Prints the new coding's id. With --from-csv, codes every row of a table in one change
    (one undo takes it back) and prints a line for each row it could not code; the exit
    status is then 1 (the good rows are still coded).
    """
    if from_csv is not None:
        if source or code:
            raise InputError("--from-csv takes its sources and codes from the table; give no SOURCE or CODE")
        _code_from_csv(project, from_csv, dry_run, as_json)
        return
    if dry_run:
        raise InputError("--dry-run goes with --from-csv")
    if not source:
        raise InputError("name the source to code (or give --from-csv FILE)")
    row = sources.find(project, source)
    chosen = [start is not None or end is not None, quote is not None, turn is not None]
    if sum(chosen) != 1:
        raise InputError("say what to code: --start N --end N, --quote TEXT, or --turn N")
    if chosen[0]:
        if start is None or end is None:
            raise InputError("--start and --end go together")
        span = (start, end)
    elif quote is not None:
        span = store.locate_quote(row["text"], quote, nth)
    else:
        span = store.turn_span(project, row["id"], turn)  # type: ignore[arg-type]  # turn is the one option given (checked above)
    if in_vivo:
        coding, _ = store.add_in_vivo(project, row["id"], *span, name=name, parent=parent or code,
                                     coder=coder, memo=memo)
        created = True
    else:
        if not code:
            raise InputError("name the code to apply (or use --in-vivo)")
        coding, created = store.add(project, row["id"], code, *span, coder=coder, memo=memo)
    if as_json:
        print_json({**coding, "created": created})
    else:
        click.echo(coding["id"])


def _code_from_csv(project: Project, path: str, dry_run: bool, as_json: bool) -> None:
    from fieldcase.importers.coding_table import code_from_table

    done = code_from_table(project, path, dry_run=dry_run)
    if as_json:
        print_json({"added": done.added, "existing": done.existing, "dry_run": dry_run,
                    "rejected": [{"row": n, "problem": why} for n, why in done.rejected]})
    else:
        for number, why in done.rejected:
            click.echo(f"{path}: row {number}: {why}", err=True)
        verb = "would code" if dry_run else "coded"
        click.echo(f"{count(done.added, 'new coding')} {verb}, {done.existing} already coded, "
                   f"{count(len(done.rejected), 'row')} rejected")
    if done.rejected:  # as import does: the good rows are coded, and the status says some were not
        raise SystemExit(1)


@click.command("uncode")
@click.argument("coding_id")
@project_command
def uncode(project: Project, coding_id: str) -> None:
    """Remove a coding (undo brings it back)."""
    gone = store.remove(project, coding_id)
    click.echo(f"Removed coding {gone['id']} ({gone['code_key']}: {clip(gone['text'], 40)})")


@click.command("codings")
@scope_options("code", code="Only this code.")
@click.option("--descendants", is_flag=True, help="With --code: include its child codes.")
@scope_options("source", "case", "site", "coder", "source_set", "code_set", source="-", site="-", coder="-",
               case="Only what this case says: codings in its speakers' turns, and in its sources outside turns.")
@click.option("--orphaned", is_flag=True, help="Only codings that lost their words in a text edit.")
@project_command
@json_option
def codings_list(project: Project, orphaned: bool, descendants: bool, as_json: bool, **scope: Any) -> None:
    """Coded segments with their text, by code, source, case, site or coder."""
    rows = store.query(project, scope_from(scope), descendants=descendants,
                       status="orphaned" if orphaned else "active")
    if as_json:
        print_json(rows)
    else:
        table(rows, ["id", "source_id", "source_title", "code_key", "start", "end", "coder", "text"], max_col=50)


@click.group("coding")
def coding() -> None:
    """One coding: write its memo, re-anchor it, or adopt it into the consensus layer."""


@coding.command("memo")
@click.argument("coding_id")
@click.argument("text", required=False, default="")
@project_command
def coding_memo(project: Project, coding_id: str, text: str) -> None:
    """Set the short memo on a coding (empty TEXT clears it)."""
    row = store.set_memo(project, coding_id, text)
    click.echo(f"Coding {row['id']} memo: {row['memo'] or '(none)'}")


@coding.command("reanchor")
@click.argument("coding_id")
@click.option("--start", type=int)
@click.option("--end", type=int)
@click.option("--quote")
@click.option("--nth", type=int, default=1)
@project_command
def coding_reanchor(
    project: Project, coding_id: str, start: int | None, end: int | None, quote: str | None, nth: int
) -> None:
    """Point a coding (e.g. an orphaned one) at new words."""
    found = store.find(project, coding_id)
    if quote is not None:
        start, end = store.locate_quote(sources.find(project, found["source_id"])["text"], quote, nth)
    if start is None or end is None:
        raise InputError("give --start and --end, or --quote")
    row = store.reanchor(project, coding_id, start, end)
    click.echo(f"Coding {row['id']} now covers [{row['start']}, {row['end']}): {clip(row['text'], 50)}")


@coding.command("adopt")
@click.argument("coding_id")
@click.option("--coder", default="consensus", show_default=True, help="The layer to copy it into.")
@project_command
@json_option
def coding_adopt(project: Project, coding_id: str, coder: str, as_json: bool) -> None:
    """Copy a coding (its code and words) into the consensus layer, which reports and
    exports can be limited to with --coder consensus. Undo takes it back."""
    from fieldcase.store import layers

    row, created = layers.adopt(project, coding_id, coder)
    if as_json:
        print_json({**row, "created": created})
    elif created:
        click.echo(f"Adopted into {coder} as coding {row['id']} ({row['code_key']}: {clip(row['text'], 40)})")
    else:
        click.echo(f"{coder} already has it: coding {row['id']}")


@click.group("memo")
def memo() -> None:
    """Memos on the project, a site, case, source, code or coding."""


_targets = [
    click.option("--site"),
    click.option("--case"),
    click.option("--source"),
    click.option("--code"),
    click.option("--coding"),
]


def _target(values: dict[str, str | None]) -> tuple[str, str | None]:
    given = [(k, v) for k, v in values.items() if v is not None]
    if len(given) > 1:
        raise InputError("a memo is about one thing: give only one of --site/--case/--source/--code/--coding")
    return given[0] if given else ("project", None)


@memo.command("add")
@click.argument("text")
@click.option("--title")
@_with(_targets)
@project_command
@json_option
def memo_add(project: Project, text: str, title: str | None, as_json: bool, **targets: str | None) -> None:
    """Write a memo (about the project unless a target is given)."""
    kind, ref = _target(targets)
    row = memos.add(project, kind, ref, text, title=title)
    print_json(row) if as_json else click.echo(f"Memo {row['id']} on {kind} {ref or ''}".rstrip())


@memo.command("list")
@_with(_targets)
@click.option("--project-only", is_flag=True, help="Only memos on the project itself.")
@project_command
@json_option
def memo_list(project: Project, project_only: bool, as_json: bool, **targets: str | None) -> None:
    """List memos, all or about one target; the short memos on codings are listed too."""
    kind, ref = _target(targets)
    if project_only:
        rows = memos.list_all(project, "project")
    elif kind == "project":  # no target given: every memo, and the short memos on codings
        rows = sorted(memos.list_all(project) + memos.coding_notes(project), key=lambda r: r["created_at"])
    else:
        rows = memos.list_all(project, kind, ref)
        if kind == "coding" and ref is not None:
            rows += memos.coding_notes(project, store.find(project, ref)["id"])
    if as_json:
        print_json(rows)
    else:
        table(rows, ["id", "target_type", "target_id", "title", "body", "created_by", "created_at"], max_col=50)


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (codes, code_cmd, uncode, codings_list, coding, memo):
        cli.add_command(command)
