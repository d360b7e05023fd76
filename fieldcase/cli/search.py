"""Commands that find words: search and the index behind it."""

from __future__ import annotations

import itertools
import shutil
from typing import Any

import click

from fieldcase.cli.common import json_option, project_command, scope_from, scope_options
from fieldcase.cli.output import clip, print_json, width
from fieldcase.coding.scope import Scope
from fieldcase.store.project import Project
from fieldcase.text.english import count


def screenful() -> int:
    """How many hit lines fit on the terminal (the default --limit)."""
    return max(10, shutil.get_terminal_size((100, 24)).lines - 4)


@click.command()
@click.argument("query")
@scope_options()
@click.option("--fold-variants", is_flag=True, help="Let Traditional and Simplified characters match each other.")
@click.option("--limit", type=int, help="Show at most N hits (default: a screenful; 0 for all).")
@click.option("--context", type=click.IntRange(0, 500), default=20, show_default=True,
              help="Characters of context either side.")
@project_command
@json_option
def search(project: Project, query: str, fold_variants: bool, limit: int | None, context: int,
           as_json: bool, **kwargs: Any) -> None:
    """Find words and phrases in every source: exact places, in Chinese or English.

    QUERY joins words with AND (implied), OR and NOT, groups with parentheses, and
    takes "quoted phrases" whole, spaces included. Case is ignored.
    """
    from fieldcase.store import sources
    from fieldcase.analysis.search import search as run

    if as_json and limit == 0:
        _all_as_json(project, query, fold_variants, context, scope_from(kwargs))
        return
    if limit is None:
        limit = 10_000 if as_json else screenful()
    result = run(project, query, scope_from(kwargs), fold_variants=fold_variants, limit=limit or None,
                 context=context)
    titles = {r["id"]: r["title"] for r in sources.list_all(project)}
    if as_json:
        print_json({
            "query": query,
            "sources": result.sources,
            "complete": result.complete,
            "hits": [{**h.to_dict(), "source_title": titles.get(h.source_id)} for h in result.hits],
        })
        return
    columns = shutil.get_terminal_size((100, 24)).columns
    for hit in result.hits:
        head = f"{hit.source_id:>4}  {hit.start:>6}-{hit.end:<6}  "
        click.echo(head + clip(hit.context, max(20, columns - width(head) - 1)))
    more = "" if result.complete else f" (showing the first {len(result.hits)}; --limit 0 shows all)"
    hits = count(len(result.hits), "hit") if result.complete else f"more than {len(result.hits):,} hits"
    click.echo(f"{hits} in {count(len(result.sources), 'source')}{more}", err=not result.hits)


def _all_as_json(project: Project, query: str, fold_variants: bool, context: int, scope: Scope) -> None:
    """Every hit as the JSON document :func:`search` prints, written as the hits come."""
    from fieldcase.analysis.search import search_all
    from fieldcase.cli.output import json_flat_lines, json_text, raw_escaped
    from fieldcase.store import sources

    ids, hits = search_all(project, query, scope, context=context, fold_variants=fold_variants)
    titles = {r["id"]: r["title"] for r in sources.list_all(project)}
    head = json_text({"query": query, "sources": ids, "complete": True, "hits": []}, indent=2)
    first = next(hits, None)
    if first is None:
        click.echo(head)
        return
    click.echo(head[: -len("[]\n}")] + "[", nl=False)
    batch: list[str] = []
    for hit in itertools.chain([first], hits):
        text = json_flat_lines({**hit.to_dict(), "source_title": titles.get(hit.source_id)}, "    ")
        batch.append(("," if hit is not first else "") + "\n" + text)
        if len(batch) >= _BATCH:  # a few hundred hits at a time: one write, not one per hit
            click.echo(raw_escaped("".join(batch)), nl=False)
            batch.clear()
    click.echo(raw_escaped("".join(batch)) + "\n  ]\n}")


_BATCH = 500


@click.command()
@project_command
def reindex(project: Project) -> None:
    """Rebuild the search index from every source (it is kept up to date by itself)."""
    from fieldcase.store import search_index

    indexed = search_index.rebuild(project)
    click.echo(f"Indexed {count(indexed, 'source')}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (search, reindex):
        cli.add_command(command)
