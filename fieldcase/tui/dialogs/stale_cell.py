"""Asked when a cell's summary is saved after someone changed it since the editor read it:
keep mine (it replaces theirs), take theirs (mine is dropped), or cancel (back to editing)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

MINE, THEIRS = "mine", "theirs"


class StaleCellDialog(ModalScreen[str | None]):
    """Returns ``mine``, ``theirs``, or None (Esc or cancel: back to editing, nothing changed)."""

    DEFAULT_CSS = """
    StaleCellDialog { align: center middle; }
    StaleCellDialog > Vertical { width: 90; max-width: 100%; height: auto; border: thick $warning;
                                 background: $surface; padding: 0 1; }
    StaleCellDialog OptionList { height: auto; margin: 1 0; }
    StaleCellDialog Label { width: 1fr; }
    StaleCellDialog #hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="stale-cell-back")]

    def __init__(self, about: str, who: str, theirs: str) -> None:
        """``about``: the cell (case × theme); ``who``: who changed it and when; ``theirs``:
        the summary now stored."""
        super().__init__()
        self.about, self.who, self.theirs = about, who, theirs

    def compose(self) -> ComposeResult:
        from fieldcase.tui.cells import clip

        with Vertical():
            yield Label(f"The summary of {self.about} was changed {self.who} after you began editing it. "
                        "Your words do not have that change.", id="what")
            yield Label(f"Now stored: {clip(' '.join(self.theirs.split()), 300) or '(nothing)'}", id="theirs")
            yield OptionList(
                Option("Keep mine: my summary replaces theirs (ctrl+z right after undoes it)", id=MINE),
                Option("Take theirs: the editor shows the stored summary, my words are dropped", id=THEIRS),
                Option("Cancel: back to editing, nothing saved", id="cancel"),
            )
            yield Label("Enter chooses · Esc goes back to editing", id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id if event.option.id in (MINE, THEIRS) else None)

    def action_back(self) -> None:
        """Choose nothing now."""
        self.dismiss(None)
