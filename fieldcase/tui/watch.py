"""Noticing writes by other processes (a colleague's ``fieldcase code``, an import worker).

SQLite's ``PRAGMA data_version`` on a connection changes only when another connection
commits to the file, so a look costs one pragma, nothing is read when nothing changed,
and the screen's own writes never count as news.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from fieldcase.store.project import Project

INTERVAL = 0.5  # seconds between looks: a change shows within a second


class StoreWatch:
    """Tells whether another connection has committed to the project since the last look."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.seen = project.data_version()

    def changed(self) -> bool:
        """True once for each batch of commits made elsewhere since the last call."""
        version = self.project.data_version()
        if version == self.seen:
            return False
        self.seen = version
        return True


def follow(screen: Screen[Any], project: Project, refresh: Callable[[], None]) -> StoreWatch:
    """Call ``refresh`` within a second of a commit made elsewhere, while ``screen`` is the
    one shown (a screen under a dialog catches up when it is shown again)."""
    watch = StoreWatch(project)
    stale = False

    def look() -> None:
        nonlocal stale
        stale = watch.changed() or stale
        if stale and screen.is_current:
            stale = False
            refresh()

    screen.set_interval(INTERVAL, look)
    return watch
