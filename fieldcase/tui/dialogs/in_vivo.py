"""Naming an in-vivo code: its name from the coded words, its parent picked by typing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from fieldcase.coding.keys import in_vivo_name
from fieldcase.errors import FieldcaseError
from fieldcase.tui.dialogs.code_picker import fill, move
from fieldcase.tui.dialogs.form import show_refusal

# The first choice of parent: none.
TOP_LEVEL = {"id": 0, "key": "", "name_en": "(top level)", "name_zh": None, "depth": 0, "color": "white",
             "keywords": []}


class InVivoDialog(ModalScreen[int | None]):
    """The new code's name (prefilled from the words) above a filterable list of parents;
    Enter makes the code, Esc makes nothing. ``create(name, parent_id)`` makes it and
    returns its id, or raises a :class:`FieldcaseError` whose reason the dialog shows."""

    DEFAULT_CSS = """
    InVivoDialog { align: center middle; }
    InVivoDialog > Vertical { width: 80; max-width: 100%; height: 24; max-height: 100%;
                              border: thick $accent; background: $surface; }
    InVivoDialog OptionList { height: 1fr; }
    InVivoDialog #error { color: $error; display: none; }
    InVivoDialog #error.shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="in-vivo-cancel"),
        Binding("down", "move(1)", "Next parent", show=False, id="in-vivo-down"),
        Binding("up", "move(-1)", "Previous parent", show=False, id="in-vivo-up"),
    ]

    def __init__(self, codes: Sequence[Mapping[str, Any]], words: str,
                 create: Callable[[str, int | None], int]) -> None:
        super().__init__()
        self.codes = [TOP_LEVEL, *codes]
        self.words = words
        self.create = create

    def compose(self) -> ComposeResult:
        shown = " ".join(self.words.split())
        shown = shown if len(shown) <= 50 else shown[:49] + "…"
        with Vertical():
            yield Label(Text.assemble(("New in-vivo code", "bold"), f" for “{shown}”"))
            yield Label(Text("Name (Enter makes it, Esc makes nothing)", style="dim"))
            yield Input(in_vivo_name(self.words), id="name")
            yield Label(Text("Parent: type to filter, ↑↓ to choose", style="dim"))
            yield Input(placeholder="filter…", id="filter")
            yield OptionList(id="choices")
            yield Label("", id="error")

    def on_mount(self) -> None:
        fill(self.query_one(OptionList), self.codes, "")
        self.query_one("#name", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A key typed before a field has focus goes into the name."""
        if any(box.has_focus for box in self.query(Input)):
            return
        name = self.query_one("#name", Input)
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            name.focus()
            name.insert_text_at_cursor(event.character)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            fill(self.query_one(OptionList), self.codes, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if not options.option_count:
            self._error(f"No code matches {self.query_one('#filter', Input).value!r} to be the parent")
            return
        parent = int(options.get_option_at_index(options.highlighted or 0).id or 0)
        try:
            code_id = self.create(self.query_one("#name", Input).value, parent or None)
        except FieldcaseError as err:
            self._error(str(err))
            return
        self.dismiss(code_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.on_input_submitted(Input.Submitted(self.query_one("#name", Input), ""))

    def _error(self, message: str) -> None:
        show_refusal(self.query_one("#error", Label), message, "Not made")

    def action_move(self, step: int) -> None:
        move(self.query_one(OptionList), step)

    def action_cancel(self) -> None:
        self.dismiss(None)
