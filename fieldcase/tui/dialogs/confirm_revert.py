"""Asking before a change is reverted: whose it is, when, and what it did."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmRevert(ModalScreen[bool]):
    """``y`` reverts, ``n`` or Escape keeps the change."""

    DEFAULT_CSS = """
    ConfirmRevert { align: center middle; }
    ConfirmRevert > Vertical { width: 80; height: auto; border: thick $warning; background: $surface; padding: 0 1; }
    ConfirmRevert Label { width: 1fr; }
    ConfirmRevert #question { text-style: bold; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Revert", id="revert-yes"),
        Binding("n,escape", "answer(False)", "Keep", id="revert-no"),
    ]

    def __init__(self, change: dict[str, Any], me: str, when: str) -> None:
        """``change``: a history row (id, user, summary); ``me``: who is reverting; ``when``: its time."""
        super().__init__()
        self.change = change
        self.me = me
        self.when = when

    def compose(self) -> ComposeResult:
        change = self.change
        owner = "your" if change["user"] == self.me else f"{change['user']}'s"
        with Vertical():
            yield Label(f"Revert {owner} change #{change['id']}?", id="question")
            yield Label(f"{self.when}  {change['user']}: {change['summary']}")
            note = "" if change["user"] == self.me else f" It is {change['user']}'s work, not yours."
            yield Label(f"The revert becomes your change: ctrl+z takes it back.{note}")
            yield Label("y reverts · n or Esc keeps it")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
