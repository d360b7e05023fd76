"""Search: a query box, a results list with each hit in context; Enter opens a hit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Label, Static

from fieldcase.cli.output import clip
from fieldcase.errors import FieldcaseError
from fieldcase.text.english import count
from fieldcase.tui.screens.hit_coding import MARK, HitCoding, HitTarget, covering_codes
from fieldcase.tui.widgets.hit_table import HitTable
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend

LIMIT = 2000  # hits listed; the count says when there are more


SCOPES = {"site": "site", "case": "case", "kind": "kind", "source": "source", "from": "date_from",
          "to": "date_to", "code": "code"}


def parse_scope(text: str) -> dict[str, str]:
    """``site=X village kind=interview`` as keyword arguments of ``search`` (a value runs
    to the next ``name=``)."""
    import re

    scope: dict[str, str] = {}
    parts = re.split(r"\s*\b(" + "|".join(SCOPES) + r")=", " " + text.strip())
    if parts[0].strip():
        raise ValueError(f"scope: {parts[0].strip()!r} is not name=value (names: {', '.join(SCOPES)})")
    for name, value in zip(parts[1::2], parts[2::2]):
        if not value.strip():
            raise ValueError(f"scope: {name}= needs a value")
        scope[SCOPES[name]] = value.strip()
    return scope


class SearchScreen(HitCoding, ModalScreen[tuple[int, int, int] | None]):
    """Find words in every source and code what is found; returns ``(source_id, start, end)``
    of the hit chosen to open."""

    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 95%; height: 90%; border: thick $accent; background: $surface; }
    SearchScreen Horizontal { height: 3; }
    SearchScreen #query { width: 1fr; }
    SearchScreen #scope { width: 50; }
    SearchScreen Checkbox { width: auto; }
    SearchScreen DataTable { height: 1fr; }
    SearchScreen #hit-info { height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="search-close"),
        Binding("ctrl+l", "focus_query", "Query", id="search-query"),
    ]

    def __init__(self, project_path: Path, user: str | None, query: str = "", *, project: Any = None,
                 recent: RecentCodes | None = None, code_rows: list[dict[str, Any]] | None = None) -> None:
        """``project``, ``recent``, ``code_rows``: the workspace's, for coding hits (see HitCoding)."""
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.initial = query
        self.hits: list[Any] = []
        self.setup_coding(project, recent, code_rows)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label('Words or "quoted phrases"; AND (implied), OR, NOT, ( ). Enter searches; Enter on a hit opens it.')
            with Horizontal():
                yield Input(self.initial, placeholder="返乡 NOT 民宿", id="query")
                yield Input(placeholder="scope: site=… case=… kind=… from=… to=… code=…", id="scope")
                yield Checkbox("繁简 fold variants", id="variants")
            yield Label("", id="summary")
            yield HitTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="hit-info")
            yield RecentLegend()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_column(" ", key=MARK, width=4)
        self.query_one(DataTable).add_columns("source", "at", "in context")
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_search()

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            return
        try:
            scope = parse_scope(self.query_one("#scope", Input).value)
        except ValueError as err:
            self._failed(str(err))
            return
        variants = self.query_one("#variants", Checkbox).value
        self.query_one("#summary", Label).update("Searching…")
        self.search_worker(query, scope, variants)

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: str, scope: dict[str, str], variants: bool) -> None:
        """Search in this thread with its own connection to the project."""
        from fieldcase.store import sources
        from fieldcase.store.project import open_project
        from fieldcase.text.search import search

        try:
            with open_project(self.project_path, user=self.user) as project:
                result = search(project, query, fold_variants=variants, limit=LIMIT, context=30, **scope)
                titles = {r["id"]: r["title"] for r in sources.list_all(project)}
                rows = [(h, titles.get(h.source_id, "?"), h.context) for h in result.hits]
                targets = [HitTarget(h.source_id, h.start, h.end) for h in result.hits]
                covering_codes(project, targets)
        except FieldcaseError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        self.app.call_from_thread(self._show, rows, len(result.sources), result.complete, targets)

    def _failed(self, message: str) -> None:
        self.query_one("#summary", Label).update(f"[b red]{message}[/]")

    def _show(self, rows: list[tuple[Any, str, str]], sources: int, complete: bool,
              targets: list[HitTarget]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.hits = [hit for hit, _, _ in rows]
        self.targets = targets
        for i, (hit, title, context) in enumerate(rows):
            table.add_row(self.mark_cell(targets[i]), clip(title, 24), str(hit.start), context, key=str(i))
        more = "" if complete else f" (the first {len(rows)})"
        self.query_one("#summary", Label).update(f"{count(len(rows), 'hit')}{more} in {count(sources, 'source')}")
        if rows:
            table.focus()
        self.describe_hit()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value or 0)]
        self.dismiss((hit.source_id, hit.start, hit.end))

    def action_focus_query(self) -> None:
        """Back to the query box."""
        self.query_one("#query", Input).focus()

    def action_close(self) -> None:
        """Close without opening a hit."""
        self.dismiss(None)
