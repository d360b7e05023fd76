"""A small form dialog: labelled inputs and choices, returned as a dict."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Fields are ``(name, label, value, choices)``; ``choices`` makes a select. Enter saves."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 90; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    FormDialog Grid { grid-size: 2; grid-columns: 18 1fr; height: auto; }
    FormDialog Grid Label { padding: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form-cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str, str, list[str] | None]]) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.form_title}  (Enter saves, Esc cancels)")
            with Grid():
                for name, label, value, choices in self.fields:
                    yield Label(label)
                    if choices:
                        options = [(c, c) for c in choices]
                        yield Select(options, value=value if value in choices else choices[0], allow_blank=False, id=name)
                    else:
                        yield Input(value, id=name)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        values: dict[str, str] = {}
        for name, _, _, choices in self.fields:
            widget: Any = self.query_one(f"#{name}")
            values[name] = str(widget.value) if widget.value is not Select.BLANK else ""
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
