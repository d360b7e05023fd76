"""Asked when a kept or open edit began from a text that someone has changed since: start
again from the current text (the edit set aside in a file), or let the edit replace it."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Label
from textual.widgets.option_list import Option

from fieldcase.tui.dialogs.choice import ChoiceDialog

CURRENT, MINE = "current", "mine"
SHOWN = 3  # the newest changes named one a line


def changed_by(changes: list[dict[str, Any]]) -> str:
    """Who changed the text and when, in order, e.g. ``zhao on 2026-05-02 14:03``."""
    from fieldcase.text.times import local as when

    if not changes:
        return "someone (the history does not say who)"
    named = ", then ".join(f"{c['user']} on {when(c['at'])}" for c in changes[-SHOWN:])
    earlier = len(changes) - SHOWN
    return named + (f" (after {earlier} earlier {'change' if earlier == 1 else 'changes'})" if earlier > 0 else "")


class StaleEditDialog(ChoiceDialog):
    """Returns ``current`` (start from the current text), ``mine`` (the edit replaces it),
    or None (Esc: back, nothing changed)."""

    BINDINGS = [Binding("escape", "back", "Back", id="stale-edit-back")]

    def __init__(self, title: str, changes: list[dict[str, Any]], chars: int, *, saving: bool,
                 what: str | None = None) -> None:
        """``what``: the words their change touched, when the text the edit began from is known."""
        super().__init__()
        self.title_, self.changes, self.chars, self.saving, self.what = title, changes, chars, saving, what

    def lines(self) -> list[Label]:
        lines = [Label(f"The text of “{self.title_}” was changed after your edit of it began: by "
                       f"{changed_by(self.changes)}. Your edit ({self.chars:,} characters) does not "
                       "have that change.", id="what")]
        if self.what:
            lines.append(Label(f"What changed: {self.what}", id="changed"))
        return lines

    def choices(self) -> list[Option]:
        verb = "Save my edit over it" if self.saving else "Continue my edit"
        return [Option("Start from the current text: your edit is saved to a file to copy from", id=CURRENT),
                Option(f"{verb}: it replaces the newer text (codings follow their words; ctrl+z undoes)", id=MINE)]

    def hint(self) -> str:
        return f"Enter chooses · Esc goes {'back to editing' if self.saving else 'back, the edit kept as it is'}"
