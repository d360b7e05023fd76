"""Writing a memo over several lines: ctrl+s saves, Escape cancels (asking first if
something was changed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from fieldcase.tui.widgets.editor import cursor_to_end


class MemoEditor(ModalScreen[str | None]):
    """A multi-line editor for a memo; returns the text to store, or ``None`` if cancelled."""

    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    MemoEditor > Vertical { width: 90; max-width: 95%; height: 20; max-height: 90%;
                            border: thick $accent; background: $surface; padding: 0 1; }
    MemoEditor TextArea { height: 1fr; }
    MemoEditor #hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save memo", id="memo-save"),
        Binding("escape", "cancel", "Cancel", id="memo-cancel"),
    ]

    def __init__(self, heading: str, text: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.original = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, id="heading")
            yield TextArea(self.original, soft_wrap=True, id="memo")
            yield Label("Enter starts a new line · ctrl+s saves · Esc cancels", id="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        cursor_to_end(area)

    @property
    def text(self) -> str:
        """What the editor holds now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        """Return the memo as written, line breaks and all."""
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        """Close without saving; if something was typed, ask first."""
        if self.text == self.original:
            self.dismiss(None)
            return
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard the changes to this memo?",
                                           "What was typed since the memo was opened is lost.", "Discard"), answered)
