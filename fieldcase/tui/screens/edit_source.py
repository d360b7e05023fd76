"""Correcting a source's text: codings follow their words; the edit is kept as a draft until
saved, and never silently replaces a text that someone changed after the edit began."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, TextArea
from textual.widgets.text_area import Selection

from fieldcase.errors import FieldcaseError
from fieldcase.store import drafts, sources
from fieldcase.store.changes import now
from fieldcase.store.project import Project
from fieldcase.store.texts import EditReport, StaleTextError, changed_since, replace_text, version
from fieldcase.text.changes import changed_places, describe
from fieldcase.tui.dialogs.stale_edit import CURRENT, StaleEditDialog, changed_by
from fieldcase.tui.watch import follow
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.editor import cursor_to_end
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project


class EditSourceScreen(Screen[EditReport | None]):
    """Edit the text of a source; ctrl+s stores it and re-anchors the codings."""

    DEFAULT_CSS = """
    EditSourceScreen TextArea { height: 1fr; border: round $accent; }
    EditSourceScreen #status { color: $text-muted; padding: 0 1; width: 1fr; height: auto; max-height: 4; }
    EditSourceScreen #status.-stale { color: $warning; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", "Save the text", id="save-edit"),
        Binding("escape", "leave", "Back (edit kept as draft)", id="leave-edit"),
    ]

    def __init__(self, project: Project, source_id: int, draft: dict[str, Any] | None = None, *,
                 autosave: float = 3.0) -> None:
        super().__init__()
        self.project = project
        self.source = sources.get(project, source_id)
        self.draft_id = draft["id"] if draft else None
        self.start_text = draft["text"] if draft else self.source["text"]
        # the text the edit began from (a draft kept by an older fieldcase does not know it)
        self.base: str | None = draft["fields"].get(drafts.BASE) if draft else self.source["text_sha256"]
        self.began = draft["created_at"] if draft else now()
        self.autosave = autosave
        self._saved: tuple[str, str | None] = (self.start_text, self.base)
        self._done = False
        self._saving = False  # the text is being stored (in a worker thread)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        area = TextArea(self.start_text, soft_wrap=True, id="text")
        if self.draft_id is not None:  # a kept edit goes on where it stopped, from the first key
            area.selection = Selection.cursor(area.document.end)
        yield area
        yield Label("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Editing: {self.source['title']}"
        self.sub_title = "ctrl+s saves; codings follow their words · Esc goes back, keeping the edit as a draft"
        self.query_one(TextArea).focus()
        self.query_one(TextArea).border_title = self.source["title"]
        if self.draft_id is not None:
            cursor_to_end(self.query_one(TextArea))  # a kept edit goes on where it stopped
            self.call_after_refresh(self.ask_if_changed, False)
        self.set_interval(self.autosave, self.save_draft)
        follow(self, self.project, self.show_if_changed)

    def text(self) -> str:
        return self.query_one(TextArea).text

    def save_draft(self) -> None:
        """Keep the edit as a draft (with the text it began from) when it changed."""
        state = (self.text(), self.base)
        if self._done or state == self._saved or self._close_if_gone():
            return
        fields = {"title": self.source["title"], drafts.BASE: self.base}
        self.draft_id = drafts.save(self.project, self.draft_id, state[0], fields, source_id=self.source["id"])
        self._saved = state
        self.query_one("#status", Label).update("Edit kept as a draft")

    def _close_if_gone(self) -> bool:
        """When someone deleted or purged the source meanwhile, close the edit without
        keeping it (a purge erased its draft on purpose; a deleted source takes its edit
        with it) and say so; True when it was gone."""
        if self._done:
            return False
        try:
            sources.find(self.project, self.source["id"])
        except FieldcaseError:
            self._done = True
            self.app.notify("This source was deleted or erased by someone else meanwhile; "
                            "the edit is closed and not kept", severity="warning", timeout=15)
            self.dismiss(None)
            return True
        return False

    def on_unmount(self) -> None:
        try:
            self.save_draft()
        except Exception:  # noqa: BLE001 - widgets may be gone at shutdown
            pass

    # Someone else's change to the same text
    def _changes(self) -> list[dict[str, Any]] | None:
        """None while the stored text is the one the edit began from; else who changed it."""
        return changed_since(self.project, self.source["id"], self.base, self.began)

    def show_if_changed(self) -> None:
        """Say at once when another process changes the text under the edit."""
        if self._saving:  # (the change seen may be this edit's own, being stored)
            return
        if self._close_if_gone():
            return
        changes = self._changes()
        if changes is not None:
            status = self.query_one("#status", Label)
            status.update(f"Changed meanwhile by {changed_by(changes)}; ctrl+s asks what to do")
            status.add_class("-stale")

    def ask_if_changed(self, saving: bool) -> bool:
        """If the text changed since the edit began, ask whether to start from the current
        text or let the edit replace it; True when asked."""
        changes = self._changes()
        if changes is None:
            return False
        dialog = StaleEditDialog(self.source["title"], changes, len(self.text()), saving=saving,
                                 what=self._what_changed())
        self.app.push_screen(dialog, lambda choice: self._chosen(choice, saving))
        return True

    def _what_changed(self) -> str | None:
        """The words the other change touched, from the text the edit began from to today's."""
        began = version(self.project, self.base)
        if began is None:
            return None
        return describe(changed_places(began, sources.get(self.project, self.source["id"])["text"])) or None

    def _chosen(self, choice: str | None, saving: bool) -> None:
        if choice is None:
            if not saving:  # asked on opening a kept edit: back to the workspace, the draft as it was
                self._done = True
                self.dismiss(None)
            return
        self.source = sources.get(self.project, self.source["id"])
        if choice == CURRENT:
            self._start_again()
            return
        self._accept_current()
        if saving:
            self._store()

    def _start_again(self) -> None:
        """Set the edit aside in a file and go on from the current text."""
        try:
            kept = drafts.keep_aside(self.project, self.source, self.text())
        except OSError as err:
            self.notify(f"Could not write the edit to a file ({err.strerror or err}); it is kept as it was",
                        severity="error")
            return
        if self.draft_id is not None:
            drafts.discard(self.project, self.draft_id)
        self.draft_id, self.base, self.began = None, self.source["text_sha256"], now()
        self.query_one(TextArea).load_text(self.source["text"])
        self._saved = (self.source["text"], self.base)
        status = self.query_one("#status", Label)
        status.remove_class("-stale")
        # said once, in the status line, which folds a long path onto a second line
        status.update(Text(f"Now the current text. Your edit is kept in {kept}", overflow="fold"))

    def _accept_current(self) -> None:
        """The edit now knowingly replaces the current text."""
        self.base, self.began = self.source["text_sha256"], now()
        self.save_draft()
        self.query_one("#status", Label).remove_class("-stale")

    # Saving
    def action_apply(self) -> None:
        """Store the new text and re-anchor the codings (asking first if the text changed)."""
        if not self.ask_if_changed(True):
            self._store()

    def _store(self) -> None:
        if not self._saving:
            self._saving = True
            self.store_text(self.text(), self.base)

    @work(thread=True, exclusive=True, group="store-text")
    def store_text(self, text: str, expected: str | None) -> None:
        """Store the text and re-anchor its codings in this thread (a long text with many
        codings takes a while), with its own connection."""
        try:
            with thread_project(self.project.path, self.project.user) as project:
                report = replace_text(project, self.source["id"], text, expected=expected)
        except StaleTextError:
            self.post_message(WorkFailed("stale", ""))
            return
        except FieldcaseError as err:
            self.post_message(WorkFailed("store", str(err)))
            return
        self.post_message(WorkDone("store", report))

    def on_work_failed(self, message: WorkFailed) -> None:
        self._saving = False
        if message.job == "stale":
            self.ask_if_changed(True)  # changed in the moment between the look and the write
        else:
            self.notify(message.error, severity="error")

    def on_work_done(self, message: WorkDone) -> None:
        if self.draft_id is not None:
            drafts.discard(self.project, self.draft_id)
        self._done = True
        self.dismiss(message.result)

    def action_leave(self) -> None:
        if self._saving:
            return  # the text is being stored: the screen closes when it is
        self.save_draft()
        self.dismiss(None)
