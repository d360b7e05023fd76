"""Choosing a code's colour: swatches by arrow keys, or a typed ``#RRGGBB``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from fieldcase.coding.colours import PALETTE, check_color
from fieldcase.errors import FieldcaseError

# The codebook's palette first, then more that read well behind dark text.
SWATCHES = (
    *PALETTE,
    "#9C755F", "#BAB0AC", "#4CAF50", "#81C784", "#64B5F6", "#FFB74D", "#E57373", "#BA68C8",
)


class ColourPicker(ModalScreen[str | None]):
    """Arrows and Enter pick a swatch; typing goes to the ``#RRGGBB`` field; Esc keeps the colour."""

    DEFAULT_CSS = """
    ColourPicker { align: center middle; }
    ColourPicker > Vertical { width: 44; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    ColourPicker OptionList { height: auto; max-height: 16; }
    ColourPicker Input { margin: 1 0 0 0; }
    ColourPicker #error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="colour-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="colour-down"),
        Binding("up", "move(-1)", "Previous", show=False, id="colour-up"),
    ]

    def __init__(self, title: str, current: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.current = (current or "").upper()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(Text.assemble(("        ", f"on {c}"), f"  {c}"), id=c) for c in SWATCHES],
                             id="swatches", compact=True)
            yield Input(self.current, placeholder="or type #RRGGBB", id="hex", compact=True)
            yield Label("", id="error")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = SWATCHES.index(self.current) if self.current in SWATCHES else 0
        self.query_one(Input).focus()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        index = max(0, min(len(SWATCHES) - 1, (options.highlighted or 0) + step))
        options.highlighted = index
        self.query_one(Input).value = SWATCHES[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(check_color(event.value))
        except FieldcaseError as err:
            self.query_one("#error", Label).update(str(err))

    def action_cancel(self) -> None:
        self.dismiss(None)
