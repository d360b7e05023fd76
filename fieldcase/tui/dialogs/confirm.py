"""Asking before something is deleted or merged: what goes, and a default of no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """A question with what it would do; ``y`` or the action's button confirms, ``n`` or Esc keeps."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 72; max-width: 95%; height: auto; border: thick $error; background: $surface; padding: 0 1; }
    ConfirmDialog #question { text-style: bold; margin: 0 0 1 0; }
    ConfirmDialog Horizontal { height: auto; margin: 1 0 0 0; }
    ConfirmDialog Button { margin: 0 2 0 0; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
        Binding("left,right", "app.focus_next", "Other button", show=False, id="confirm-switch"),
    ]

    def __init__(self, question: str, detail: str, action: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            yield Static(self.detail, id="detail")
            with Horizontal():
                yield Button(f"{self.action} (y)", id="yes", variant="error", compact=True)
                yield Button("Keep (n, Esc)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # Enter at once keeps everything

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
