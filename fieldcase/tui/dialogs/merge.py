"""Merge another copy of the project: a dry run shows what would come, Enter merges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from fieldcase.errors import FieldcaseError, InputError
from fieldcase.text.english import count
from fieldcase.tui.changes import announce
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project


def check_other(value: str, mine: Path) -> Path:
    """The other copy named in the field, if it can be merged; else an error naming the problem."""
    if not value.strip():
        raise InputError("give the other copy's project file")
    path = Path(value.strip()).expanduser()
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a project file")
    if path.resolve() == mine.resolve():
        raise InputError(f"{path}: that is this project; merge another copy of it")
    return path


def describe(report: Any) -> str:
    """What a merge brings (or brought), table by table, and its conflicts."""
    verb = "would" if report.dry_run else "did"
    if report.groups == 0:
        return "Nothing new there: every change of that copy is here already."
    many = report.groups != 1
    lines = [f"{count(report.groups, 'change')} of theirs {('are' if many else 'is') if report.dry_run else ('were' if many else 'was')} new here."]
    for kind in ("added", "updated", "deleted"):
        counts = getattr(report, kind)
        if counts:
            lines.append(f"{kind}: " + ", ".join(f"{table} {n}" for table, n in sorted(counts.items())))
    if report.reanchored or report.orphaned:
        lines.append(f"codings re-anchored: {report.reanchored}, orphaned: {report.orphaned}")
    if report.conflicts:
        listed = "; ".join(f"{c['table_name']} {c['field']}" for c in report.conflicts[:4])
        more = "…" if len(report.conflicts) > 4 else ""
        lines.append(f"conflicts: {len(report.conflicts)} ({listed}{more}); mine stays, theirs is kept")
    lines += report.kept_notes()
    if report.nothing:
        lines.append(f"It {verb} change nothing here.")
    if report.backup:
        lines.append(f"backup: {report.backup}")
    return "\n".join(lines)


class MergeDialog(ModalScreen[Any]):
    """Name the other copy, Enter for a dry run, Enter again to merge; Esc closes."""

    DEFAULT_CSS = """
    MergeDialog { align: center middle; }
    MergeDialog > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    MergeDialog #report { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="merge-close"),
        Binding("ctrl+z", "app.undo", "Undo", id="merge-undo", show=False),
        Binding("ctrl+y", "app.redo", "Redo", id="merge-redo", show=False),
    ]

    def __init__(self, project_path: Path, user: str | None) -> None:
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.planned: Path | None = None  # the copy a dry run was shown for: Enter merges it
        self.running = False
        self.report: Any = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Merge another copy of this project into it (the other file is never changed).")
            yield Input(placeholder="the other copy's .fieldcase file", id="other")
            yield Static("Enter shows what would come; Enter again merges (a backup is made first; ctrl+z undoes).",
                         id="report", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.planned = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        try:
            path = check_other(event.value, self.project_path)
        except FieldcaseError as err:
            self._say(f"error: {err}")
            return
        dry = self.planned != path
        self.running = True
        self._say("Reading the other copy…" if dry else "Merging…")
        self.run_merge(path, dry)

    @work(thread=True, exclusive=True, group="merge")
    def run_merge(self, path: Path, dry_run: bool) -> None:
        from fieldcase.exchange.merge import merge

        try:
            with thread_project(self.project_path, self.user) as project:
                report = merge(project, path, dry_run=dry_run)
        except FieldcaseError as err:
            self.post_message(WorkFailed("merge", f"error: {err}"))
            return
        self.post_message(WorkDone("merge", (path, report)))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self._say(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        self.running = False
        path, report = message.result
        self.report = report
        text = describe(report)
        if report.dry_run:
            self.planned = None if report.groups == 0 or report.nothing else path
            follow = "\nEnter merges it; Esc closes." if self.planned else ""
            self._say(f"Dry run of {path.name}:\n{text}{follow}")
            return
        self.planned = None
        self._say(f"Merged {path.name}:\n{text}\nctrl+z undoes the merge; Esc closes.")
        announce(self.app)
        self.notify(f"Merged {path.name}" + (f": {count(len(report.conflicts), 'conflict')} (C lists them)"
                                             if report.conflicts else ""))

    def _say(self, text: str) -> None:
        self.query_one("#report", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(self.report)
