"""Commands over words: frequencies, keyword in context, and the glossary."""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command, scope_from, scope_options
from fieldcase.cli.output import print_json, table, width
from fieldcase.store.project import Project
from fieldcase.text.english import count


@click.command()
@scope_options()
@click.option("--top", type=int, default=50, show_default=True, help="How many words (0 for all).")
@click.option("--min-length", type=int, default=1, show_default=True, help="Leave out shorter words.")
@click.option("--keep-stop-words", is_flag=True, help="Count 的, 了, the, and … too.")
@project_command
@json_option
def words(project: Project, top: int, min_length: int, keep_stop_words: bool, as_json: bool, **kwargs: Any) -> None:
    """The most frequent words, segmented by jieba with the project glossary kept whole.

    Speaker labels are left out; Chinese and English stop words too unless asked.
    """
    from fieldcase.analysis.words import word_counts

    rows = word_counts(project, top=top or None, min_length=min_length, keep_stop_words=keep_stop_words,
                       scope=scope_from(kwargs))
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    most = rows[0].count if rows else 1
    table([{**r.to_dict(), "": "█" * max(1, round(24 * r.count / most))} for r in rows],
          ["word", "count", "sources", "per_10k", ""], max_col=30)


@click.command()
@click.argument("word")
@scope_options()
@click.option("--width", "context", type=click.IntRange(1, 200), default=20, show_default=True,
              help="Characters either side.")
@click.option("--sort", type=click.Choice(["source", "left", "right"]), default="source", show_default=True)
@click.option("--limit", type=int, default=0, help="Show at most N lines (0 for all).")
@click.option("--words", "whole_words", is_flag=True,
              help="Only where jieba reads WORD as a word of its own (the places fieldcase words counts).")
@project_command
@json_option
def kwic(project: Project, word: str, context: int, sort: str, limit: int, whole_words: bool, as_json: bool,
         **kwargs: Any) -> None:
    """Every place WORD occurs, lined up with its context (keyword in context)."""
    from fieldcase.analysis.words import kwic as run

    rows = run(project, word, width=context, sort=sort, limit=limit or None, whole_words=whole_words,
               scope=scope_from(kwargs))
    if as_json:
        print_json(rows)
        return
    for row in rows:
        left = row["left"]
        pad = " " * max(0, 2 * context - width(left))
        click.echo(f"{row['source_id']:>4}:{row['start']:<7} {pad}{left} 【{row['match']}】 {row['right']}")
    click.echo(count(len(rows), "line"), err=not rows)


@click.group()
def glossary() -> None:
    """Terms that word counts keep whole (新乡贤, 村两委, 土地流转)."""


@glossary.command("add")
@click.argument("terms", nargs=-1, required=True)
@click.option("--note", help="What the term means here.")
@project_command
def glossary_add(project: Project, terms: tuple[str, ...], note: str | None) -> None:
    """Add one or more terms."""
    from fieldcase.store import words as store

    for term in terms:
        store.add(project, term, note)
    click.echo(f"Glossary: {len(store.list_all(project))} terms")


@glossary.command("list")
@project_command
@json_option
def glossary_list(project: Project, as_json: bool) -> None:
    """Every term in the glossary."""
    from fieldcase.store import words as store

    rows = store.list_all(project)
    if as_json:
        print_json(rows)
    else:
        table(rows, ["term", "note", "created_by"])


@glossary.command("remove")
@click.argument("term")
@project_command
def glossary_remove(project: Project, term: str) -> None:
    """Take a term out."""
    from fieldcase.store import words as store

    store.remove(project, term)
    click.echo(f"Removed {term}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (words, kwic, glossary):
        cli.add_command(command)
