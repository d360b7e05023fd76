"""A form field holding several codes, each picked in the code picker."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from fieldcase.coding.colours import drawable
from fieldcase.tui.widgets.recent_codes import code_name


class CodeField(Static, can_focus=True):
    """Codes chosen one by one: Enter adds one (the code picker), Backspace drops the last."""

    DEFAULT_CSS = """
    CodeField { height: 1; background: $boost; padding: 0 1 0 0; }
    CodeField:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("enter", "add_code", "Add a code", id="code-field-add"),
        Binding("backspace,delete", "drop_code", "Drop the last code", id="code-field-drop"),
    ]

    def __init__(self, codebook: Callable[[], Sequence[Mapping[str, Any]]], *, id: str | None = None) -> None:
        """``codebook``: the code rows to pick from (asked for when first needed)."""
        super().__init__("", id=id)
        self.codebook = codebook
        self.chosen: list[Mapping[str, Any]] = []

    def on_mount(self) -> None:
        self.show()

    @property
    def keys(self) -> list[str]:
        """The chosen codes' keys, in the order they were added."""
        return [row["key"] for row in self.chosen]

    def show(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for row in self.chosen:
            text.append("■ ", style=drawable(row.get("color")))
            text.append(code_name(row) + "  ")
        hint = "Enter adds a code, Backspace drops the last" if self.chosen else "all codes (Enter picks one)"
        text.append(hint, style="dim")
        self.update(text)

    def action_add_code(self) -> None:
        """Pick a code to add."""
        from fieldcase.tui.dialogs.code_picker import CodePicker

        rows = self.codebook()
        self.app.push_screen(CodePicker(rows, title="Only codings of this code (and its sub-codes)"),
                             lambda code_id: self._add(rows, code_id))

    def _add(self, rows: Sequence[Mapping[str, Any]], code_id: int | None) -> None:
        row = next((r for r in rows if r["id"] == code_id), None)
        if row is not None and row not in self.chosen:
            self.chosen.append(row)
            self.show()

    def action_drop_code(self) -> None:
        """Take the last code out."""
        if self.chosen:
            self.chosen.pop()
            self.show()
