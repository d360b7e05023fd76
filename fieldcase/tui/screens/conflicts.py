"""What merges and syncs could not decide: both values side by side; m keeps mine, t takes
theirs, a shows settled ones too; a text conflict shows the two texts' difference."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fieldcase.errors import FieldcaseError
from fieldcase.exchange.conflicts import about
from fieldcase.store import merging
from fieldcase.store.project import Project
from fieldcase.text.english import count
from fieldcase.tui.changes import FollowsChanges, announce

DIFF_LINES = 400  # lines of a text difference shown at most


def value(raw: str | None) -> Any:
    """A conflict's side as stored (JSON), or None."""
    return json.loads(raw) if raw is not None else None


def text_difference(project: Project, row: dict[str, Any]) -> list[str]:
    """The changed lines of mine and theirs for a text conflict (a unified view)."""
    mine, theirs = (merging.text_of(project, str(value(row[side]) or "")) or "" for side in ("mine", "theirs"))
    lines = list(difflib.unified_diff(mine.splitlines(), theirs.splitlines(), "mine", "theirs", lineterm="", n=1))
    return lines[:DIFF_LINES] or ["(the two texts are the same)"]


def fit(text: str, cells: int) -> str:
    """``text`` on one line in at most ``cells`` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    flat = " ".join(text.split())
    if cell_len(flat) <= cells:
        return flat
    while cell_len(flat) > cells - 1:
        flat = flat[:-1]
    return flat + "…"


def origin(other: str) -> str:
    """Where a conflict came from, without the project's UUID (``b.fieldcase — name``)."""
    return re.sub(r" \([0-9a-f-]{36}\)$", "", other)


class ConflictsScreen(FollowsChanges, ModalScreen[None]):
    """The open conflicts; m keeps mine, t takes theirs, a toggles settled ones."""

    DEFAULT_CSS = """
    ConflictsScreen { align: center middle; }
    ConflictsScreen > Vertical { width: 95%; min-width: 78; max-width: 100%; height: 90%; border: thick $accent; background: $surface; }
    ConflictsScreen DataTable { height: 1fr; }
    ConflictsScreen #difference { height: 1fr; border-top: solid $primary; display: none; }
    ConflictsScreen #difference.-shown { display: block; }
    """
    BINDINGS = [
        Binding("m", "settle('mine')", "Keep mine", id="conflict-mine"),
        Binding("t", "settle('theirs')", "Take theirs", id="conflict-theirs"),
        Binding("a", "toggle_settled", "Show settled too", id="conflict-all"),
        Binding("escape", "close", "Close", id="conflicts-close"),
        Binding("ctrl+z", "app.undo", "Undo", id="conflicts-undo", show=False),
        Binding("ctrl+y", "app.redo", "Redo", id="conflicts-redo", show=False),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.rows: list[dict[str, Any]] = []
        self.everything = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="summary", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="difference", markup=False)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("#", "status", "what", "field", "mine", "theirs", "from")
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def after_change(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        self.rows = merging.all_conflicts(self.project) if self.everything else merging.open_conflicts(self.project)
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for row in self.rows:
            text = row["what"] == "text"
            held = merging.side_in_place(self.project, row)
            mine = "(text)" if text else fit(("▸" if held == "mine" else "") + str(value(row["mine"])), 16)
            theirs = "(text)" if text else fit(("▸" if held == "theirs" else "") + str(value(row["theirs"])), 16)
            table.add_row(str(row["id"]), row["status"], fit(about(self.project, row), 18),
                          "text" if text else fit(row["field"], 10), mine, theirs,
                          fit(origin(row["other"]), 24), key=str(row["id"]))
        if self.rows:
            table.move_cursor(row=min(at, len(self.rows) - 1))
        waiting = sum(1 for r in self.rows if r["status"] == "open")
        self.query_one("#summary", Static).update(
            (f"{count(waiting, 'open conflict')}: the side marked ▸ is in place until settled. m keeps mine, t takes theirs, "
             f"a {'hides' if self.everything else 'shows'} settled ones; ctrl+z undoes."
             if self.rows else "No open conflicts. (a shows settled ones; Esc goes back.)"))
        self.show_difference()

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_difference()

    def show_difference(self) -> None:
        """Under the table: a text conflict's changed lines, else what it is about and both
        values, in full (the table's columns clip them)."""
        box = self.query_one("#difference", Static)
        row = self.current()
        box.set_class(row is not None, "-shown")
        if row is None:
            return
        if row["what"] == "text":
            box.update(f"{about(self.project, row)}, text; theirs from {origin(row['other'])}\n"
                       + "\n".join(text_difference(self.project, row)))
        else:
            held = merging.side_in_place(self.project, row)
            mark = {side: "  (in place now)" if held == side else "" for side in ("mine", "theirs")}
            box.update(f"{about(self.project, row)}, {row['field']}\nmine:   {value(row['mine'])}{mark['mine']}\n"
                       f"theirs: {value(row['theirs'])}{mark['theirs']}\nfrom:   {origin(row['other'])}")

    def action_settle(self, keep: str) -> None:
        from fieldcase.exchange.conflicts import settle

        row = self.current()
        if row is None:
            return
        try:
            settled = settle(self.project, row["id"], keep)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"Conflict {row['id']} settled: kept {keep} (ctrl+z undoes)")
        for where in settled["kept_edits"]:
            self.notify(f"Your kept edit of the source it deleted is kept in {where}", timeout=20)
        announce(self.app)  # this screen too: its rows are read again

    def action_toggle_settled(self) -> None:
        self.everything = not self.everything
        self.refresh_rows()

    def action_close(self) -> None:
        self.dismiss(None)
