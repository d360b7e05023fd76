"""Asked before a typed name becomes a new case or site: the close names it may have missed."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Label
from textual.widgets.option_list import Option

from fieldcase.tui.dialogs.choice import ChoiceDialog

CREATE = "create"


class NewNameDialog(ChoiceDialog):
    """``typed`` is no {noun} yet: Enter on a close name uses it, on the last line makes the
    new one; returns the name to use, or ``None`` (Esc) to go back and change it by hand."""

    DEFAULT_CSS = """
    NewNameDialog > Vertical { width: 70; }
    NewNameDialog OptionList { max-height: 10; }
    """
    BINDINGS = [Binding("escape", "back", "Back to the form", id="new-name-back")]

    def __init__(self, noun: str, typed: str, close: list[str]) -> None:
        super().__init__()
        self.noun, self.typed, self.close = noun, typed, close

    def lines(self) -> list[Label]:
        meant = "Did you mean one of these?" if self.close else "No name like it is in the project."
        return [Label(f"There is no {self.noun} “{self.typed}” yet. {meant}")]

    def choices(self) -> list[Option]:
        options = [Option(f"Use {name}", id=str(i)) for i, name in enumerate(self.close)]
        options.append(Option(f"Create the new {self.noun} “{self.typed}”", id=CREATE))
        return options

    def hint(self) -> str:
        return "Enter chooses · Esc goes back to the form"

    def result(self, choice: str | None) -> str | None:
        return self.typed if choice == CREATE else self.close[int(choice or 0)]
