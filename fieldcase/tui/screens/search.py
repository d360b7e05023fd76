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

from fieldcase.coding.scope import Scope, parse
from fieldcase.errors import FieldcaseError
from fieldcase.store.rows import CodeNode
from fieldcase.text.english import count
from fieldcase.tui.cells import centred, clip
from fieldcase.tui.screens.hit_coding import MARK, HitCoding, HitTarget, covering_codes
from fieldcase.tui.widgets.columns import FittedTable, fit_column
from fieldcase.tui.widgets.hit_table import HitTable
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project

LIMIT = 2000  # hits listed; the count says when there are more
CONTEXT = 200  # characters kept each side of a hit, cut to the column's width when shown
NARROW = 110  # below this many columns the source titles and the fold checkbox shorten
HELP = 'Words or "quoted phrases"; AND (implied), OR, NOT, ( ). Enter searches; Enter on a hit opens it.'
HELP_NARROW = 'Words, "phrases", OR, NOT, ( ). Enter searches; Enter on a hit opens it.'


SCOPES = ("site", "case", "kind", "source", "from", "to", "code")  # what the scope box takes


def parse_scope(text: str) -> Scope:
    """``site=X village kind=interview`` as the scope of a search (a value runs to the next
    ``name=``)."""
    return parse(text, SCOPES)


class SearchScreen(HitCoding, ModalScreen[tuple[int, int, int] | None]):
    """Find words in every source and code what is found; returns ``(source_id, start, end)``
    of the hit chosen to open."""

    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 95%; height: 90%; border: thick $accent; background: $surface; }
    SearchScreen Horizontal { height: 3; }
    SearchScreen #query { width: 3fr; min-width: 30; }
    SearchScreen #scope { width: 2fr; max-width: 50; }
    SearchScreen Checkbox { width: auto; }
    SearchScreen DataTable { height: 1fr; }
    SearchScreen #hit-info { height: 1; padding: 0 1; }
    SearchScreen.-narrow > Vertical { width: 100%; height: 100%; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="search-close"),
        Binding("ctrl+l", "focus_query", "Query", id="search-query"),
    ]

    def __init__(self, project_path: Path, user: str | None, query: str = "", *, project: Any = None,
                 recent: RecentCodes | None = None, code_rows: list[CodeNode] | None = None) -> None:
        """``project``, ``recent``, ``code_rows``: the workspace's, for coding hits (see HitCoding)."""
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.initial = query
        self.hits: list[Any] = []
        self.setup_coding(project, recent, code_rows)
        self.titles: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(HELP, id="help")
            with Horizontal():
                yield Input(self.initial, placeholder="返乡 NOT 民宿", id="query")
                yield Input(placeholder="scope: site=… case=… kind=… from=… to=… code=…", id="scope")
                yield Checkbox("繁简 fold variants", id="variants")
            yield Label("", id="summary")
            yield HitTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="hit-info")
            yield RecentLegend()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(" ", key=MARK, width=4)
        table.add_column("source", key="source")
        table.add_column("at", key="at")
        table.add_column("in context", key="context")
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
    def search_worker(self, query: str, scope: Scope, variants: bool) -> None:
        """Search in this thread with its own connection to the project."""
        from fieldcase.analysis.search import search
        from fieldcase.store import sources

        try:
            with thread_project(self.project_path, self.user) as project:
                result = search(project, query, scope, fold_variants=variants, limit=LIMIT, context=CONTEXT)
                listing = {r["id"]: r for r in sources.list_all(project)}
                rows = [(h, listing[h.source_id]["title"] if h.source_id in listing else "?") for h in result.hits]
                targets = [HitTarget(h.source_id, h.start, h.end,
                                     text_sha256=listing[h.source_id]["text_sha256"] if h.source_id in listing else None)
                           for h in result.hits]
                covering_codes(project, targets)
        except FieldcaseError as err:
            self.post_message(WorkFailed("search", str(err)))
            return
        self.post_message(WorkDone("search", (rows, len(result.sources), result.complete, targets)))

    def on_work_failed(self, message: WorkFailed) -> None:
        self._failed(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        self._show(*message.result)

    def _failed(self, message: str) -> None:
        self.query_one("#summary", Label).update(f"[b red]{message}[/]")

    def _show(self, rows: list[tuple[Any, str]], sources: int, complete: bool,
              targets: list[HitTarget]) -> None:
        table = self.query_one(DataTable)
        self.hits = [hit for hit, _ in rows]
        self.titles = [title for _, title in rows]
        self.targets = targets
        self._fill(keep_cursor=False)
        more = "" if complete else f" (the first {len(rows)})"
        self.query_one("#summary", Label).update(f"{count(len(rows), 'hit')}{more} in {count(sources, 'source')}")
        if rows:
            table.focus()
        self.describe_hit()

    def on_resize(self, event: Any) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one("#help", Label).update(HELP_NARROW if narrow else HELP)
        self.query_one(Checkbox).label = "繁简" if narrow else "繁简 fold variants"

    def on_fitted_table_resized(self, event: FittedTable.Resized) -> None:
        if self.hits:
            self._fill()

    def _fill(self, keep_cursor: bool = True) -> None:
        """List the hits, each centred in the width the context column has."""
        table = self.query_one(DataTable)
        row = table.cursor_row if keep_cursor else 0
        narrow = self.has_class("-narrow")
        titles = [clip(title, 12 if narrow else 24) for title in self.titles]
        starts = [str(hit.start) for hit in self.hits]
        width = fit_column(table, "context", {MARK: ["    "], "source": titles, "at": starts})
        table.clear()
        for i, hit in enumerate(self.hits):
            table.add_row(self.mark_cell(self.targets[i]), titles[i], starts[i],
                          centred(hit.left, hit.match, hit.right, width), key=str(i))
        if self.hits:
            table.move_cursor(row=min(max(row, 0), len(self.hits) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value or 0)]
        self.dismiss((hit.source_id, hit.start, hit.end))

    def action_focus_query(self) -> None:
        """Back to the query box."""
        self.query_one("#query", Input).focus()

    def action_close(self) -> None:
        """Close without opening a hit."""
        self.dismiss(None)
