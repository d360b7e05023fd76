"""How a change to the project reaches every open screen: a :class:`ProjectChanged` message.

A change made on one screen (a coding, ctrl+z, a room's edits) is announced to every
screen on the stack. The screen on top shows it at once; a screen underneath notes that it
is out of date and catches up when it is shown again, so no screen reads the store for a
change nobody can see yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.app import App

CODINGS = "codings"  # codings added, removed or edited, all in the listed sources
ANY = "any"  # anything (undo, redo, a room's edits): read again whatever is shown


class ProjectChanged(Message):
    """The project changed: ``kind`` says how (``CODINGS`` or ``ANY``), ``source_ids`` and
    ``code_ids`` what it touched (empty: not known, so anything)."""

    def __init__(self, kind: str = ANY, source_ids: frozenset[int] = frozenset(),
                 code_ids: frozenset[int] = frozenset()) -> None:
        self.kind = kind
        self.source_ids = source_ids
        self.code_ids = code_ids
        super().__init__()


def announce(app: App[Any], kind: str = ANY, *, source_ids: frozenset[int] = frozenset(),
             code_ids: frozenset[int] = frozenset(), skip: Screen[Any] | None = None) -> None:
    """Post a :class:`ProjectChanged` to every screen on the stack but ``skip`` (the screen
    that made the change and has already shown it)."""
    for screen in app.screen_stack:
        if screen is not skip:
            screen.post_message(ProjectChanged(kind, source_ids, code_ids))


class FollowsChanges:
    """A screen mixin: :meth:`show_change` runs for each :class:`ProjectChanged` while the
    screen is shown, and once when it is shown again after changes made while it was not."""

    _missed_change = False

    def show_change(self, change: ProjectChanged) -> None:
        """Show what ``change`` changed (by default, read again everything shown)."""
        self.after_change()

    def after_change(self) -> None:
        raise NotImplementedError

    def on_project_changed(self, message: ProjectChanged) -> None:
        message.stop()
        if self.is_current:  # type: ignore[attr-defined]  # (a Screen)
            self.show_change(message)
        else:
            self._missed_change = True

    def on_screen_resume(self) -> None:
        if self._missed_change:
            self._missed_change = False
            self.show_change(ProjectChanged())
