"""Importing files from the workspace: a path, a progress bar, cancel, and what happened.
A REFI-QDA project (``.qdpx``, ``.qde``) is handed over to the REFI-QDA dialog (``Q``), the
one way a project comes in from the workspace."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, RichLog

from fieldcase.errors import FieldcaseError
from fieldcase.exchange.qdpx.archive import is_project_archive
from fieldcase.importers import ImportOptions, ImportResult, import_paths, summary
from fieldcase.importers.safety import backup_before_import
from fieldcase.text.english import count
from fieldcase.tui.workers import WorkDone, WorkFailed, WorkNote, WorkProgress, progress_to, thread_project

PROJECT_SUFFIXES = (".qdpx", ".qde")  # another tool's whole project: the REFI-QDA dialog imports it


class ImportDialog(ModalScreen["int | str"]):
    """Ask for files or folders, import them in a thread, show progress; returns how many, or
    the REFI-QDA project file(s) given, for the workspace to open its REFI-QDA dialog on."""

    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > Vertical { width: 100; max-width: 100%; height: 30; max-height: 100%;
                              border: thick $accent; background: $surface; padding: 0 1; }
    ImportDialog #intro { width: 1fr; }
    ImportDialog RichLog { height: 1fr; border: round $primary 50%; }
    ImportDialog ProgressBar { margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel / close", id="import-cancel")]

    def __init__(self, project_path: Path, user: str | None) -> None:
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.cancel_event = threading.Event()
        self.imported = 0
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import .txt, .md and .docx files or folders, or a REFI-QDA .qdpx project (separate several "
                        "with ';'). Enter starts.", id="intro")
            yield Input(placeholder="~/fieldwork/2024-07 X village", id="paths")
            yield Input(placeholder="site for files whose header names none (optional)", id="site")
            yield ProgressBar(total=1, show_eta=False, id="progress")  # determinate: 0% until it starts
            # min_width: RichLog renders at least 78 columns wide by default, cutting lines in a
            # narrower dialog (an 80-column terminal)
            yield RichLog(id="log", wrap=True, markup=False, min_width=20)

    def on_mount(self) -> None:
        self.query_one("#paths", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        raw = self.query_one("#paths", Input).value
        paths = [Path(p.strip()).expanduser() for p in raw.split(";") if p.strip()]
        if not paths:
            self.notify("Give a file or folder", severity="warning")
            return
        site = self.query_one("#site", Input).value.strip() or None
        projects = [p for p in paths if p.suffix.lower() in PROJECT_SUFFIXES or is_project_archive(p)]
        if projects and len(projects) < len(paths):
            others = "; ".join(str(p) for p in paths if p not in projects)
            self.query_one(RichLog).write(
                f"not imported: a REFI-QDA project ({'; '.join(p.name for p in projects)}) comes in on its own, "
                f"through the REFI-QDA dialog (Q) it opens. Give it alone, then the other files: {others}")
            self.notify("Import a REFI-QDA project (.qdpx, .qde) on its own", severity="warning")
            return
        if projects:
            self.dismiss("; ".join(str(p) for p in projects))  # the REFI-QDA dialog (Q) takes it from here
            return
        self.running = True
        self.run_import(paths, site)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, paths: list[Path], site: str | None) -> None:
        """Import in this worker thread, with its own connection to the project; progress,
        notes and the results come back as messages."""
        try:
            with thread_project(self.project_path, self.user) as project:
                kept = backup_before_import(project, paths)
                if kept:
                    self.post_message(WorkNote("import", f"Backed the project up first: {kept.name}"))
                results = import_paths(project, paths, ImportOptions(site=site),
                                       progress=progress_to(self, "import"), cancel=self.cancel_event)
        except FieldcaseError as err:
            self.post_message(WorkFailed("import", f"error: {err}"))
            return
        self.post_message(WorkDone("import", results))

    def on_work_progress(self, message: WorkProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_work_note(self, message: WorkNote) -> None:
        self.query_one(RichLog).write(message.text)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(RichLog).write(message.error)
        self.running = False

    def on_work_done(self, message: WorkDone) -> None:
        self._report(message.result)

    def _report(self, results: list[ImportResult]) -> None:
        log = self.query_one(RichLog)
        for result in results:
            if result.status == "imported":
                log.write(f"imported  {result.path}  ({result.chars:,} chars, {result.encoding}, {count(result.turns, 'turn')})")
            elif result.status == "unsupported":
                log.write(f"not imported  {result.path}: {result.error}")
            elif result.status != "ignored":  # files that are not documents are counted below
                log.write(f"{result.status:9} {result.path}: {result.error}")
        self.imported = sum(r.status == "imported" for r in results)
        stopped = " (cancelled)" if self.cancel_event.is_set() else ""
        log.write(f"{summary(results)}{stopped}. Esc closes.")
        self.running = False

    def action_cancel(self) -> None:
        """Stop an import under way (after the current file), or close the dialog."""
        if self.running:
            self.cancel_event.set()
            self.notify("Stopping after the current file…")
        else:
            self.dismiss(self.imported)
