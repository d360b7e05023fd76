"""Sync with the team hub in a worker: the stages as they go, then what came and went.
A hub that wants a password none of libpq's places holds asks for it here."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from fieldcase.errors import FieldcaseError
from fieldcase.text.english import count
from fieldcase.tui.changes import announce
from fieldcase.tui.workers import WorkDone, WorkFailed, WorkNote, thread_project

STAGES = {"connecting": "connecting to the hub…", "pulling": "pulling the team's work…",
          "merging": "merging it into yours…", "pushing": "pushing yours…"}


def describe(report: Any) -> str:
    """What a sync pulled and pushed, and its conflicts."""
    pulled = report.pulled
    came = sum(pulled.added.values()) + sum(pulled.updated.values()) + sum(pulled.deleted.values())
    lines = [f"pulled {count(pulled.groups, 'change')} of the team ({count(came, 'row')} added, updated or deleted here)",
             "pushed nothing: your role may only read the hub" if report.read_only
             else f"pushed {count(report.pushed_groups, 'change')} of yours ({count(sum(report.pushed_rows.values()), 'row')})"]
    if pulled.conflicts:
        lines.append(f"{count(len(pulled.conflicts), 'conflict')}: mine stays; C lists them")
    lines += pulled.kept_notes()
    if report.purged:
        lines.append(f"erased here what the team purged: {', '.join(p['what'] for p in report.purged)}")
    if report.scrubbed:
        lines.append(f"scrubbed {count(report.scrubbed, 'purge')} of yours from the hub")
    return "\n".join(lines)


class PasswordDialog(ModalScreen[str | None]):
    """Ask for the hub password (shown as dots); Enter gives it, Esc gives up."""

    DEFAULT_CSS = """
    PasswordDialog { align: center middle; }
    PasswordDialog > Vertical { width: 70; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="password-cancel")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.prompt, markup=False)
            yield Input(password=True, id="password")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SyncDialog(ModalScreen[Any]):
    """Runs the sync at once; Esc closes once it is over."""

    DEFAULT_CSS = """
    SyncDialog { align: center middle; }
    SyncDialog > Vertical { width: 80; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="sync-close")]

    def __init__(self, project_path: Path, user: str | None) -> None:
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.running = True
        self.report: Any = None
        self.steps: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Sync with the team hub")
            yield Static("", id="progress", markup=False)

    def on_mount(self) -> None:
        self.run_sync()

    def ask_password(self, prompt: str) -> str | None:
        """From the worker thread: the password typed in a dialog (None: given up)."""
        answer: list[str | None] = []
        given = threading.Event()

        def show() -> None:
            def done(value: str | None) -> None:
                answer.append(value)
                given.set()

            self.app.push_screen(PasswordDialog(prompt), done)

        self.app.call_from_thread(show)
        given.wait()
        return answer[0]

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        from fieldcase.exchange.hub import sync_project

        def stage(name: str) -> None:
            self.post_message(WorkNote("sync", STAGES.get(name, name)))

        try:
            with thread_project(self.project_path, self.user) as project:
                report = sync_project(project, self.ask_password, stage=stage)
        except FieldcaseError as err:
            from fieldcase.hubstore.errors import HubUnreachableError

            told = f"error: {err}"
            if isinstance(err, HubUnreachableError):  # say what became of the work, and what to do
                told += ("\nNothing is lost: your work stays here and goes to the hub at your next sync."
                         " Work on, and press ctrl+s again when the network is back.")
            self.post_message(WorkFailed("sync", told))
            return
        self.post_message(WorkDone("sync", report))

    def on_work_note(self, message: WorkNote) -> None:
        self.steps.append(message.text)
        self._show()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self.steps.append(message.error)
        self._show("Esc closes.")
        announce(self.app)  # the title shows the hub offline

    def on_work_done(self, message: WorkDone) -> None:
        self.running = False
        self.report = message.result
        self.steps.append("done.")
        self._show(describe(self.report) + "\nEsc closes.")
        announce(self.app)
        self.notify("Synced with the hub")

    def _show(self, tail: str = "") -> None:
        self.query_one("#progress", Static).update("\n".join([*self.steps, *([tail] if tail else [])]))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.report)
