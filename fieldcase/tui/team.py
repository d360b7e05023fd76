"""The workspace's doors for team work: merging another copy, settling conflicts,
inter-coder agreement and syncing with the team hub; and the hub's state in the title."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.screen import Screen

from fieldcase.errors import FieldcaseError
from fieldcase.store import hub_link
from fieldcase.store.project import Project
from fieldcase.text.english import count
from fieldcase.tui.cells import clip

# Every team key in one place (the workspace lists them with *team.BINDINGS).
BINDINGS = [
    Binding("M", "merge", "Merge another copy", id="merge-copy", show=False),
    Binding("C", "conflicts", "Conflicts", id="conflicts", show=False),
    Binding("A", "agreement", "Agreement", id="agreement", show=False),
    Binding("ctrl+s", "sync", "Sync with the hub", id="hub-sync", show=False),
]


def hub_state(project: Project, room: int | None = None) -> str | None:
    """``hub: host:port/db · 3 to push`` (or ``· offline``) when the project has a hub; read
    from the project alone (the last sync's outcome and a local count), never the hub. In
    ``room`` cells (when given) the hub's place gives way first, so what waits (offline, to
    push, conflicts) always shows: the database alone, then cut short."""
    from fieldcase.hubstore.connection import where

    url = hub_link.hub_url(project)
    if url is None:
        return None
    try:
        place = where(url).replace(":5432/", "/")  # host/db, the port when not the usual one
    except FieldcaseError:  # a malformed stored URL still shows the state
        place = "?"
    last = hub_link.last_sync(project)
    parts = []
    if last["reached"] is False:
        parts.append("offline")
    parts.append(f"{last['to_push']} to push" if last["to_push"] else "all pushed")
    conflicts = hub_link.open_conflict_count(project)
    if conflicts:
        parts.append(count(conflicts, "conflict"))
    state = " · ".join(parts)
    line = f"hub: {place} · {state}"
    if room is None or cell_len(line) <= room:
        return line
    place = place.rpartition("/")[2] or place  # the database's name alone
    return f"hub: {clip(place, max(1, room - cell_len(f'hub:  · {state}')))} · {state}"


NARROW = 110  # below this width the title leaves out the project's name for the hub state
TITLE_MARGIN = 10  # cells of the header the sub-title cannot use: its icon and padding


def show_hub_state(app: Any, project: Project) -> None:
    """Put the project's name, file and hub state in the app's sub-title (in a narrow
    terminal, the file and the hub state, its place shortened to fit)."""
    line = f"{project.info().get('name')} — {project.path.name}"
    if not hub_link.hub_url(project):
        app.sub_title = line  # no hub: the name and file, at any width
        return
    width = app.size.width
    if width and width < NARROW:
        line = project.path.name
    room = width - cell_len(f"{app.title} — {line} · ") - TITLE_MARGIN if width else None
    state = hub_state(project, room)
    app.sub_title = f"{line} · {state}" if state else line


class TeamDoors(Screen[None]):
    """The workspace's team actions (mixed into it)."""

    project: Project

    def after_change(self, cursor: int | None = None) -> None:
        raise NotImplementedError

    def _jump_to(self, target: tuple[int, int, int] | None) -> None:
        raise NotImplementedError

    def action_merge(self) -> None:
        """Merge another copy of the project into this one (a dry run shows what would come)."""
        from fieldcase.tui.dialogs.merge import MergeDialog

        self.app.push_screen(MergeDialog(self.project.path, self.project.user))

    def action_conflicts(self) -> None:
        """What merges and syncs could not decide: keep mine or take theirs."""
        from fieldcase.tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.project))

    def action_agreement(self) -> None:
        """Agreement of two coders per code; Enter lists a code's disagreements."""
        from fieldcase.store import blinding
        from fieldcase.tui.screens.agreement import AgreementScreen

        if blinding.blind_as(self.project) is not None:
            self.notify("Blind coding: agreement compares your codings with others', which stay hidden"
                        " until blind coding is turned off (fieldcase blind off, or open without --blind)",
                        severity="warning")
            return
        self.app.push_screen(AgreementScreen(self.project), self._jump_to)

    def action_sync(self) -> None:
        """Sync with the team hub: pull the team's work, push yours."""
        if hub_link.hub_url(self.project) is None:
            self.notify("This project has no hub: `fieldcase hub connect URL -p …` attaches one", severity="warning")
            return
        from fieldcase.tui.dialogs.sync import SyncDialog

        self.app.push_screen(SyncDialog(self.project.path, self.project.user))
