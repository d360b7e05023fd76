"""Inter-coder agreement: two coders and a unit; per code and pooled, agreement, kappa,
alpha and the units coded by both or one. Enter on a code lists its disagreements; Enter
on one opens it in the reader."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Select, Static

from fieldcase.analysis.agreement import UNITS, Result, Settings
from fieldcase.errors import FieldcaseError
from fieldcase.store import coders as store_coders
from fieldcase.store.project import Project
from fieldcase.text.english import count
from fieldcase.tui.changes import FollowsChanges
from fieldcase.tui.screens.orphans import clip
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project

POOLED = "(pooled)"


def figure(number: float | None) -> str:
    return "—" if number is None else f"{number:.3f}"


def table_rows(result: Result) -> list[tuple[str, ...]]:
    """One row per code, then the pooled row: code, agreement, kappa, alpha, both, A only, B only, units."""
    rows: list[tuple[str, ...]] = []
    for key, table in [*result.codes, (POOLED, result.overall)]:
        f = table.figures()
        rows.append((key, figure(f["agreement"]), figure(f["kappa"]), figure(f["alpha"]),
                     str(f["both"]), str(f["a_only"]), str(f["b_only"]), str(f["units"])))
    return rows


class AgreementScreen(FollowsChanges, ModalScreen[tuple[int, int, int] | None]):
    """Agreement per code; Enter drills down to a code's disagreements, then to the reader."""

    DEFAULT_CSS = """
    AgreementScreen { align: center middle; }
    AgreementScreen > Vertical { width: 95%; min-width: 78; max-width: 100%; height: 95%; border: thick $accent; background: $surface; }
    AgreementScreen #choices { height: auto; }
    AgreementScreen Select { width: 1fr; }
    AgreementScreen DataTable { height: 1fr; }
    AgreementScreen #differ { display: none; }
    AgreementScreen.-drilled #differ { display: block; }
    AgreementScreen.-drilled #figures { display: none; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement-back"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.result: Result | None = None
        self.shown: list[dict[str, Any]] = []
        ranked = store_coders.by_codings(project)
        self.coders = [name for name, _ in ranked]
        self.counts = dict(ranked)

    def compose(self) -> ComposeResult:
        options = [(f"{name} ({self.counts[name]})", name) for name in self.coders]
        first = self.coders[0] if self.coders else Select.NULL
        second = self.coders[1] if len(self.coders) > 1 else Select.NULL
        with Vertical():
            with Horizontal(id="choices"):
                yield Select(options, value=first, prompt="coder A", id="coder-a")
                yield Select(options, value=second, prompt="coder B", id="coder-b")
                yield Select([(u, u) for u in UNITS], value="sentence", allow_blank=False, id="unit")
            yield Static("", id="summary", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="figures")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="differ")

    def on_mount(self) -> None:
        self.query_one("#figures", DataTable).add_columns("code", "agreement", "kappa", "alpha", "both",
                                                          "A only", "B only", "units")
        self.query_one("#differ", DataTable).add_columns("source", "only", "text")
        self.after_change()
        self.query_one("#figures", DataTable).focus()

    def settings(self) -> Settings | None:
        a, b, unit = (self.query_one(f"#{name}", Select).value for name in ("coder-a", "coder-b", "unit"))
        if not isinstance(a, str) or not isinstance(b, str) or a == b:
            return None
        return Settings((a, b), unit=str(unit))

    def on_select_changed(self, event: Select.Changed) -> None:
        self.after_change()

    def after_change(self) -> None:
        settings = self.settings()
        if settings is None:
            self._say("Choose two different coders (the project needs codings by two coders).")
            self.query_one("#figures", DataTable).clear()
            return
        self._say(f"Computing {settings.coders[0]} and {settings.coders[1]} by {settings.unit}…")
        self.compute(settings)

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self, settings: Settings) -> None:
        from fieldcase.analysis.agreement import compute

        try:
            with thread_project(self.project.path, self.project.user) as project:
                result = compute(project, settings)
        except FieldcaseError as err:
            self.post_message(WorkFailed("agreement", f"error: {err}"))
            return
        self.post_message(WorkDone("agreement", result))

    def on_work_failed(self, message: WorkFailed) -> None:
        self._say(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        result: Result = message.result
        if result.settings != self.settings():
            return  # a newer choice is on its way
        self.result = result
        table = self.query_one("#figures", DataTable)
        at = table.cursor_row
        table.clear()
        for row in table_rows(result):
            table.add_row(*row, key=row[0])
        if result.codes:
            table.move_cursor(row=min(at, len(result.codes)))
        a, b = result.settings.coders
        self._say(f"A = {a}, B = {b}; by {result.settings.unit}, over the units of the "
                  f"{count(len(result.sources), 'source')} both coded; "
                  f"{count(len(result.disagreements), 'disagreement')}. Enter lists a code's.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "figures":
            self.drill(str(event.row_key.value))
        elif self.shown and event.cursor_row < len(self.shown):
            d = self.shown[event.cursor_row]
            self.dismiss((d["source_id"], d["start"], d["end"]))

    def drill(self, code: str) -> None:
        """List the units where the coders differ on ``code`` (every code for the pooled row)."""
        if self.result is None:
            return
        self.shown = [d for d in self.result.disagreements if code == POOLED or d["code"] == code]
        differ = self.query_one("#differ", DataTable)
        differ.clear()
        for d in self.shown:
            only = d["coder"] if code != POOLED else f"{d['coder']}: {d['code']}"
            differ.add_row(clip(d["source"], 14), clip(only, 22), clip(d["text"], 200))
        self.add_class("-drilled")
        differ.focus()
        self._say(f"{code}: {count(len(self.shown), 'disagreement')} (the coder who applied it). "
                  "Enter opens one in the reader; Esc goes back to the table.")

    def action_back(self) -> None:
        if self.has_class("-drilled"):
            self.remove_class("-drilled")
            self.query_one("#figures", DataTable).focus()
            if self.result is not None:
                self.on_work_done(WorkDone("agreement", self.result))
            return
        self.dismiss(None)

    def _say(self, text: str) -> None:
        self.query_one("#summary", Static).update(text)
