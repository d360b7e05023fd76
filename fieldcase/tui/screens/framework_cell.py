"""One cell of the framework matrix: the case's segments under the theme on the left, the
summary editor on the right. ctrl+l links the segment under the cursor to the summary (or
unlinks it), ctrl+t fills the editor with a first draft (asking first before it replaces a
summary written), ctrl+s saves, ctrl+z right after a save undoes that save (else it undoes
typing), Enter on a segment opens it in the reader.

Words typed and not saved are kept as a draft every few seconds and when the terminal goes
(offered back when the cell is opened again); a save never silently replaces a summary that
someone changed after the editor read it: it asks (keep mine, take theirs, cancel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, TextArea
from textual.widgets.option_list import Option

from fieldcase.errors import FieldcaseError
from fieldcase.text.english import count
from fieldcase.tui.cells import clip
from fieldcase.tui.changes import ANY, FollowsChanges, announce
from fieldcase.tui.widgets.editor import ProseArea
from fieldcase.tui.workers import WorkDone, WorkFailed, app_project, thread_project

NO_SEGMENTS = "No segment of this code counts for this case yet: code some in the reader first."
EMPTY_SUMMARY = "Write the summary of this case under this theme here (^t drafts one from its segments)."
KEYS = "^l link · ^t draft · ^s save · ^z undo · Enter read it · Tab switch · Esc close"
LINKED, UNLINKED = "● linked  ", "○ "


def prompt(segment: dict[str, Any], width: int = 200) -> Text:
    """A segment as the list shows it: who says what, then whether the summary links it,
    its source and its code."""
    who = f"{segment['speaker']}：" if segment["speaker"] else ""
    words = " ".join(segment["text"].split())
    mark = (LINKED, "bold green") if segment["linked"] else (UNLINKED, "dim")
    return Text.assemble(f"{who}{clip(words, width)}\n", mark, (f"《{clip(segment['source'], 40)}》 {segment['code']}", "dim"))


class CellScreen(FollowsChanges, ModalScreen[tuple[int, int, int] | None]):
    """A case under a theme: its segments and the researcher's summary of them."""

    DEFAULT_CSS = """
    CellScreen { align: center middle; }
    CellScreen > Vertical { width: 96%; height: 92%; border: thick $accent; background: $surface; }
    CellScreen #title { width: 1fr; text-style: bold; }
    CellScreen #keys, CellScreen #status { width: 1fr; color: $text-muted; }
    CellScreen Horizontal { height: 1fr; }
    CellScreen OptionList { width: 1fr; height: 1fr; border: round $primary 50%; }
    CellScreen TextArea { width: 1fr; height: 1fr; border: round $primary 50%; }
    CellScreen *:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("ctrl+l", "toggle_link", "Link", id="cell-link", priority=True),
        Binding("ctrl+t", "draft", "Draft", id="cell-draft", priority=True),
        Binding("ctrl+s", "save", "Save", id="cell-save", priority=True),
        Binding("ctrl+z", "undo_save", "Undo", id="cell-undo", priority=True),
        Binding("escape", "close", "Close", id="cell-close"),
    ]

    def __init__(self, project_path: Path, user: str | None, case_id: int, code_id: int, *,
                 autosave: float = 3.0) -> None:
        super().__init__()
        self.project_path, self.user = project_path, user
        self.case_id, self.code_id = case_id, code_id
        self.segments: list[dict[str, Any]] = []
        self.saved = ""  # the summary as stored
        self.save_group: int | None = None  # the change group of this screen's last save, while undoable
        self.leaving = False  # Esc pressed once over unsaved words
        self.about = ""  # case × theme, for the questions asked
        self.autosave = autosave
        self.draft_id: int | None = None  # the kept draft of words typed and not saved
        self.kept = ""  # the words last kept as that draft
        self.left = False  # closed on purpose: unsaved words are not kept
        self.loaded = False  # the first load shown (the editor filled, the focus placed)
        self.stale = False  # a change came before it: read again once it is shown

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="title")
            yield Label(KEYS, id="keys")
            with Horizontal():
                yield OptionList(id="segments")
                yield ProseArea(id="summary", soft_wrap=True, show_line_numbers=False, placeholder=EMPTY_SUMMARY)
            yield Label("", id="status")

    def on_mount(self) -> None:
        from fieldcase.tui.watch import follow

        self.load(first=True)
        self.set_interval(self.autosave, self.save_draft)
        # a summary written by another process (a colleague, `fieldcase redo`) shows at once
        follow(self, app_project(self.app), self.after_change)

    def on_unmount(self) -> None:
        if not self.left:
            try:
                self.save_draft()
            except Exception:  # noqa: BLE001 - widgets may be gone at shutdown
                pass

    def save_draft(self) -> None:
        """Keep the words typed and not saved as a draft of this cell (called every few
        seconds, on unmount and when the terminal goes)."""
        from fieldcase.store import drafts

        text = self.query_one(TextArea).text
        if self.left or text == self.kept or (self.draft_id is None and text == self.saved):
            return
        project = app_project(self.app)
        self.draft_id = drafts.save_cell(project, self.draft_id, self.case_id, self.code_id, text, self.saved)
        self.kept = text

    def after_change(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the cell again, once the first load is shown: a reload started before would
        replace that load (one worker at a time) and the first one's result, come late, would
        fill the editor over words already typed and take the focus back."""
        if not self.loaded:
            self.stale = True
            return
        self.load(first=False)

    @work(thread=True, exclusive=True, group="cell")
    def load(self, first: bool) -> None:
        """Read the cell and its segments in this thread."""
        from fieldcase.analysis.framework import segments
        from fieldcase.store import cases, cells, codes, drafts

        try:
            with thread_project(self.project_path, self.user) as project:
                found = segments(project, self.case_id, self.code_id)
                cell = cells.by_ids(project, self.case_id, self.code_id)
                case, code = cases.find(project, self.case_id), codes.find(project, self.code_id)
                kept = drafts.cell_draft(project, self.case_id, self.code_id) if first else None
        except FieldcaseError as err:
            self.post_message(WorkFailed("cell", f"error: {err}"))
            return
        title = f"{case['name']} × {codes.label(code)}"
        self.post_message(WorkDone("cell", (title, found, cell, first, kept)))

    def _show(self, title: str, found: list[dict[str, Any]], cell: dict[str, Any] | None, first: bool,
              kept: dict[str, Any] | None = None) -> None:
        listing = self.query_one(OptionList)
        at = listing.highlighted
        self.segments = found
        listing.clear_options()
        listing.add_options([Option(prompt(s), id=str(s["id"])) for s in found]
                            or [Option(NO_SEGMENTS, id="none", disabled=True)])
        if found:
            listing.highlighted = min(at or 0, len(found) - 1)
        stored = cell["summary"] if cell else ""
        editor = self.query_one(TextArea)
        self.about = title
        status = self.query_one("#status", Label)
        if first or editor.text == self.saved:  # words typed and not saved are kept
            editor.load_text(stored)
            self.saved = stored
        elif stored != self.saved:
            from fieldcase.store.cells import changed_by

            status.update(f"Changed meanwhile {changed_by(cell)}; ctrl+s asks what to do.")
        linked = sum(1 for s in found if s["linked"])
        by = f"; last written by {cell['modified_by']} {cell['modified_at'][:16].replace('T', ' ')}" if cell else ""
        self.query_one("#title", Label).update(
            f"{title}: {count(len(found), 'segment')}, {linked} linked{by}")
        if first:
            self.loaded = True
            (listing if found else editor).focus()
            if kept is not None:
                self._offer_kept(kept, stored)
            if self.stale:
                self.stale = False
                self.load(first=False)

    def _offer_kept(self, kept: dict[str, Any], stored: str) -> None:
        """Words typed here before and never saved: offer them back (no: thrown away)."""
        from fieldcase.store import drafts
        from fieldcase.text.times import local
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        project = app_project(self.app)
        if kept["text"] == stored:
            drafts.discard_cell(project, self.case_id, self.code_id)
            return

        def answered(yes: bool | None) -> None:
            editor = self.query_one(TextArea)
            if yes:
                self.draft_id, self.kept = kept["id"], kept["text"]
                self.saved = kept["fields"].get(drafts.CELL_BASE, stored)  # a save asks if it changed since
                editor.replace(kept["text"], editor.document.start, editor.document.end)
                self.query_one("#status", Label).update("Your unsaved words are back: ctrl+s saves them.")
            else:  # never thrown away on a "no" (Enter, Esc): offered again the next time
                self.query_one("#status", Label).update("The kept words stay kept; they are offered again "
                                                        "when the cell is opened next.")

        self.app.push_screen(ConfirmDialog(
            "Put back the summary you were typing?",
            f"Words typed in this cell on {local(kept['saved_at'])} were never saved: "
            f"“{clip(' '.join(kept['text'].split()), 120)}”. No keeps them for later; "
            "a save of this cell's summary throws them away.", action="Put back"), answered)

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.query_one("#status", Label).update(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        message.stop()
        if message.job == "cell":
            self._show(*message.result)
        elif message.job == "draft":
            self._offer_draft(message.result)
        elif message.job == "stale":
            self._ask_stale(message.result)
        elif message.job == "saved":
            (self.saved, self.save_group), self.leaving = message.result, False
            self.draft_id, self.kept = None, ""  # (the thread threw the kept draft away)
            self.query_one("#status", Label).update("Saved (ctrl+z undoes the save).")
            announce(self.app, ANY, skip=self)
            self.reload()
        elif message.job == "undone":
            self.save_group = None
            self.query_one("#status", Label).update(f"Undid: {message.result}.")
            announce(self.app, ANY, skip=self)
            self.reload()
        elif message.job == "linked":
            self.save_group = None  # the newest change is the link now
            announce(self.app, ANY, skip=self)
            self.reload()

    def _under_cursor(self) -> dict[str, Any] | None:
        index = self.query_one(OptionList).highlighted
        return self.segments[index] if index is not None and index < len(self.segments) else None

    def action_toggle_link(self) -> None:
        """Link the segment under the cursor to the summary, or unlink it (stored at once)."""
        segment = self._under_cursor()
        if segment is None:
            self.notify("No segment here to link.", severity="warning")
            return
        self.write(None, link=() if segment["linked"] else (segment["id"],),
                   unlink=(segment["id"],) if segment["linked"] else (), job="linked")

    def action_save(self) -> None:
        """Store the summary as written, unless someone changed it since the editor read it."""
        self.write(self.query_one(TextArea).text, job="saved", expected=self.saved)

    def _ask_stale(self, cell: dict[str, Any] | None) -> None:
        """Someone changed the summary after the editor read it: keep mine, take theirs, or cancel."""
        from fieldcase.store.cells import changed_by
        from fieldcase.tui.dialogs.stale_cell import MINE, THEIRS, StaleCellDialog

        theirs = cell["summary"] if cell else ""
        who = changed_by(cell)
        status = self.query_one("#status", Label)
        status.update(f"Changed meanwhile {who}: not saved.")

        def chosen(choice: str | None) -> None:
            editor = self.query_one(TextArea)
            if choice == MINE:
                self.write(editor.text, job="saved", expected=theirs)
            elif choice == THEIRS:
                from fieldcase.store import drafts

                editor.load_text(theirs)
                self.saved, self.save_group = theirs, None
                drafts.discard_cell(app_project(self.app), self.case_id, self.code_id)
                self.draft_id, self.kept = None, ""
                status.update(f"Now the summary written {who}.")
            else:
                status.update(f"Not saved: the summary was changed {who}; ctrl+s asks again.")

        self.app.push_screen(StaleCellDialog(self.about, who, theirs), chosen)

    @work(thread=True, group="cell-write")  # not exclusive: each toggle and save must land
    def write(self, text: str | None, *, link: tuple[int, ...] = (), unlink: tuple[int, ...] = (),
              job: str, expected: str | None = None) -> None:
        """Write the cell in this thread (one logged change), a link only to one of its segments;
        with ``expected``, only over the summary the editor read (else asks, see :meth:`_ask_stale`)."""
        from fieldcase.analysis.framework import save
        from fieldcase.store import drafts, history
        from fieldcase.store.cells import StaleCellError

        try:
            with thread_project(self.project_path, self.user) as project:
                cell = save(project, self.case_id, self.code_id, text, link=link, unlink=unlink, expected=expected)
                group = history.undoable(project)
                if text is not None:
                    drafts.discard_cell(project, self.case_id, self.code_id)
        except StaleCellError as err:
            self.post_message(WorkDone("stale", err.cell))
            return
        except FieldcaseError as err:
            self.post_message(WorkFailed(job, f"error: {err}"))
            return
        self.post_message(WorkDone(job, (cell["summary"], group["id"] if group else None)))

    def action_undo_save(self) -> None:
        """Right after a save, with nothing typed since: undo that save; else undo typing."""
        editor = self.query_one(TextArea)
        if self.save_group is None or editor.text != self.saved:
            editor.undo()
            return
        self.undo_save(self.save_group)

    @work(thread=True, exclusive=True, group="cell-write")
    def undo_save(self, group_id: int) -> None:
        """Undo the change group ``group_id`` if it is still the user's newest change."""
        from fieldcase.store import history

        try:
            with thread_project(self.project_path, self.user) as project:
                newest = history.undoable(project)
                if newest is None or newest["id"] != group_id:
                    self.post_message(WorkFailed("undone", "The save is no longer your newest change: "
                                                           "undo it in the history (F7)."))
                    return
                undone = history.undo(project)
        except FieldcaseError as err:
            self.post_message(WorkFailed("undone", f"error: {err}"))
            return
        self.post_message(WorkDone("undone", undone["summary"]))

    def _offer_draft(self, text: str) -> None:
        """Put the draft in the editor; over a summary already written, only once the user agrees."""
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        editor = self.query_one(TextArea)

        def answered(yes: bool | None) -> None:
            if yes:  # an edit, not a load: ctrl+z in the editor brings the old words back
                editor.replace(text, editor.document.start, editor.document.end)
                self.query_one("#status", Label).update("A draft from the key sentences: edit it, then ctrl+s.")
            else:
                self.query_one("#status", Label).update("The summary is kept; no draft was put in.")

        if editor.text.strip() and editor.text.strip() != text.strip():
            self.app.push_screen(ConfirmDialog("Replace the summary with a draft?",
                                               "The words in the editor go (ctrl+z in the editor brings them back "
                                               "until it is saved).", action="Replace"), answered)
        else:
            answered(True)

    @work(thread=True, exclusive=True, group="cell-draft")
    def action_draft(self) -> None:
        """A first draft from the key sentences of the segments (the linked ones if any)."""
        from fieldcase.analysis.framework import draft

        try:
            with thread_project(self.project_path, self.user) as project:
                text = draft(project, self.case_id, self.code_id)
        except FieldcaseError as err:
            self.post_message(WorkFailed("draft", f"error: {err}"))
            return
        self.post_message(WorkDone("draft", text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a segment: read it in its source."""
        segment = self.segments[event.option_index]
        self.dismiss((segment["source_id"], segment["start"], segment["end"]))

    def action_close(self) -> None:
        """Back to the matrix; words not saved need a second Esc."""
        if self.query_one(TextArea).text != self.saved and not self.leaving:
            self.leaving = True
            self.query_one("#status", Label).update("The summary is not saved: ctrl+s saves, Esc again leaves it.")
            return
        self._leave()
        self.dismiss(None)

    def _leave(self) -> None:
        """Closed on purpose: words typed and not saved are not kept."""
        from fieldcase.store import drafts

        self.left = True
        if self.draft_id is not None:  # this screen's own: one declined earlier stays
            drafts.discard(app_project(self.app), self.draft_id)
