"""Asked when a cell's summary is saved after someone changed it since the editor read it:
keep mine (it replaces theirs), take theirs (mine is dropped), or cancel (back to editing)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Label
from textual.widgets.option_list import Option

from fieldcase.tui.dialogs.choice import ChoiceDialog

MINE, THEIRS = "mine", "theirs"


class StaleCellDialog(ChoiceDialog):
    """Returns ``mine``, ``theirs``, or None (Esc or cancel: back to editing, nothing changed)."""

    BINDINGS = [Binding("escape", "back", "Back", id="stale-cell-back")]

    def __init__(self, about: str, who: str, theirs: str) -> None:
        """``about``: the cell (case × theme); ``who``: who changed it and when; ``theirs``:
        the summary now stored."""
        super().__init__()
        self.about, self.who, self.theirs = about, who, theirs

    def lines(self) -> list[Label]:
        from fieldcase.tui.cells import clip

        return [Label(f"The summary of {self.about} was changed {self.who} after you began editing it. "
                      "Your words do not have that change.", id="what"),
                Label(f"Now stored: {clip(' '.join(self.theirs.split()), 300) or '(nothing)'}", id="theirs")]

    def choices(self) -> list[Option]:
        return [Option("Keep mine: my summary replaces theirs (ctrl+z right after undoes it)", id=MINE),
                Option("Take theirs: the editor shows the stored summary, my words are dropped", id=THEIRS),
                Option("Cancel: back to editing, nothing saved", id="cancel")]

    def hint(self) -> str:
        return "Enter chooses · Esc goes back to editing"

    def result(self, choice: str | None) -> str | None:
        return choice if choice in (MINE, THEIRS) else None
