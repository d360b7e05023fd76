"""Choosing the coder layer the workspace shows: mine, everyone's, or two coders compared."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

MINE, EVERYONE, COMPARE = "mine", "everyone", "compare"


@dataclass(frozen=True)
class Layer:
    """Whose codings the workspace shows: ``mine``, ``everyone``, or ``compare`` two coders
    (``coders``: the first drawn as A, the second as B)."""

    kind: str = EVERYONE
    coders: tuple[str, ...] = ()

    def shown(self, user: str) -> list[str] | None:
        """The coders whose codings show (``None``: everyone's)."""
        if self.kind == MINE:
            return [user]
        return list(self.coders) if self.kind == COMPARE else None

    def label(self, user: str) -> str:
        if self.kind == MINE:
            return f"only {user}'s codings"
        if self.kind == COMPARE:
            return f"{self.coders[0]} (A) compared with {self.coders[1]} (B)"
        return "everyone's codings"


def choices(user: str, coders: list[str]) -> list[Layer]:
    """The layers to offer: mine, everyone's, then each pair of coders (the user as A)."""
    names = sorted(set(coders) | {user}, key=lambda c: (c != user, c))
    return [Layer(MINE), Layer(EVERYONE), *(Layer(COMPARE, pair) for pair in combinations(names, 2))]


class LayerPicker(ModalScreen[Layer | None]):
    """The layers one per line; Enter shows the highlighted one, Escape keeps the current."""

    DEFAULT_CSS = """
    LayerPicker { align: center middle; }
    LayerPicker > Vertical { width: 64; max-width: 100%; height: auto; max-height: 90%; border: thick $accent; background: $surface; }
    LayerPicker Label { width: 1fr; margin: 0 0 1 0; }
    LayerPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="layer-picker-cancel")]

    def __init__(self, user: str, coders: list[str], current: Layer) -> None:
        super().__init__()
        self.user = user
        self.offered = choices(user, coders)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble(("Show whose codings", "bold"), "\n",
                                      ("Enter shows the layer, Esc keeps this one", "dim")))
            yield OptionList(*[Option(self._line(layer), id=str(i)) for i, layer in enumerate(self.offered)])

    def _line(self, layer: Layer) -> Text:
        mark = "● " if layer == self.current else "  "
        words = {MINE: "Mine: ", EVERYONE: "Everyone: "}.get(layer.kind, "")
        return Text(mark + words + layer.label(self.user))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.offered.index(self.current) if self.current in self.offered else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.offered[int(event.option.id or 0)])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
