"""A small form dialog: labelled inputs and choices, returned as a dict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from fieldcase.errors import FieldcaseError


def show_refusal(error: Label, reason: object, verb: str = "Not saved") -> None:
    """Show in a form why what was typed was not stored (the form stays, with what was typed)."""
    error.update(f"{verb}: {reason}")
    error.add_class("shown")


def save_or_show(form: ModalScreen[Any], submit: Callable[[Any], Any] | None, values: Any) -> None:
    """Hand ``values`` to ``submit`` and close ``form`` with them; a refusal is shown in the
    form's ``#error`` line instead, and what was typed stays."""
    if submit is not None:
        try:
            submit(values)
        except FieldcaseError as err:
            show_refusal(form.query_one("#error", Label), err)
            return
    form.dismiss(values)


def close_or_ask(form: ModalScreen[Any], typed: bool, question: str, detail: str) -> None:
    """Esc in a form: close it at once when nothing was typed, else ask before throwing
    what was typed away (as every editor does)."""
    if not typed:
        form.dismiss(None)
        return
    from fieldcase.tui.dialogs.confirm import ConfirmDialog

    def answered(discard: bool | None) -> None:
        if discard:
            form.dismiss(None)

    form.app.push_screen(ConfirmDialog(question, detail, "Discard"), answered)


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Fields are ``(name, label, value, choices)``; ``choices`` makes a select. Enter saves.

    With ``submit``, Enter hands it the values first: if it raises a :class:`FieldcaseError`
    (a bad attribute, a name taken), the error shows in the form and what was typed stays.
    """

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    FormDialog Grid { grid-size: 2; grid-columns: 18 1fr; height: auto; }
    FormDialog Grid Label { padding: 1 0 0 0; }
    FormDialog .-compact Grid Label { padding: 0; }
    FormDialog .-compact Grid Input { background: $boost; }
    FormDialog #error { color: $error; display: none; }
    FormDialog #error.shown { display: block; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form-cancel")]
    COMPACT = False  # one line a field always (a form is compact anyway in a short terminal)
    SHORT = 30  # rows below which every form is compact, so that its last field and error line show

    def __init__(
        self, title: str, fields: list[tuple[str, str, str, list[str] | None]],
        submit: Callable[[dict[str, str]], Any] | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit

    def compose(self) -> ComposeResult:
        compact = self.COMPACT or self.app.size.height < self.SHORT
        with Vertical(classes="-compact" if compact else ""):
            yield Label(f"{self.form_title}  (Enter saves, Esc cancels)")
            with Grid() as grid:
                longest = max((cell_len(label) for _, label, _, _ in self.fields), default=0)
                if longest > 16:  # a long label (Other names (aliases)) widens its column
                    grid.styles.grid_columns = f"{longest + 2} 1fr"
                for name, label, value, choices in self.fields:
                    yield Label(label)
                    if choices:
                        options = [(c, c) for c in choices]
                        yield Select(options, value=value if value in choices else choices[0], allow_blank=False,
                                     id=name, compact=compact)
                    else:
                        yield Input(value, id=name, compact=compact)
            yield Label("", id="error")

    def on_mount(self) -> None:
        self.query(Input).first().focus()
        self.original = self.values()

    def values(self) -> dict[str, str]:
        """What the fields hold now."""
        values: dict[str, str] = {}
        for name, _, _, choices in self.fields:
            widget: Any = self.query_one(f"#{name}")
            values[name] = str(widget.value) if widget.value is not Select.BLANK else ""
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        save_or_show(self, self.submit, self.values())

    def action_cancel(self) -> None:
        """Close without saving; if something was typed, ask first."""
        close_or_ask(self, self.values() != self.original, f"Discard what you typed? ({self.form_title})",
                     "The fields typed since the form opened are lost.")
