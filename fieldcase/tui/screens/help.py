"""The help screen (F1 / ?): every key, its action and the id to remap it by."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    """A table of the bindings in force, with their ids for ``keymap.toml``."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 100; max-width: 100%; height: 85%; border: thick $accent; background: $surface; }
    HelpScreen Label { width: 1fr; padding: 0 1; }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,f1,question_mark", "close", "Close", id="help-close")]

    def __init__(self, rows: list[tuple[str, str, str, str]], keymap_path: str) -> None:
        """``rows``: (where, keys, what it does, id)."""
        super().__init__()
        self.rows = rows
        self.keymap_path = keymap_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Keys. Remap any of them by id in {self.keymap_path}  (e.g. apply-code = \"k\")")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("where", "key", "does", "id")
        for row in self.rows:
            table.add_row(*row)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
