"""Asked before a typed name becomes a new case or site: the close names it may have missed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

CREATE = "create"


class NewNameDialog(ModalScreen[str | None]):
    """``typed`` is no {noun} yet: Enter on a close name uses it, on the last line makes the
    new one; returns the name to use, or ``None`` (Esc) to go back and change it by hand."""

    DEFAULT_CSS = """
    NewNameDialog { align: center middle; }
    NewNameDialog > Vertical { width: 70; max-width: 100%; height: auto; border: thick $warning;
                               background: $surface; padding: 0 1; }
    NewNameDialog OptionList { height: auto; max-height: 10; margin: 1 0; }
    NewNameDialog Label { width: 1fr; }
    NewNameDialog #hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "back", "Back to the form", id="new-name-back")]

    def __init__(self, noun: str, typed: str, close: list[str]) -> None:
        super().__init__()
        self.noun, self.typed, self.close = noun, typed, close

    def compose(self) -> ComposeResult:
        meant = "Did you mean one of these?" if self.close else "No name like it is in the project."
        options = [Option(f"Use {name}", id=str(i)) for i, name in enumerate(self.close)]
        options.append(Option(f"Create the new {self.noun} “{self.typed}”", id=CREATE))
        with Vertical():
            yield Label(f"There is no {self.noun} “{self.typed}” yet. {meant}")
            yield OptionList(*options)
            yield Label("Enter chooses · Esc goes back to the form", id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(self.typed if choice == CREATE else self.close[int(choice or 0)])

    def action_back(self) -> None:
        """Create nothing; the form stays as typed."""
        self.dismiss(None)
