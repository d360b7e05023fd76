"""The history: every change with who made it, when, and whether it is undone; undo your
own, revert a colleague's after confirming whose it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from fieldcase.tui.changes import FollowsChanges
from fieldcase.errors import FieldcaseError
from fieldcase.store import history
from fieldcase.store.project import Project
from fieldcase.store.reverting import Refused
from fieldcase.text.english import count
from fieldcase.text.times import local as when
from fieldcase.text.times import zone
from fieldcase.tui.watch import follow
from fieldcase.tui.widgets.bars import KeyBar, TitleBar

SHOWN = 1000  # the newest changes listed


def refusal(err: Refused, me: str) -> str:
    """A refused undo or revert in the workspace's words: what is in the way, and the keys to clear it."""
    blocker = err.blocker
    if blocker is None:
        return f"{err.head}; {err.advice}"
    if blocker["action"] in history.STEPS:
        step = "ctrl+y" if blocker["action"] == "undo" else "ctrl+z"
        who = "you" if blocker["user"] == me else blocker["user"]
        return f"{err.head}; {who} can step it back first ({step})"
    if blocker["user"] == me:
        return f"{err.head}; undo it first (ctrl+z, or r on it in the history, F7)"
    return f"{err.head}; {blocker['user']} can undo it, or you can revert it first (F7 history, r on #{blocker['id']})"


def attempt(notify: Callable[..., None], project: Project,
            step: Callable[[Project], dict[str, Any]]) -> dict[str, Any] | None:
    """Run an undo, redo or revert; a refusal or another error is a warning, and ``None``."""
    try:
        return step(project)
    except Refused as err:
        notify(refusal(err, project.user), severity="warning", timeout=15)
    except FieldcaseError as err:
        notify(str(err), severity="warning")
    return None


class HistoryScreen(FollowsChanges, Screen[None]):
    """The change log, newest first, everyone's or only the current user's."""

    DEFAULT_CSS = """
    HistoryScreen DataTable { height: 1fr; border: round $accent; }
    HistoryScreen #hint { padding: 0 1; width: 1fr; }
    HistoryScreen #detail { padding: 0 1; width: 1fr; color: $text-muted; }
    """
    BINDINGS = [
        Binding("m", "toggle_mine", "Mine / everyone", id="history-mine"),
        Binding("u", "app.undo", "Undo mine", id="history-undo"),
        Binding("r", "revert", "Revert…", id="history-revert"),
        Binding("escape", "back", "Back", id="history-back"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.mine = False
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical():
            yield Label("", id="hint")
            yield DataTable(id="changes", cursor_type="row", zebra_stripes=True)
            yield Label("", id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "History"
        table = self.query_one(DataTable)
        table.add_column("#", key="id")
        table.add_column(f"when ({zone()})", key="when")
        table.add_column("who", key="who")
        table.add_column("state", key="state")
        table.add_column("what", key="what")
        self.fill()
        table.focus()
        follow(self, self.project, self.fill)

    def after_change(self) -> None:
        """Undo and redo (ctrl+z, ctrl+y) add to the history."""
        self.fill()

    def fill(self) -> None:
        """List the changes again, keeping the cursor on the same change."""
        table = self.query_one(DataTable)
        current = self.current()
        me = self.project.user
        self.rows = history.history(self.project, SHOWN, user=me if self.mine else None)
        table.clear()
        for row in self.rows:
            who = f"{row['user']} (you)" if row["user"] == me else row["user"]
            if row["authors"]:  # a merge or sync: their work, brought in by its user
                who = f"{', '.join(row['authors'])} via {'you' if row['user'] == me else row['user']}"
            table.add_row(str(row["id"]), when(row["at"]), who, row["state"], row["summary"], key=str(row["id"]))
        whose = "your changes" if self.mine else "everyone's changes"
        self.query_one("#hint", Label).update(
            f"{whose.capitalize()}, newest first (you are {me}). m: {'everyone' if self.mine else 'only yours'}; "
            "u or ctrl+z undoes your newest; r reverts the change under the cursor.")
        table.border_title = count(len(self.rows), "change")
        keys = [r["id"] for r in self.rows]
        if current is not None and current["id"] in keys:
            table.move_cursor(row=keys.index(current["id"]))
        self.show_detail()

    def current(self) -> dict[str, Any] | None:
        """The change under the cursor."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        row = self.current()
        text = ""
        if row is not None:
            text = (f"#{row['id']} by {row['user']}, {when(row['at'])} {zone()}: {row['summary']} "
                    f"({count(row['rows'], 'row')})")
            if row["undoes"]:
                text += f"; steps back #{row['undoes']}"
        self.query_one("#detail", Label).update(text)

    def action_toggle_mine(self) -> None:
        """Show only your changes, or everyone's."""
        self.mine = not self.mine
        self.fill()

    def action_revert(self) -> None:
        """Revert the change under the cursor, after confirming whose it is."""
        from fieldcase.tui.dialogs.confirm_revert import ConfirmRevert

        row = self.current()
        if row is None:
            return
        me = self.project.user
        if row["action"] in history.STEPS:
            who, step = ("you", "ctrl+y" if row["action"] == "undo" else "ctrl+z") if row["user"] == me else (row["user"], "")
            self.notify(f"#{row['id']} is {'your' if who == 'you' else who + chr(39) + 's'} {row['action']}; "
                        + (f"{step} steps it back" if step else f"only {who} can step it back"), severity="warning")
            return
        if row["undone"]:
            self.notify(f"#{row['id']} is already undone", severity="warning")
            return
        if row["action"] == "purge" or row["state"] == "purged":
            what = "it is a purge" if row["action"] == "purge" else "a purge erased what it changed"
            self.notify(f"#{row['id']} cannot be reverted: {what}, and a purge cannot be undone", severity="warning")
            return
        self.app.push_screen(ConfirmRevert(row, me, f"{when(row['at'])} {zone()}"),
                             lambda yes: self._revert(row) if yes else None)

    def _revert(self, row: dict[str, Any]) -> None:
        if attempt(self.notify, self.project, lambda project: history.revert(project, row["id"], row["user"])) is None:
            return
        owner = "your" if row["user"] == self.project.user else f"{row['user']}'s"
        self.notify(f"Reverted {owner} change #{row['id']}: {row['summary']} (ctrl+z takes it back)")
        self.fill()

    def action_back(self) -> None:
        self.dismiss(None)
