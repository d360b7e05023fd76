"""The review queue: coding suggestions one by one, one key per decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from fieldcase.errors import FieldcaseError
from fieldcase.store import suggestions
from fieldcase.store.project import Project
from fieldcase.text.english import count
from fieldcase.tui.cells import centred, clip
from fieldcase.tui.widgets.columns import FittedTable, fit_column
from fieldcase.tui.widgets.recent_codes import RecentCodes
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project

NARROW = 110  # below this many columns the code, words and source columns narrow


def code_name(row: Mapping[str, Any]) -> str:
    """A suggestion's code as people name it: Chinese, else English, else its key."""
    name: str = row["code_name_zh"] or row["code_name_en"] or row["code_key"]
    return name


def quote_line(row: dict[str, Any], width: int) -> Text:
    """The suggested words in ``width`` cells, around the first keyword that triggered it."""
    quote = row["quote"].replace("\n", " ")
    spans = sorted((t["start"] - row["start"], t["end"] - row["start"]) for t in row["triggers"])
    start, end = next(((a, b) for a, b in spans if 0 <= a < b <= len(quote)), (0, 0))
    if end == 0:
        return Text(clip(quote, width))
    return centred(quote[:start], quote[start:end], quote[end:], width, style="bold", align=False)


class SuggestionsScreen(ModalScreen[tuple[int, int, int] | None]):
    """Open suggestions for a source (or all): a accept, r reject, w widen, Enter shows it."""

    DEFAULT_CSS = """
    SuggestionsScreen { align: center middle; }
    SuggestionsScreen > Vertical { width: 95%; height: 92%; border: thick $accent; background: $surface; }
    SuggestionsScreen.-narrow > Vertical { width: 100%; height: 100%; }
    SuggestionsScreen #summary { width: 1fr; }
    SuggestionsScreen DataTable { height: 2fr; }
    SuggestionsScreen #quote { height: 1fr; border-top: solid $primary 50%; padding: 0 1; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("a", "accept", "Accept", id="suggestion-accept"),
        Binding("r", "reject", "Reject", id="suggestion-reject"),
        Binding("w", "widen", "Widen", id="suggestion-widen"),
        Binding("g", "generate(False)", "Suggest here", id="suggest-source"),
        Binding("G", "generate(True)", "Suggest everywhere", id="suggest-all"),
        Binding("escape", "close", "Close", id="suggestions-close"),
    ]

    def __init__(self, project: Project, source_id: int | None, recent: RecentCodes | None = None) -> None:
        """``recent``: the workspace's codes for 1–9; an accepted suggestion's code counts as used."""
        super().__init__()
        self.project = project
        self.recent = recent if recent is not None else RecentCodes()
        self.source_id = source_id
        self.here = source_id  # the source open in the reader: g suggests for it again
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="summary")
            yield FittedTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="quote")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("score", "code", "words", "source", "quote"):
            table.add_column(label, key=label)
        self.load()
        if not self.rows:
            self.action_generate(False)

    def load(self, keep: int = 0) -> None:
        """Show the open suggestions, keeping the cursor near row ``keep``."""
        self.rows = suggestions.list_all(self.project, source=self.source_id, order="score")
        self._fill()
        table = self.query_one(DataTable)
        where = "this source" if self.source_id is not None else "all sources"
        self.query_one("#summary", Label).update(
            f"{count(len(self.rows), 'open suggestion')} in {where}. a accept · r reject · w widen · Enter show in "
            "reader · g suggest here · G everywhere")
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
            table.focus()
        self._describe()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_fitted_table_resized(self, event: FittedTable.Resized) -> None:
        if self.rows:
            self._fill(keep_cursor=True)

    def _fill(self, keep_cursor: bool = False) -> None:
        """List the suggestions, the quote column taking the width the others leave."""
        table = self.query_one(DataTable)
        at = table.cursor_row
        narrow = self.has_class("-narrow")
        texts: dict[str, list[str]] = {"score": [], "code": [], "words": [], "source": []}
        for row in self.rows:
            words = ", ".join(dict.fromkeys(t["keyword"] + ("~" if t["kind"] == "fuzzy" else "")
                                            for t in row["triggers"]))
            texts["score"].append(f"{row['score']:.2f}")
            texts["code"].append(clip(code_name(row), 12 if narrow else 20))
            texts["words"].append(clip(words, 12 if narrow else 24))
            texts["source"].append(clip(row["source_title"], 8 if narrow else 16))
        width = fit_column(table, "quote", texts, least=20)
        table.clear()
        for i, row in enumerate(self.rows):
            table.add_row(*(texts[key][i] for key in texts), quote_line(row, width), key=str(i))
        if keep_cursor and self.rows:
            table.move_cursor(row=min(max(at, 0), len(self.rows) - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def _describe(self) -> None:
        row = self._current()
        box = self.query_one("#quote", Static)
        if row is None:
            box.update("")
            return
        text = Text(row["quote"])
        for t in row["triggers"]:
            start, end = t["start"] - row["start"], t["end"] - row["start"]
            if 0 <= start < end <= len(row["quote"]):
                text.stylize("bold reverse" if t["kind"] == "exact" else "underline", start, end)
        head = Text(f"{row['code_key']} · {row['code_name_zh'] or ''} {row['code_name_en'] or ''} · "
                    f"{row['unit']} · score {row['score']:.2f}\n", style="bold")
        box.update(head + text)

    def _decide(self, action: Any, verb: str) -> None:
        row = self._current()
        if row is None:
            return
        at = self.query_one(DataTable).cursor_row
        try:
            action(self.project, row["id"])
        except FieldcaseError as err:
            self.notify(str(err), severity="warning")
            return
        if action is suggestions.accept:
            self.recent.use(row["code_id"])
        self.notify(f"{verb}: {code_name(row)}")
        self.load(keep=at)
        # a widened suggestion may sort elsewhere: the cursor follows it
        index = next((i for i, r in enumerate(self.rows) if r["id"] == row["id"]), None)
        if index is not None:
            self.query_one(DataTable).move_cursor(row=index)
            self._describe()

    def action_accept(self) -> None:
        """Code the suggested span with its code."""
        self._decide(suggestions.accept, "Coded")

    def action_reject(self) -> None:
        """Turn the suggestion down; it is not offered again."""
        self._decide(suggestions.reject, "Rejected")

    def action_widen(self) -> None:
        """Grow the suggestion to its speaker turn, then its paragraph."""
        self._decide(suggestions.widen, "Widened")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows[int(event.row_key.value or 0)]
        self.dismiss((row["source_id"], row["start"], row["end"]))

    def action_generate(self, everywhere: bool) -> None:
        """Make fresh suggestions, for the open source or for every source."""
        self.source_id = None if everywhere else self.here
        self.query_one("#summary", Label).update("Suggesting…")
        self.generate(self.source_id)

    @work(thread=True, exclusive=True, group="suggest")
    def generate(self, source_id: int | None) -> None:
        """Run the suggester in this thread with its own connection."""
        from fieldcase.analysis.suggest import suggest

        try:
            with thread_project(self.project.path, self.project.user) as project:
                found = suggest(project, source=source_id)
        except FieldcaseError as err:
            self.post_message(WorkFailed("suggest", str(err)))
            return
        where = "in this source" if source_id is not None else "in any source"
        new = sum(s.new for s in found)
        self.post_message(WorkDone("suggest", count(new, "new suggestion") if new else f"Nothing new to suggest {where}"))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.notify(message.error, severity="error")
        self.load()

    def on_work_done(self, message: WorkDone) -> None:
        self.notify(message.result)
        self.load()

    def action_close(self) -> None:
        """Back to the workspace."""
        self.dismiss(None)
