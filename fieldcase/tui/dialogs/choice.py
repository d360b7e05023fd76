"""The shape of the warning boxes that ask one question: what happened, the choices, a hint."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str | None]):
    """A box with a warning border: :meth:`lines` say what happened, :meth:`choices` are
    picked by Enter (:meth:`result` turns the option's id into what the dialog returns),
    and Esc returns ``None``. Subclasses set ``BINDINGS`` to give Esc their own binding id."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical { width: 90; max-width: 100%; height: auto; border: thick $warning;
                              background: $surface; padding: 0 1; }
    ChoiceDialog OptionList { height: auto; max-height: 12; margin: 1 0; }
    ChoiceDialog Label { width: 1fr; }
    ChoiceDialog #hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    def lines(self) -> list[Label]:
        """What happened, above the choices."""
        raise NotImplementedError

    def choices(self) -> list[Option]:
        """The options; each one's id is handed to :meth:`result`."""
        raise NotImplementedError

    def hint(self) -> str:
        """The muted line under the choices."""
        raise NotImplementedError

    def result(self, choice: str | None) -> str | None:
        """What the dialog returns for the option chosen (by default, its id)."""
        return choice

    def compose(self) -> ComposeResult:
        with Vertical():
            yield from self.lines()
            yield OptionList(*self.choices())
            yield Label(self.hint(), id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.result(event.option.id))

    def action_back(self) -> None:
        """Choose nothing now."""
        self.dismiss(None)
