"""Matrices in the workspace: codes by case, site or attribute, and code co-occurrence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

from fieldcase.errors import FieldcaseError
from fieldcase.text.english import count
from fieldcase.tui.workers import WorkDone, WorkFailed, app_project, thread_project

VIEWS = {"case": "codes × cases", "site": "codes × sites", "overlap": "codes meeting in overlapping codings",
         "turn": "codes meeting in the same speaker turn"}
# in one line at 80 columns
KEYS = "Enter segments · k cases · s sites · a attribute · o overlap · t same turn"


def summary(by: str, codes: int, several: bool) -> str:
    """What the table shows, in a line: its view, how many codes, and how to read its counts."""
    title = VIEWS.get(by, f"codes × {by[5:]}" if by.startswith("attr:") else by)
    line = f"{title}: {count(codes, 'code')}"
    if by in ("overlap", "turn"):
        return line
    line += "; a code counts its sub-codes' codings too"
    # a coding across turns, or outside turns in a source of several cases, counts in each
    return line + ("; in_several: codings counted in more than one column" if several else "")


class MatrixScreen(ModalScreen[tuple[int, int, int] | None]):
    """A table of counts: k cases, s sites, a by an attribute, o overlap, t same turn.
    Enter on a count lists its segments; Enter on one of them opens it in the reader."""

    DEFAULT_CSS = """
    MatrixScreen { align: center middle; }
    MatrixScreen > Vertical { width: 95%; height: 90%; border: thick $accent; background: $surface; }
    MatrixScreen #summary, MatrixScreen #keys { width: 1fr; }
    MatrixScreen #keys { color: $text-muted; }
    MatrixScreen DataTable { height: 1fr; }
    MatrixScreen Input { display: none; }
    MatrixScreen Input.asking { display: block; }
    """
    BINDINGS = [
        Binding("k", "view('case')", "By case", id="matrix-case"),
        Binding("s", "view('site')", "By site", id="matrix-site"),
        Binding("a", "ask_attribute", "By attribute", id="matrix-attribute"),
        Binding("o", "view('overlap')", "Overlapping", id="matrix-overlap"),
        Binding("t", "view('turn')", "Same turn", id="matrix-turn"),
        Binding("escape", "close", "Close", id="matrix-close"),
    ]

    def __init__(self, project_path: Path, user: str | None) -> None:
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.by = "case"
        self.shown: list[dict[str, Any]] = []
        self.columns: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="summary")
            yield Label(KEYS, id="keys")
            yield Input(placeholder="case attribute, e.g. gender or return_year; Enter shows it", id="attribute")
            # the code names stay in view when the columns scroll sideways
            yield DataTable(zebra_stripes=True, fixed_columns=1, id="matrix")

    def on_mount(self) -> None:
        self.action_view("case")

    def action_view(self, by: str) -> None:
        """Count by ``by``: case, site, attr:NAME, overlap or turn."""
        self.by = by
        self.query_one("#summary", Label).update("Counting…")
        self.count(by)

    def action_ask_attribute(self) -> None:
        """Ask which case attribute to count by."""
        box = self.query_one("#attribute", Input)
        box.add_class("asking")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("asking")
        if event.value.strip():
            self.action_view(f"attr:{event.value.strip()}")
        self.query_one(DataTable).focus()

    @work(thread=True, exclusive=True, group="matrix")
    def count(self, by: str) -> None:
        """Count in this thread with its own connection."""
        from fieldcase.analysis import tables
        from fieldcase.store import codes

        # The workspace shows the project as stored (real names, as the sources and F5 do);
        # pseudonyms are for what leaves it, the exports.
        try:
            with thread_project(self.project_path, self.user) as project:
                if by in ("overlap", "turn"):
                    rows = tables.cooccurrence(project, within=by)
                else:
                    rows = tables.matrix(project, by=by)
                names = {c["key"]: (c["name_zh"] or c["name_en"] or c["key"], c["path"]) for c in codes.tree(project)}
        except FieldcaseError as err:
            self.post_message(WorkFailed("matrix", f"error: {err}"))
            return
        self.post_message(WorkDone("matrix", (by, rows, names)))

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.job == "matrix":
            self.query_one("#summary", Label).update(message.error)
        else:
            self.notify(message.error, severity="error")

    def on_work_done(self, message: WorkDone) -> None:
        if message.job == "matrix":
            self._show(*message.result)
        else:
            self._list(*message.result)

    def _show(self, by: str, rows: list[dict[str, Any]], names: dict[str, tuple[str, list[str]]]) -> None:
        """Fill the table: codes by name, indented under their parents (shown for that even
        when they count nothing), columns by case, site or value, or by code for co-occurrence."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        counted = {r["code"] for r in rows if r.get("total", 1)}
        kept = counted | {key for code in counted for key in names.get(code, ("", []))[1]}
        shown = [r for r in rows if r["code"] in kept]
        columns = [k for k in dict.fromkeys(k for r in shown for k in r) if k not in ("code", "name")]
        self.shown, self.columns = shown, ["code", *columns]
        headed_by_code = by in ("overlap", "turn")
        table.add_columns("code", *(names.get(c, (c, 0))[0] if headed_by_code else c for c in columns))
        for row in shown:
            name, path = names.get(row["code"], (row["code"], [row["code"]]))
            table.add_row("  " * (len(path) - 1) + name, *[("" if row.get(c) == 0 else str(row.get(c, ""))) for c in columns])
        self.query_one("#summary", Label).update(summary(by, len(counted), any(r.get("in_several") for r in shown)))
        table.focus()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a count: the segments behind it."""
        if not self.shown or self.by in ("overlap", "turn"):
            if self.by in ("overlap", "turn"):
                self.notify("Segments are listed from the case, site and attribute views (k, s, a).")
            return
        row = self.shown[event.coordinate.row]
        column = self.columns[event.coordinate.column]
        if column in ("code", "name"):
            column = "total"
        if not row.get(column):
            return
        self.cell_segments(self.by, row["code"], None if column == "total" else column)

    @work(thread=True, exclusive=True, group="matrix-cell")
    def cell_segments(self, by: str, code: str, column: str | None) -> None:
        """Find the cell's codings in this thread, then list them."""
        from fieldcase.analysis import tables

        try:
            with thread_project(self.project_path, self.user) as project:
                rows = tables.matrix_cell(project, by=by, code=code, column=column)
        except FieldcaseError as err:
            self.post_message(WorkFailed("matrix-cell", str(err)))
            return
        where = "all" if column is None else column
        self.post_message(WorkDone("matrix-cell", (code, {r["coding_id"] for r in rows}, f"{where} ({VIEWS.get(by, by)})")))

    def _list(self, code: str, coding_ids: set[int], where: str) -> None:
        from fieldcase.tui.screens.retrieval import RetrievalScreen

        project = app_project(self.app)
        def opened(target: tuple[int, int, int] | None) -> None:
            if target is not None:
                self.dismiss(target)

        self.app.push_screen(RetrievalScreen(project, code_id=code, coding_ids=coding_ids, where=where), opened)

    def action_close(self) -> None:
        """Back to the workspace."""
        self.dismiss(None)
