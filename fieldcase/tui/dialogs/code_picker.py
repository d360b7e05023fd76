"""Choosing a code by typing: fuzzy over keys and names, pinyin initials, keywords."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from fieldcase.coding import ranking
from fieldcase.coding.colours import drawable


def fill(options: OptionList, codes: Sequence[Mapping[str, Any]], query: str) -> None:
    """Show the codes that match ``query`` (all for an empty one), best first, the first highlighted."""
    options.clear_options()
    options.add_options([Option(Text.assemble(
        ("■ ", drawable(code.get("color"))),
        "  " * code.get("depth", 0),
        code.get("name_zh") or "",
        " " if code.get("name_zh") and code.get("name_en") else "",
        code.get("name_en") or "",
        (f"  {code['key']}", "dim"),
    ), id=str(code["id"])) for code in ranking.rank(codes, query)])
    if options.option_count:
        options.highlighted = 0


def move(options: OptionList, step: int) -> None:
    """Move the highlight ``step`` options, staying in the list."""
    if options.option_count:
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + step))


class CodePicker(ModalScreen[int | None]):
    """A filter box over the codebook; Enter returns the chosen code's id."""

    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical { width: 80; max-width: 100%; height: 26; max-height: 100%; border: thick $accent; background: $surface; }
    CodePicker Input { margin: 0 0 1 0; }
    CodePicker OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="picker-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker-down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker-up"),
    ]

    def __init__(self, codes: Sequence[Mapping[str, Any]], title: str = "Apply code") -> None:
        super().__init__()
        self.codes = codes
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble((self.title_text, "bold"), "\n",
                                      ("type a key, a name, pinyin initials (cstl → 城市推力) or a keyword", "dim")))
            yield Input(placeholder="filter…", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A key that arrives before the filter has focus goes into the filter (Enter picks)."""
        box = self.query_one(Input)
        if box.has_focus:
            return
        if event.key == "enter":
            event.stop()
            self.on_input_submitted(Input.Submitted(box, box.value))
        elif event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            box.focus()
            box.insert_text_at_cursor(event.character)

    def _fill(self, query: str) -> None:
        fill(self.query_one(OptionList), self.codes, query)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        option = options.get_option_at_index(highlighted) if highlighted is not None and options.option_count else None
        if option is not None and option.id is not None:  # every option here is a code, with its id
            self.dismiss(int(option.id))
        else:
            self.notify(f"No code matches {event.value!r}: change the filter, or Esc and v for an in-vivo code",
                        severity="warning")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option here is a code, with its id
            self.dismiss(int(event.option.id))

    def action_move(self, step: int) -> None:
        move(self.query_one(OptionList), step)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
