"""Word frequencies as a table and a bar chart; Enter on a word lists it in context."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, ProgressBar, Static

from fieldcase.errors import CancelledError, FieldcaseError
from fieldcase.store.rows import CodeNode
from fieldcase.tui.screens.hit_coding import MARK, HitCoding, HitTarget, covering_codes
from fieldcase.tui.widgets.hit_table import HitTable
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend
from fieldcase.tui.workers import WorkDone, WorkFailed, WorkProgress, progress_to, thread_project

TOP = 200
CHART = 25


def bar_chart(rows: list[dict[str, Any]], width: int = 40) -> Text:
    """The most frequent words as horizontal bars, longest first."""
    from fieldcase.text.width import display_width as columns

    chart = Text()
    shown = rows[:CHART]
    if not shown:
        return chart
    most = shown[0]["count"]
    label = max(columns(r["word"]) for r in shown)
    for row in shown:
        pad = " " * (label - columns(row["word"]))
        bar = "█" * max(1, round(width * row["count"] / most))
        chart.append(f"{pad}{row['word']} ")
        chart.append(bar, style="bold cyan")
        chart.append(f" {row['count']}\n")
    return chart


class WordsScreen(HitCoding, ModalScreen[tuple[int, int, int] | None]):
    """The project's most frequent words (jieba, stop words out, glossary terms whole); the
    lines of a word in context can be coded."""

    DEFAULT_CSS = """
    WordsScreen { align: center middle; }
    WordsScreen > Vertical { width: 95%; height: 92%; border: thick $accent; background: $surface; }
    WordsScreen #top { height: 2fr; }
    WordsScreen #words { width: 46; }
    WordsScreen #chart { width: 1fr; padding: 0 1; overflow-y: auto; }
    WordsScreen #kwic { height: 1fr; border-top: solid $primary 50%; }
    WordsScreen #hit-info { height: 1; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="words-close")]

    def __init__(self, project_path: Path, user: str | None, *, project: Any = None,
                 recent: RecentCodes | None = None, code_rows: list[CodeNode] | None = None) -> None:
        """``project``, ``recent``, ``code_rows``: the workspace's, for coding lines (see HitCoding)."""
        super().__init__()
        self.setup_coding(project, recent, code_rows)
        self.project_path = project_path
        self.user = user
        self.rows: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.cancel_event = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Counting words… (jieba's first load takes a few seconds)", id="summary")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            with Horizontal(id="top"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="words")
                yield Static("", id="chart")
            yield HitTable(cursor_type="row", id="kwic")
            yield Static("", id="hit-info")
            yield RecentLegend()

    def on_mount(self) -> None:
        self.query_one("#words", DataTable).add_columns("word", "count", "sources", "per 10k")
        self.query_one("#kwic", DataTable).add_column(" ", key=MARK, width=4)
        self.query_one("#kwic", DataTable).add_columns("source", "at", "left", "word", "right")
        self.count_words()

    @work(thread=True, exclusive=True, group="words")
    def count_words(self) -> None:
        """Segment and count in this thread (cached per text in the project)."""
        from fieldcase.analysis.words import word_counts

        try:
            with thread_project(self.project_path, self.user) as project:
                rows = [r.to_dict() for r in word_counts(project, top=TOP, progress=progress_to(self, "words"),
                                                         cancel=self.cancel_event)]
        except CancelledError:
            return
        except FieldcaseError as err:
            self.post_message(WorkFailed("words", f"error: {err}"))
            return
        self.post_message(WorkDone("words", rows))

    def on_work_progress(self, message: WorkProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one("#summary", Label).update(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        if message.job == "words":
            self._show(message.result)
        else:
            self._show_kwic(*message.result)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.query_one(ProgressBar).display = False
        table = self.query_one("#words", DataTable)
        for i, row in enumerate(rows):
            table.add_row(row["word"], row["count"], row["sources"], f"{row['per_10k']:.1f}", key=str(i))
        self.query_one("#chart", Static).update(bar_chart(rows))
        self.query_one("#summary", Label).update(
            f"The {len(rows)} most frequent words. Enter lists a word in context; Enter there opens it.")
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "words":
            self.show_kwic(self.rows[int(event.row_key.value or 0)]["word"])
        else:
            line = self.lines[int(event.row_key.value or 0)]
            self.dismiss((line["source_id"], line["start"], line["end"]))

    @work(thread=True, exclusive=True, group="kwic")
    def show_kwic(self, word: str) -> None:
        """List every place of ``word`` with its context (found in this thread)."""
        from fieldcase.analysis.words import kwic
        from fieldcase.store import sources

        try:
            with thread_project(self.project_path, self.user) as project:
                lines = kwic(project, word, width=24, limit=1000, whole_words=True)
                listing = {s["id"]: s for s in sources.list_all(project)}
                titles = {i: s["title"] for i, s in listing.items()}
                targets = [HitTarget(line["source_id"], line["start"], line["end"],
                                     text_sha256=listing[line["source_id"]]["text_sha256"] if line["source_id"] in listing else None)
                           for line in lines]
                covering_codes(project, targets)
        except FieldcaseError as err:
            self.post_message(WorkFailed("kwic", f"error: {err}"))
            return
        self.post_message(WorkDone("kwic", (lines, titles, targets)))

    def _show_kwic(self, lines: list[dict[str, Any]], titles: dict[int, str], targets: list[HitTarget]) -> None:
        self.lines, self.targets = lines, targets
        table = self.query_one("#kwic", DataTable)
        table.clear()
        for i, line in enumerate(self.lines):
            title = titles.get(line["source_id"], str(line["source_id"]))
            table.add_row(self.mark_cell(self.targets[i]), title if len(title) <= 16 else title[:15] + "…",
                          str(line["start"]),
                          Text(line["left"], justify="right"),
                          Text(line["match"], style="bold"), line["right"], key=str(i))
        table.focus()
        self.describe_hit()

    def action_close(self) -> None:
        """Stop counting (if still under way) and close."""
        self.cancel_event.set()
        self.dismiss(None)
