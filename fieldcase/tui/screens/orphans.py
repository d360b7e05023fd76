"""Orphaned codings: codings whose words a text edit deleted, with who coded them and what
they had coded; Enter re-anchors one in the reader, x deletes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fieldcase.tui.changes import FollowsChanges
from fieldcase.errors import FieldcaseError
from fieldcase.store import codings
from fieldcase.store.project import Project
from fieldcase.store.rows import Coding
from fieldcase.text.english import count

CONTEXT = 14


def code_name(row: Mapping[str, Any]) -> str:
    """A coding's code as the user knows it: its Chinese or English name, else its key."""
    name: str = row.get("code_name_zh") or row.get("code_name_en") or row["code_key"]
    return name


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def lost_in_context(row: Coding) -> str:
    """The lost words between the text they stood in: ``…before【quote】after…``."""
    before = " ".join(row["context_before"].split())[-CONTEXT:]
    after = " ".join(row["context_after"].split())[:CONTEXT]
    return f"…{before}【{' '.join(row['text'].split())}】{after}…"


class OrphansScreen(FollowsChanges, ModalScreen[Coding | None]):
    """Every orphaned coding; Enter returns the one to re-anchor."""

    DEFAULT_CSS = """
    OrphansScreen { align: center middle; }
    OrphansScreen > Vertical { width: 95%; min-width: 78; max-width: 100%; height: 85%; border: thick $accent; background: $surface; }
    OrphansScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter,r", "reanchor", "Re-anchor in the reader", id="orphan-reanchor"),
        Binding("x,delete", "delete_orphan", "Delete coding", id="orphan-delete"),
        Binding("escape", "close", "Close", id="orphans-close"),
        # A modal screen hides the app's keys: undo and redo are its own here.
        Binding("ctrl+z", "app.undo", "Undo", id="orphans-undo", show=False),
        Binding("ctrl+y", "app.redo", "Redo", id="orphans-redo", show=False),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.rows: list[Coding] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="summary")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("#", "code", "coder", "source", "the lost words【】where they stood")
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def after_change(self) -> None:
        """Undo and redo (ctrl+z, ctrl+y) may have orphaned or restored codings."""
        self.refresh_rows()

    def refresh_rows(self) -> None:
        self.rows = codings.query(self.project, status="orphaned", with_context=True)
        table = self.query_one(DataTable)
        row_at = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(str(row["id"]), clip(code_name(row), 12), clip(row["coder"], 10), clip(row["source_title"], 14),
                          lost_in_context(row), key=str(row["id"]))
        if self.rows:
            table.move_cursor(row=min(row_at, len(self.rows) - 1))
        self.query_one("#summary", Static).update(
            f"{count(len(self.rows), 'orphaned coding')}: a text edit deleted the words "
            f"{'it' if len(self.rows) == 1 else 'they'} coded. Enter re-anchors one (select its new words "
            "in the reader, then Enter); x deletes it; ctrl+z undoes."
            if self.rows else "No orphaned codings: every coding has its words. (Esc goes back.)"
        )

    def _current(self) -> Coding | None:
        table = self.query_one(DataTable)
        if not self.rows:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next(r for r in self.rows if str(r["id"]) == key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row re-anchors it (the table takes Enter before the screen's binding)."""
        event.stop()
        self.action_reanchor()

    def action_reanchor(self) -> None:
        row = self._current()
        if row is not None:
            self.dismiss(row)

    def action_delete_orphan(self) -> None:
        row = self._current()
        if row is None:
            return
        try:
            codings.remove(self.project, row["id"])
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"Deleted coding #{row['id']} ({code_name(row)}: “{clip(row['text'], 20)}”); ctrl+z undoes")
        self.refresh_rows()

    def action_close(self) -> None:
        self.dismiss(None)
