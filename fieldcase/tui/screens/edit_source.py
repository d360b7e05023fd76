"""Correcting a source's text: codings follow their words; the edit is kept as a draft until saved."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, TextArea

from fieldcase.errors import FieldcaseError
from fieldcase.store import drafts, sources
from fieldcase.store.project import Project
from fieldcase.store.texts import EditReport, replace_text
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.editor import cursor_to_end


class EditSourceScreen(Screen[EditReport | None]):
    """Edit the text of a source; ctrl+s stores it and re-anchors the codings."""

    DEFAULT_CSS = """
    EditSourceScreen TextArea { height: 1fr; border: round $accent; }
    EditSourceScreen #status { color: $text-muted; padding: 0 1; }
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
        self.autosave = autosave
        self._saved = self.start_text
        self._done = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield TextArea(self.start_text, soft_wrap=True, id="text")
        yield Label("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Editing: {self.source['title']}"
        self.sub_title = "ctrl+s saves; codings follow their words · Esc goes back, keeping the edit as a draft"
        self.query_one(TextArea).focus()
        self.query_one(TextArea).border_title = self.source["title"]
        if self.draft_id is not None:
            cursor_to_end(self.query_one(TextArea))  # a kept edit goes on where it stopped
        self.set_interval(self.autosave, self.save_draft)

    def save_draft(self) -> None:
        """Keep the edit as a draft when it changed."""
        text = self.query_one(TextArea).text
        if self._done or text == self._saved:
            return
        self.draft_id = drafts.save(self.project, self.draft_id, text, {"title": self.source["title"]},
                                    source_id=self.source["id"])
        self._saved = text
        self.query_one("#status", Label).update("Edit kept as a draft")

    def on_unmount(self) -> None:
        try:
            self.save_draft()
        except Exception:  # noqa: BLE001 - widgets may be gone at shutdown
            pass

    def action_apply(self) -> None:
        """Store the new text and re-anchor the codings."""
        try:
            report = replace_text(self.project, self.source["id"], self.query_one(TextArea).text)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        if self.draft_id is not None:
            drafts.discard(self.project, self.draft_id)
        self._done = True
        self.dismiss(report)

    def action_leave(self) -> None:
        self.save_draft()
        self.dismiss(None)
