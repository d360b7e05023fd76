"""Exporting from the workspace: what, for which case or site, in which format, where;
the export runs in a thread worker with a progress bar, and Esc cancels it."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select

from fieldcase.errors import CancelledError, FieldcaseError

FORMATS = {"case": ["docx", "md", "html"], "summary": ["md", "html"], "segments": ["xlsx", "csv"],
           "matrix": ["xlsx", "csv"]}


class ExportDialog(ModalScreen[Path | None]):
    """Choose an export and write it; returns the file written (or ``None``)."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 100; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    ExportDialog Horizontal { height: auto; }
    ExportDialog Select { width: 1fr; }
    ExportDialog ProgressBar { margin: 1 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="export-cancel"),
        Binding("ctrl+s", "run", "Export", id="export-run"),
    ]

    def __init__(self, project_path: Path, user: str | None, case: str | None = None) -> None:
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.case = case
        self.cancel_event = threading.Event()
        self.running = False
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export: choose what and where, then ctrl+s (or Enter in a field). Esc cancels.")
            with Horizontal():
                yield Select([(w, w) for w in FORMATS], value="case", allow_blank=False, id="what")
                yield Select([(f, f) for f in FORMATS["case"]], value="docx", allow_blank=False, id="format")
            yield Input(self.case or "", placeholder="case (for a case chapter; or leave blank and give a site)",
                        id="case")
            yield Input(placeholder="site (a chapter on a whole site, or only this site's segments)", id="site")
            yield Input(placeholder="matrix columns: case, site, attr:NAME, overlap or turn", id="by")
            yield Input(str(Path.home() / "fieldcase-exports"), placeholder="folder to write into", id="folder")
            yield Checkbox("keep real names (no pseudonyms; internal use only)", id="real")
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Label("", id="result")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "what":
            formats = FORMATS[str(event.value)]
            self.query_one("#format", Select).set_options([(f, f) for f in formats])
            self.query_one("#format", Select).value = formats[0]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def action_run(self) -> None:
        """Start the export in a worker thread."""
        if self.running:
            return
        what = str(self.query_one("#what", Select).value)
        fmt = str(self.query_one("#format", Select).value)
        case = self.query_one("#case", Input).value.strip() or None
        site = self.query_one("#site", Input).value.strip() or None
        by = self.query_one("#by", Input).value.strip() or "case"
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        real = self.query_one("#real", Checkbox).value
        self.running = True
        self.cancel_event.clear()
        self.query_one(ProgressBar).update(total=None)
        self.query_one("#result", Label).update("Exporting…")
        self.export(what, fmt, case, site, by, folder, real)

    @work(thread=True, exclusive=True, group="export")
    def export(self, what: str, fmt: str, case: str | None, site: str | None, by: str, folder: Path,
               real: bool) -> None:
        """Write the export with this thread's own connection to the project."""
        from fieldcase.reports.exporting import export_to_folder
        from fieldcase.store.project import open_project

        try:
            with open_project(self.project_path, user=self.user) as project:
                out = export_to_folder(project, what, fmt, folder, case=case, site=site, by=by,
                                       pseudonyms=not real, cancel=self.cancel_event)
        except CancelledError:
            self.app.call_from_thread(self._done, None, "Cancelled; nothing was written.")
            return
        except (FieldcaseError, OSError) as err:
            self.app.call_from_thread(self._done, None, f"error: {err}")
            return
        self.app.call_from_thread(self._done, out, f"Wrote {out}")

    def _done(self, out: Path | None, message: str) -> None:
        self.running = False
        self.written = out or self.written
        self.query_one(ProgressBar).update(total=1, progress=1 if out else 0)
        self.query_one("#result", Label).update(message)

    def action_cancel(self) -> None:
        """Stop an export under way, or close the dialog."""
        if self.running:
            self.cancel_event.set()
            self.notify("Cancelling the export…")
        else:
            self.dismiss(self.written)
