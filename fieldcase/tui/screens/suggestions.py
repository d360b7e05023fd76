"""The review queue: coding suggestions one by one, one key per decision."""

from __future__ import annotations

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


class SuggestionsScreen(ModalScreen[tuple[int, int, int] | None]):
    """Open suggestions for a source (or all): a accept, r reject, w widen, Enter shows it."""

    DEFAULT_CSS = """
    SuggestionsScreen { align: center middle; }
    SuggestionsScreen > Vertical { width: 95%; height: 92%; border: thick $accent; background: $surface; }
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

    def __init__(self, project: Project, source_id: int | None) -> None:
        super().__init__()
        self.project = project
        self.source_id = source_id
        self.here = source_id  # the source open in the reader: g suggests for it again
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="summary")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="quote")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("score", "code", "words", "source", "quote")
        self.load()
        if not self.rows:
            self.action_generate(False)

    def load(self, keep: int = 0) -> None:
        """Show the open suggestions, keeping the cursor near row ``keep``."""
        self.rows = suggestions.list_all(self.project, source=self.source_id)
        table = self.query_one(DataTable)
        table.clear()
        for i, row in enumerate(self.rows):
            words = ", ".join(dict.fromkeys(t["keyword"] + ("~" if t["kind"] == "fuzzy" else "")
                                            for t in row["triggers"]))
            table.add_row(f"{row['score']:.2f}", row["code_key"], words[:24], row["source_title"][:16],
                          row["quote"].replace("\n", " ")[:90], key=str(i))
        where = "this source" if self.source_id is not None else "all sources"
        self.query_one("#summary", Label).update(
            f"{len(self.rows)} open suggestions in {where}. a accept · r reject · w widen · Enter show in "
            "reader · g suggest here · G everywhere")
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
            table.focus()
        self._describe()

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
        self.notify(f"{verb} {row['code_key']}")
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
        from fieldcase.store.project import open_project
        from fieldcase.text.suggest import suggest

        try:
            with open_project(self.project.path, user=self.project.user) as project:
                found = suggest(project, source=source_id)
        except FieldcaseError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error")
        else:
            where = "in this source" if source_id is not None else "in any source"
            new = sum(s.new for s in found)
            message = count(new, "new suggestion") if new else f"Nothing new to suggest {where}"
            self.app.call_from_thread(self.notify, message)
        self.app.call_from_thread(self.load)

    def action_close(self) -> None:
        """Back to the workspace."""
        self.dismiss(None)
