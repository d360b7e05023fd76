"""Whole projects in and out from the workspace (REFI-QDA ``.qdpx``): export this project
for NVivo, ATLAS.ti, MAXQDA or the standard, or import another tool's project into it. It
runs in a thread worker with a progress bar, Esc cancels an export under way, and the
report (what was written or imported, and what could not be carried) is shown when done."""

from __future__ import annotations

import threading
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, RichLog, Select

from fieldcase.text import english
from fieldcase.text.refi_positions import COUNTING_WORDS
from fieldcase.text.refi_targets import TARGETS
from fieldcase.tui.workers import (WorkDone, WorkFailed, WorkNote, WorkProgress, failures_told, progress_to,
                                   thread_project)

ACTIONS = [("export this project", "export"), ("import a .qdpx into this project", "import")]
def report_lines(report: Any) -> list[str]:
    """A report (of export or import) as lines: its counts, then what it could not carry."""
    fields = asdict(report) if is_dataclass(report) and not isinstance(report, type) else dict(report or {})
    counts = [f"{name.replace('_', ' ')}: {value:,}" for name, value in fields.items()
              if isinstance(value, int) and not isinstance(value, bool)]
    lines = [", ".join(counts)] if counts else []
    lines += [f"{name}: " + ", ".join(english.count_plural(n, what) for what, n in value.items())
              for name, value in fields.items() if isinstance(value, dict) and value]
    for name, value in fields.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            lines += [f"{name.replace('_', ' ')}: {v}" for v in value]
    return lines


def names_label(pseudonyms: bool) -> str:
    """The pseudonyms checkbox's words, which say its state (not by colour alone)."""
    return ("on: pseudonyms in place of real names (checked: none left)" if pseudonyms
            else "OFF: the file will hold the real names")


class QdpxDialog(ModalScreen[bool]):
    """Export or import a REFI-QDA project; returns whether the project was changed."""

    DEFAULT_CSS = """
    QdpxDialog { align: center middle; }
    QdpxDialog > Vertical { width: 100; max-width: 100%; height: 26; max-height: 100%;
                            border: thick $accent; background: $surface; padding: 0 1; }
    QdpxDialog Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto; }
    QdpxDialog #intro { width: 1fr; }
    QdpxDialog Grid > Label { color: $text-muted; }
    QdpxDialog Grid > *:disabled { opacity: 0.4; }
    QdpxDialog ProgressBar { height: 1; margin: 1 0 0 0; }
    QdpxDialog RichLog { height: 1fr; border: round $primary 50%; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="qdpx-cancel"),
        Binding("ctrl+s", "run", "Run", id="qdpx-run"),
    ]

    def __init__(self, project_path: Path, user: str | None, *, action: str = "export",
                 file: str | None = None) -> None:
        """``action`` and ``file`` filled in; given a file to import (the import dialog hands
        a ``.qdpx`` over), the import starts at once."""
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.action, self.file = action, file
        self.cancel_event = threading.Event()
        self.running = False
        self.changed = False

    def compose(self) -> ComposeResult:
        default = self.file or str(Path.home() / "fieldcase-exports" / f"{self.project_path.stem}.qdpx")
        with Vertical():
            yield Label("REFI-QDA project (.qdpx): choose, then ctrl+s (or Enter in the file). Esc cancels or closes.",
                        id="intro")
            with Grid():
                yield Label("do")
                yield Select(ACTIONS, value=self.action, allow_blank=False, id="action", compact=True)
                yield Label("for")
                yield Select([(t.label, name) for name, t in TARGETS.items()], value="standard", allow_blank=False,
                             id="target", compact=True)
                yield Label("file")
                yield Input(default, placeholder="the .qdpx to write, or those to read (separated by ';')",
                            id="file", compact=True)
                yield Label("names")
                yield Checkbox(names_label(True), value=True, id="pseudonyms", compact=True)
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield RichLog(id="report", wrap=True, markup=False, min_width=20)

    def on_mount(self) -> None:
        self._export_fields(self.action == "export")
        if self.action == "import" and self.file:
            self.action_run()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "action":
            self._export_fields(event.value == "export")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = names_label(event.value)

    def _export_fields(self, exporting: bool) -> None:
        """The target and pseudonyms matter to an export alone: an import hides them (and their labels)."""
        fields = list(self.query_one(Grid).children)
        for name in ("#target", "#pseudonyms"):
            widget = self.query_one(name)
            widget.disabled = not exporting
            widget.display = fields[fields.index(widget) - 1].display = exporting

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def action_run(self) -> None:
        """Start the export or import in a worker thread."""
        if self.running:
            return
        raw = self.query_one("#file", Input).value.strip()
        log = self.query_one(RichLog)
        if not raw:
            log.write("error: give the .qdpx file")
            return
        action = str(self.query_one("#action", Select).value)
        self.running = True
        self.cancel_event.clear()
        self.query_one(ProgressBar).update(total=None, progress=0)
        if action == "export":
            path = Path(raw).expanduser()
            log.write(f"Exporting to {path} …")
            self.run_export(path, str(self.query_one("#target", Select).value),
                            self.query_one("#pseudonyms", Checkbox).value)
        else:
            paths = [Path(p.strip()).expanduser() for p in raw.split(";") if p.strip()]
            log.write(f"Importing {'; '.join(map(str, paths))} …")
            self.run_import(paths)

    @work(thread=True, exclusive=True, group="qdpx")
    def run_export(self, path: Path, target: str, pseudonyms: bool) -> None:
        """Write the .qdpx with this thread's own connection to the project."""
        from fieldcase.reports.exporting import export_qdpx

        if path.suffix.lower() != ".qdpx":
            path = path.with_name(path.name + ".qdpx")
        with failures_told(self, "export"), thread_project(self.project_path, self.user) as project:
            report = export_qdpx(project, path, target=target, pseudonyms=pseudonyms, check_names=pseudonyms,
                                 progress=progress_to(self, "export"), cancel=self.cancel_event)
            self.post_message(WorkDone("export", report))

    @work(thread=True, exclusive=True, group="qdpx")
    def run_import(self, paths: list[Path]) -> None:
        """Import each .qdpx into the project with this thread's own connection: each is one
        change (one undo takes it back), and one that cannot be read is its error line."""
        from fieldcase.errors import FieldcaseError
        from fieldcase.exchange.qdpx.import_project import import_qdpx

        reports = []
        with failures_told(self, "import"), thread_project(self.project_path, self.user) as project:
            for path in paths:
                if self.cancel_event.is_set():
                    break
                try:
                    reports.append(import_qdpx(project, path, progress=progress_to(self, "import"),
                                               cancel=self.cancel_event))
                except FieldcaseError as err:
                    if len(paths) == 1:
                        raise
                    self.post_message(WorkNote("import", f"error: {err}"))
            self.post_message(WorkDone("import", reports))

    def on_work_note(self, message: WorkNote) -> None:
        self.query_one(RichLog).write(message.text)

    def on_work_progress(self, message: WorkProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.query_one(RichLog).write(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        self.running = False
        self.query_one(ProgressBar).update(total=1, progress=1)
        log = self.query_one(RichLog)
        if message.job == "export":
            names = self.query_one("#pseudonyms", Checkbox).value
            log.write("Written, with pseudonyms in place of real names (checked: none left)." if names
                      else "Written, with the REAL NAMES (pseudonyms were off).")
            if message.result.replaced:
                log.write("It replaced the file that was there.")
            for line in report_lines(message.result):
                log.write(line)
            return
        for report in message.result:
            counted = COUNTING_WORDS.get(report.counting, report.counting)
            log.write(f"Imported {report.path} (written by {report.origin or 'an unnamed tool'}; "
                      f"positions read as {counted}).")
            for line in report_lines(report):
                log.write(line)
        if message.result:
            from fieldcase.tui.changes import announce

            self.changed = True
            announce(self.app)

    def action_cancel(self) -> None:
        """Stop the work under way (nothing is written or stored), or close the dialog."""
        if self.running:
            self.cancel_event.set()
            self.notify("Cancelling…")
        else:
            self.dismiss(self.changed)
