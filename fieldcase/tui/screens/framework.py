"""The framework matrix (F in the workspace): cases, grouped by site, down; themes across.

A cell shows the researcher's summary of that case under that theme (clipped), or how many
coded segments it has while it has none. Enter opens the cell (:mod:`.framework_cell`):
its segments beside the summary editor. ``c`` chooses the themes (codes) shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from fieldcase.errors import FieldcaseError
from fieldcase.text.english import count
from fieldcase.tui.cells import clip
from fieldcase.tui.compat import WholeColumns
from fieldcase.tui.changes import FollowsChanges
from fieldcase.tui.workers import WorkDone, WorkFailed, app_project, thread_project

if TYPE_CHECKING:
    from fieldcase.analysis.framework import Matrix

KEYS = "arrows move · Enter open · c add a theme · a all themes · Esc close"
CELL_WIDTH = 18  # columns of a cell's clipped summary


def shown(summary: str, segments: int, width: int = CELL_WIDTH) -> str:
    """What a cell shows: its summary on one line, clipped; else ``·N`` segments; else nothing."""
    if summary:
        return clip(" ".join(summary.split()), width)
    return f"·{segments}" if segments else ""


class FrameworkScreen(FollowsChanges, ModalScreen[tuple[int, int, int] | None]):
    """Cases × themes with the researcher's summaries; returns a place to read (source,
    start, end) when a segment is opened from a cell."""

    DEFAULT_CSS = """
    FrameworkScreen { align: center middle; }
    FrameworkScreen > Vertical { width: 96%; height: 92%; border: thick $accent; background: $surface; }
    FrameworkScreen #summary { width: 1fr; text-style: bold; }
    FrameworkScreen #keys { width: 1fr; color: $text-muted; }
    FrameworkScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("c", "choose_themes", "Themes", id="framework-themes"),
        Binding("a", "all_themes", "All themes", id="framework-all-themes"),
        Binding("escape", "close", "Close", id="framework-close"),
    ]

    def __init__(self, project_path: Path, user: str | None, *, codes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.project_path, self.user = project_path, user
        self.codes = codes
        self.all = False
        self.matrix: Matrix | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Framework matrix: reading…", id="summary")
            yield Label(KEYS, id="keys")
            yield WholeColumns(zebra_stripes=True, fixed_columns=2, cursor_type="cell", id="framework")

    def on_mount(self) -> None:
        self.load()

    def after_change(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="framework")
    def load(self) -> None:
        """Build the matrix in this thread with its own connection."""
        from fieldcase.analysis.framework import build

        try:
            with thread_project(self.project_path, self.user) as project:
                matrix = build(project, codes=self.codes, all_themes=self.all)
        except FieldcaseError as err:
            self.post_message(WorkFailed("framework", f"error: {err}"))
            return
        self.post_message(WorkDone("framework", matrix))

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.query_one("#summary", Label).update(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        message.stop()
        if message.job == "framework":
            self._show(message.result)

    def _show(self, matrix: Matrix) -> None:
        """Fill the table, keeping the cursor where it was."""
        table = self.query_one(DataTable)
        at = table.cursor_coordinate
        self.matrix = matrix
        table.clear(columns=True)
        table.add_column("site", key="site")
        table.add_column("case", key="case")
        for theme in matrix.themes:
            table.add_column(clip(theme.label, CELL_WIDTH), key=str(theme.id))
        for site, members in matrix.sites():
            for number, case in enumerate(members):
                cells = [matrix.cell(case.id, t.id) for t in matrix.themes]
                table.add_row(clip(site, 16) if number == 0 else "", clip(case.name, 16),
                              *[shown(c.summary, c.count) for c in cells], key=str(case.id))
        written = sum(1 for c in matrix.cells.values() if c.summary)
        self.query_one("#summary", Label).update(
            f"Framework matrix: {count(len(matrix.cases), 'case')} × {count(len(matrix.themes), 'theme')}, "
            f"{count(written, 'summary', 'summaries')} written; ·N: coded segments, no summary yet")
        if matrix.cases and matrix.themes:
            table.move_cursor(row=min(at.row, len(matrix.cases) - 1),
                              column=max(2, min(at.column, len(matrix.themes) + 1)))
        table.focus()

    def _at(self, row: int, column: int) -> tuple[int, int] | None:
        """The case and theme (code) ids of a table cell, if it is a theme's cell."""
        if self.matrix is None or column < 2 or row >= len(self.matrix.cases):
            return None
        order = [c for _, members in self.matrix.sites() for c in members]
        return order[row].id, self.matrix.themes[column - 2].id

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: open it."""
        place = self._at(event.coordinate.row, event.coordinate.column)
        if place is None:
            self.notify("Move to a theme's column (right of the case) and press Enter.")
            return
        from fieldcase.tui.screens.framework_cell import CellScreen

        def opened(target: tuple[int, int, int] | None) -> None:
            if target is not None:
                self.dismiss(target)
            else:  # back from the cell: show what is stored now (written there, or by others meanwhile)
                self.load()

        self.app.push_screen(CellScreen(self.project_path, self.user, *place), opened)

    def action_choose_themes(self) -> None:
        """Pick a code to show as the only theme (its sub-codes count in it)."""
        from fieldcase.store import codes
        from fieldcase.tui.dialogs.code_picker import CodePicker

        project = app_project(self.app)
        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                key = codes.find(project, code_id)["key"]
                self.codes = (*self.codes, key) if key not in self.codes else self.codes
                self.load()

        self.app.push_screen(CodePicker(codes.tree(project), title="Add a theme (column)"), chosen)

    def action_all_themes(self) -> None:
        """Back to the default themes, this time with those that have no material yet."""
        self.codes, self.all = (), not self.all
        self.load()

    def action_close(self) -> None:
        """Back to the workspace."""
        self.dismiss(None)

    def column_of(self, code_id: int) -> Any:
        """The table column of a theme (for tests and jumps)."""
        assert self.matrix is not None
        return next(i + 2 for i, t in enumerate(self.matrix.themes) if t.id == code_id)
