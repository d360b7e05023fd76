"""Retrieval: every segment coded with a code, with its source and context; Enter jumps there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from fieldcase.store import cases, codes, codings
from fieldcase.store.project import Project
from fieldcase.store.rows import Coding
from fieldcase.text.english import count

CONTEXT = 12


class _Shown(Coding):
    """A coding as the list shows it: with its cases' names and its words in context."""

    cases: str
    context: str


class RetrievalScreen(ModalScreen[tuple[int, int, int] | None]):
    """The coded segments of one code (with its descendants)."""

    DEFAULT_CSS = """
    RetrievalScreen { align: center middle; }
    RetrievalScreen > Vertical { width: 90%; height: 80%; border: thick $accent; background: $surface; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="retrieval-close")]

    def __init__(self, project: Project, *, code_id: int | str, coding_ids: set[int] | None = None,
                 where: str | None = None) -> None:
        """``coding_ids``: only these codings (a matrix cell), described by ``where``."""
        super().__init__()
        self.project = project
        self.code = codes.find(project, code_id)
        self.where = where
        found = codings.query(project, code=self.code["id"], descendants=True, with_context=True,
                              with_cases=True)
        if coding_ids is not None:
            found = [r for r in found if r["id"] in coding_ids]
        names = {c["id"]: c["name"] for c in cases.list_all(project)}
        self.rows: list[_Shown] = [
            {
                **row,
                # the case the coding counts for: the speaker's inside a turn, else the source's
                "cases": ", ".join(names[c] for c in row["case_ids"] if c in names) or "—",
                "context": (
                    "…" + row["context_before"][-CONTEXT:] + "【" + row["text"] + "】"
                    + row["context_after"][:CONTEXT] + "…"
                ).replace("\n", " "),
            }
            for row in found
        ]

    def compose(self) -> ComposeResult:
        with Vertical():
            where = f" in {self.where}" if self.where else ""
            yield Label(f"{codes.label(self.code)} ({self.code['key']}){where}: "
                        f"{count(len(self.rows), 'segment')}. Enter opens one.")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("source", "case", "code", "coder", "in context")
        for row in self.rows:
            title = row["source_title"]
            table.add_row(title if len(title) <= 14 else title[:13] + "…", row["cases"][:12], row["code_key"],
                          row["coder"], row["context"][:160], key=str(row["id"]))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = next(r for r in self.rows if str(r["id"]) == event.row_key.value)
        self.dismiss((row["source_id"], row["start"], row["end"]))

    def action_close(self) -> None:
        self.dismiss(None)
