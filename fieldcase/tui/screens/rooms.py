"""The workspace's doors to its rooms: the codebook, a source's details (and deleting it),
orphaned codings and re-anchoring them in the reader, and naming in-vivo codes."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Tree

from fieldcase.errors import FieldcaseError
from fieldcase.store import codes, codings, sites, sources
from fieldcase.store.rows import CodeNode, Coding, SourceDetails
from fieldcase.text.english import count
from fieldcase.tui.screens.orphans import clip, code_name
from fieldcase.tui.widgets.navigator import Navigator
from fieldcase.tui.widgets.reader import Reader
from fieldcase.tui.widgets.recent_codes import RecentCodes

BINDINGS = [
    Binding("b", "codebook", "Codebook", id="codebook", show=False),
    Binding("i", "source_details", "Source details", id="source-details", show=False),
    Binding("delete", "delete_source", "Delete source", id="delete-source", show=False),
    Binding("o", "orphans", "Orphaned codings", id="orphaned-codings", show=False),
    # Only while re-anchoring a coding (see check_action): the reader would take these keys otherwise.
    Binding("enter", "reanchor_here", "Re-anchor here", id="reanchor-here", show=False, priority=True),
    Binding("escape", "reanchor_stop", "Stop re-anchoring", id="reanchor-stop", show=False, priority=True),
]


class RoomsBase(Screen[None]):
    """The base of :class:`~fieldcase.tui.screens.workspace.WorkspaceScreen`: its actions
    that open a room and bring its changes back into the navigator, codebook and reader."""

    project: Any
    source: SourceDetails | None
    code_rows: list[CodeNode]
    segments: list[dict[str, Any]]
    recent: RecentCodes
    reanchoring: Coding | None = None

    # What the workspace provides.
    def open_source(self, source_id: int) -> None:
        raise NotImplementedError

    def after_change(self, cursor: int | None = None) -> None:
        raise NotImplementedError

    def _selection(self) -> tuple[int, int] | None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reanchor_here", "reanchor_stop"):
            return self.reanchoring is not None
        return True

    # The codebook
    def action_codebook(self) -> None:
        """Manage the codebook: add, rename, edit, colour, move, merge and delete codes."""
        from fieldcase.tui.screens.codebook import CodebookScreen

        node = self.query_one("#codes", Tree).cursor_node
        code_id = node.data["id"] if node is not None and node.data else None
        self.app.push_screen(CodebookScreen(self.project, code_id), lambda _: self._back_from_room())

    def _back_from_room(self) -> None:
        """Show what a room changed: trees, counts, colours, and the source (or its absence)."""
        known = {r["id"] for r in codes.tree(self.project)}
        self.recent.keep(known)
        self.after_change()

    # In vivo
    def action_in_vivo(self) -> None:
        """Name a new code after the selected words, pick its parent, and code the words with it."""
        from fieldcase.tui.dialogs.in_vivo import InVivoDialog

        span = self._selection()
        if span is None or self.source is None:
            return
        source_id, seen = self.source["id"], self.source["text_sha256"]
        made: dict[str, Any] = {}

        def create(name: str, parent: int | None) -> int:
            _, code = codings.add_in_vivo(self.project, source_id, *span, name=name, parent=parent, expected=seen)
            made.update(code)
            code_id: int = code["id"]
            return code_id

        def done(code_id: int | None) -> None:
            if code_id is None:
                return
            self.recent.use(code_id)
            self.notify(f"New in-vivo code {codes.label(made)} (ctrl+z undoes)")
            self.after_change(cursor=span[0])

        words = self.query_one(Reader).source_text[span[0]:span[1]]
        self.app.push_screen(InVivoDialog(self.code_rows, words, create), done)

    # Source details and deleting a source
    def _navigator_source(self) -> int | None:
        """The source under the navigator's cursor, when the navigator has focus."""
        navigator = self.query_one(Navigator)
        node = navigator.cursor_node
        if navigator.has_focus and node is not None and node.data and "source" in node.data:
            source_id: int = node.data["source"]
            return source_id
        return None

    def action_source_details(self) -> None:
        """Edit the details of the open source (or of the one under the navigator's cursor)."""
        from fieldcase.tui.dialogs.source_details import SourceDetailsDialog

        source_id = self._navigator_source() or (self.source["id"] if self.source else None)
        if source_id is None:
            self.notify("No source open: pick one in the sources pane (F2)", severity="warning")
            return
        source = sources.get(self.project, source_id, with_text=False)
        site_names = [s["name"] for s in sites.list_all(self.project)]

        saved: list[SourceDetails] = []

        def save(values: dict[str, str]) -> None:
            saved.append(sources.update(self.project, source_id, values))

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            if saved[-1] == source:  # (a save stamps modified_at)
                self.notify("Nothing changed")
                return
            self.notify(f"Saved the details of {saved[-1]['title']} (ctrl+z undoes)")
            self.after_change()

        dialog = SourceDetailsDialog(source, site_names, save, lambda: self._confirm_delete(source_id))
        self.app.push_screen(dialog, done)

    def action_delete_source(self) -> None:
        """Delete the source under the navigator's cursor, after saying what goes with it."""
        source_id = self._navigator_source()
        if source_id is None:
            self.notify("Delete works on a source in the sources pane (F2); "
                        "or i, then ctrl+d, for the open one", severity="warning")
            return
        self._confirm_delete(source_id)

    def _confirm_delete(self, source_id: int) -> None:
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        source = sources.get(self.project, source_id, with_text=False)
        gone = sources.impact(self.project, source_id)
        detail = (f"Its text ({source['chars']:,} characters) goes with {count(gone['codings'], 'coding')}, "
                  f"{count(gone['memos'], 'memo')}, {count(gone['cases'], 'case link')} and "
                  f"{count(gone['attributes'], 'attribute value')}. ctrl+z brings it all back.")

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                sources.delete(self.project, source_id)
            except FieldcaseError as err:
                self.notify(str(err), severity="error")
                return
            self.notify(f"Deleted {source['title']} (ctrl+z brings it back)")
            self.after_change()

        self.app.push_screen(ConfirmDialog(f"Delete the source {source['title']}?", detail), confirmed)

    def resync_open_source(self) -> None:
        """Bring the open source up to date after a change: its details (a new title), its
        text (an edit undone), or its absence (deleted, or its import undone: the first
        source left opens, or none; when none was open, as after deleting the last one, the
        first opens)."""
        if self.source is not None and sources.list_all(self.project, source_id=self.source["id"]):
            # the text is read again only when its hash says it changed (not after every coding)
            fresh = sources.get(self.project, self.source["id"], with_text=False)
            if fresh["text_sha256"] != self.source["text_sha256"]:
                self.open_source(fresh["id"])
                return
            self.source = {**fresh, "text": self.source["text"]}
            self.query_one(Reader).border_title = f"{fresh['title']}  F3"
            return
        listing = sources.list_all(self.project)
        if listing:
            self.open_source(listing[0]["id"])
            return
        self.source = None
        self.segments = []
        reader = self.query_one(Reader)
        reader.show_source(None, "", [])
        reader.border_title = "Reader  F3"

    # Orphaned codings
    def action_orphans(self) -> None:
        """List the codings that lost their words in a text edit; re-anchor or delete them."""
        from fieldcase.tui.screens.orphans import OrphansScreen

        self.app.push_screen(OrphansScreen(self.project), self._start_reanchor)

    def _start_reanchor(self, row: Coding | None) -> None:
        self.after_change()
        if row is None:
            return
        self.reanchoring = row
        if self.source is None or self.source["id"] != row["source_id"]:
            self.open_source(row["source_id"])
        reader = self.query_one(Reader)
        reader.move_cursor(reader.location_of(min(row["start"], len(reader.source_text))))
        reader.focus()
        reader.border_subtitle = f"re-anchoring #{row['id']}: select the new words, Enter · Esc stops"
        self.refresh_bindings()
        self.notify(f"Re-anchoring #{row['id']} {code_name(row)}, which lost “{clip(row['text'], 30)}”: "
                    "select its new words (w s t p, shift+arrows), then Enter. Esc stops.", timeout=12)

    def action_reanchor_here(self) -> None:
        """Point the coding being re-anchored at the selected words."""
        row = self.reanchoring
        reader = self.query_one(Reader)
        if row is None:
            return
        if reader.source_id != row["source_id"]:
            self.notify(f"Coding #{row['id']} belongs to {row['source_title']}: open it (F2) "
                        "or Esc to stop re-anchoring", severity="warning")
            return
        span = self._selection()
        if span is None:
            return
        try:
            codings.reanchor(self.project, row["id"], *span)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self._stop_reanchoring()
        left = len(codings.query(self.project, status="orphaned"))
        more = f"; {count(left, 'orphaned coding')} left (o lists them)" if left else ""
        self.notify(f"Coding #{row['id']} {code_name(row)} now codes “{clip(reader.source_text[span[0]:span[1]], 30)}”"
                    f"{more} (ctrl+z undoes)")
        self.after_change(cursor=span[0])

    def action_reanchor_stop(self) -> None:
        """Stop re-anchoring; the coding stays orphaned."""
        row = self.reanchoring
        self._stop_reanchoring()
        if row is not None:
            self.notify(f"Coding #{row['id']} stays orphaned (o lists them)")

    def _stop_reanchoring(self) -> None:
        self.reanchoring = None
        self.query_one(Reader).border_subtitle = ""
        self.refresh_bindings()
