"""The workspace: navigator and codebook on the left, the reader, the details pane."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from fieldcase.errors import FieldcaseError
from fieldcase.store import cases as store_cases
from fieldcase.store import codes, codings, drafts, memos, sites, sources, tallies
from fieldcase.store.project import Project
from fieldcase.store.rows import CodeNode, SourceDetails
from fieldcase.tui import kept_drafts, team
from fieldcase.tui.changes import CODINGS, FollowsChanges, ProjectChanged, announce
from fieldcase.coding.compare import pieces
from fieldcase.tui.screens import doors, layer_view, rooms
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.code_tree import CodeTree, recount
from fieldcase.tui.widgets.details import DetailsPane
from fieldcase.tui.widgets.navigator import Navigator
from fieldcase.tui.watch import follow
from fieldcase.tui.widgets.reader import Reader
from fieldcase.tui.widgets.recent_codes import SIZE as RECENT
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project


def _code_name(row: Mapping[str, Any]) -> str:
    """How a coding's code is named to the user: its Chinese or English name, else its key."""
    name: str = row.get("code_name_zh") or row.get("code_name_en") or row["code_key"]
    return name


class WorkspaceScreen(FollowsChanges, layer_view.LayerView, team.TeamDoors, doors.WorkspaceDoors, rooms.RoomsBase):
    """Read a source and code it by keyboard."""

    DEFAULT_CSS = """
    WorkspaceScreen #left { width: 36; }
    WorkspaceScreen Navigator { height: 1fr; border: round $primary 50%; }
    WorkspaceScreen CodeTree { height: 1fr; border: round $primary 50%; }
    WorkspaceScreen Reader { width: 1fr; border: round $accent 50%; }
    WorkspaceScreen DetailsPane { width: 38; border: round $primary 50%; padding: 0 1; }
    WorkspaceScreen *:focus { border: round $accent; }
    WorkspaceScreen.-medium #left { width: 30; }
    WorkspaceScreen.-medium DetailsPane { width: 32; }
    WorkspaceScreen.-narrow #left { width: 30; }
    WorkspaceScreen.-tiny #left { width: 22; }
    WorkspaceScreen #panes { layers: default details; }
    WorkspaceScreen DetailsPane.-over { layer: details; dock: right; width: 40; max-width: 75%; height: 1fr; background: $surface; }
    WorkspaceScreen DetailsPane.-hidden { display: none; }
    """
    # Below these widths the side panes narrow, then the details pane starts hidden (its codes
    # at the cursor stay visible as colours in the reader) and d shows it over the reader's
    # right side, so that the reader keeps room to read.
    MEDIUM, NARROW, TINY = 130, 110, 80
    # The key bar shows what coding needs at hand and fits 140 columns; F1 and ctrl+p list every key.
    BINDINGS = [
        Binding("c", "apply_code", "Code", id="apply-code"),
        Binding("v", "in_vivo", "In vivo", id="in-vivo"),
        Binding("x", "uncode", "Uncode", id="uncode"),
        Binding("m", "memo", "Memo", id="memo-coding"),
        *[Binding(str(i), f"apply_recent({i})", f"Recent code {i}", show=False, id=f"recent-code-{i}") for i in range(1, RECENT + 1)],
        Binding("ctrl+n", "new_source", "New source", id="new-source", show=False),
        Binding("ctrl+o", "import_files", "Import", id="import-files", show=False),
        Binding("e", "edit_source", "Edit text", id="edit-source", show=False),
        Binding("f5", "sites_cases", "Sites & cases", id="sites-cases", show=False),
        # priority: the reader (a text area) would take f6 to select a line
        Binding("f6", "names", "Pseudonyms & glossary", id="pseudonyms-glossary", show=False, priority=True),
        Binding("slash,ctrl+f", "search", "Search", id="search"),
        Binding("f8", "words", "Words", id="words", show=False),
        Binding("f9", "suggestions", "Suggestions", id="review-suggestions"),
        Binding("ctrl+r", "export", "Export", id="export", show=False),
        Binding("Q", "qdpx", "REFI-QDA project in or out", id="qdpx", show=False),
        Binding("f10", "matrix", "Matrix", id="matrix", show=False),
        # priority: the reader (a text area) would take F7 as select-all
        Binding("f7", "history", "History", id="history", show=False, priority=True),
        *rooms.BINDINGS,
        Binding("f2", "focus('navigator')", "Sources", id="focus-navigator", show=False),
        Binding("f3", "focus('reader')", "Reader", id="focus-reader", show=False),
        Binding("f4", "focus('codes')", "Codes", id="focus-codes", show=False),
        Binding("d", "toggle_details", "Show or hide details", id="toggle-details", show=False),
        *team.BINDINGS,  # (last: the help lists them after the workspace's own)
        *layer_view.BINDINGS,  # the coder layers' keys, all in one list
        Binding("F", "framework", "Framework matrix", id="framework-matrix", show=False),
    ]

    def __init__(self, project: Project, *, blind: bool = False) -> None:
        """``blind``: show only the user's codings (as the project's blind-coding setting does)."""
        super().__init__()
        self.project = project
        self._blind_asked = blind
        self.source: SourceDetails | None = None
        self.recent = RecentCodes()
        self.code_rows: list[CodeNode] = []
        self.segments: list[dict[str, Any]] = []
        self._details_shown: tuple[Any, ...] | None = None
        # The first fill shows the codebook without counts and has them counted in a thread;
        # ``_counted``: the code rows carry counts; ``_changes``: codings changed or reread
        # here, so that counts read before are not shown.
        self._counted = False
        self._changes = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Navigator(id="navigator")
                yield CodeTree(id="codes")
            yield Reader(id="reader")
            yield DetailsPane(id="details")
        yield RecentLegend(id="recent")
        yield KeyBar()

    def on_resize(self, event: Any) -> None:
        width = event.size.width
        self.set_class(width < self.MEDIUM, "-medium")
        self.set_class(width < self.NARROW, "-narrow")
        self.set_class(width < self.TINY, "-tiny")
        self._place_details(toggle=False)
        team.show_hub_state(self.app, self.project)

    def _place_details(self, toggle: bool) -> None:
        shown = self.query_one(DetailsPane).place(self.has_class("-narrow"), toggle)
        key = next((self.app.get_key_display(b.binding) for b in self.active_bindings.values()
                    if b.binding.id == "toggle-details"), "d")
        hint = "" if shown else f"{key} details"
        self.query_one(Reader).border_subtitle = " · ".join(part for part in (self.compare_legend(), hint) if part)

    def action_toggle_details(self) -> None:
        """Show or hide the details pane (in a narrow terminal, over the reader's right side)."""
        self._place_details(toggle=True)

    def on_mount(self) -> None:
        self.query_one("#navigator").border_title = "Sources  F2"
        self.query_one("#navigator").border_subtitle = "◆ interview ◇ note ▤ document"
        self.query_one("#codes").border_title = "Codebook  F4"
        self.query_one("#reader").border_title = "Reader  F3"
        self.query_one("#details").border_title = "Details"
        self.start_layers(self._blind_asked)
        self.store_watch = follow(self, self.project, self.refresh_from_store)  # tests wait on what it saw
        # The first frame shows the panes at once; the navigator, the codebook (whose counts
        # read every coding) and the first source fill in right after.
        self.call_after_refresh(self._fill)
        self.query_one(Reader).focus()
        # jieba takes about a second of CPU: start it once the first frame is on screen,
        # in a daemon thread so that quitting never waits for it.
        self.call_after_refresh(lambda: self.set_timer(0.5, self.load_words))
        kept = kept_drafts.notice(drafts.list_all(self.project), drafts.orphaned_cells(self.project))
        if kept:
            self.notify(kept, timeout=20, markup=False)

    def load_words(self) -> None:
        """Warm up in the background what start-up skipped: fuzzy matching, and jieba's
        dictionary so word selection knows Chinese words."""
        import threading

        rows = list(self.code_rows)  # (filled by the first frame's reload)

        def warm() -> None:
            import rapidfuzz  # noqa: F401

            from fieldcase.coding import ranking
            from fieldcase.text.units import load_jieba

            ranking.warm(rows)  # the code picker's pinyin (cstl → 城市推力), ready for its first key
            load_jieba(background=True)

        threading.Thread(target=warm, name="warm-up", daemon=True).start()

    # Loading
    def _fill(self) -> None:
        """Fill the panes once the first frame is on screen, and open the first source; the
        codebook's counts (a pass over every coding) follow from a thread."""
        self.reload(counts=False)
        first = tallies.first_source(self.project)
        if first is not None:
            self.open_source(first)
        self._count(self._changes, self.shown_coders())

    @work(thread=True, exclusive=True, group="counts")
    def _count(self, changes: int, coders: list[str] | None) -> None:
        """Count the codings of each code (by ``coders``, read on the UI thread: the worker
        reads nothing of the screen) in a thread, as :meth:`reload` would."""
        try:
            with thread_project(self.project.path, self.project.user) as project:
                counted = (changes, codes.tree(project, coders))
        except FieldcaseError as err:
            self.post_message(WorkFailed("counts", str(err)))
            return
        self.post_message(WorkDone("counts", counted))

    def on_work_done(self, message: WorkDone) -> None:
        if message.job != "counts" or self._counted:
            return
        changes, tree = message.result
        if changes != self._changes:  # counted before a change made here: count again
            self._count(self._changes, self.shown_coders())
            return
        if [row["key"] for row in tree] != [row["key"] for row in self.code_rows]:
            self.reload()  # the codebook changed meanwhile
            return
        self.code_rows, self._counted = tree, True
        self.query_one(CodeTree).update_counts(tree, {row["key"] for row in tree})
        self.show_recent()

    def on_work_failed(self, message: WorkFailed) -> None:
        if message.job == "counts":
            self.notify(f"Could not count the codings: {message.error}", severity="error", markup=False)

    def reload(self, *, counts: bool = True) -> None:
        """Re-read the navigator and codebook from the store (``counts=False``: the
        codebook without its counts, for :meth:`_count` to fill in)."""
        self._changes += 1
        self._counted = counts
        tree = codes.tree(self.project, self.shown_coders(), counts=counts)
        self.code_rows = tree
        counts_by_source = codings.per_source(self.project, self.shown_coders())
        # (the navigator's listing reads no text: see tallies)
        self.query_one(Navigator).show(
            sites.list_all(self.project), store_cases.list_all(self.project), tallies.navigator_sources(self.project),
            counts_by_source,
        )
        self.query_one(CodeTree).show(tree)
        self.show_recent()
        team.show_hub_state(self.app, self.project)

    def show_recent(self) -> None:
        """Name the codes that 1–9 apply, in the legend above the key bar."""
        self.recent.keep({row["id"] for row in self.code_rows})
        self.query_one(RecentLegend).show(self.recent, self.code_rows)

    def open_source(self, source_id: int) -> None:
        """Show a source in the reader."""
        self.source = sources.get(self.project, source_id)
        reader = self.query_one(Reader)
        reader.show_source(source_id, self.source["text"], self.source["turns"])
        reader.border_title = f"{self.source['title']}  F3"
        self.refresh_codings()

    def refresh_from_store(self) -> None:
        """Show what another process changed (trees, counts, the open source's text and
        codings), keeping the cursor and the selection."""
        if self.source is not None:
            reader = self.query_one(Reader)
            now = sources.list_all(self.project, source_id=self.source["id"])
            if not now:  # removed elsewhere
                self.source, self.segments = None, []
                reader.show_source(0, "", [])
                reader.border_title = "Reader  F3"
            elif now[0]["text_sha256"] != self.source["text_sha256"]:
                offset = reader.cursor_offset
                self.open_source(self.source["id"])
                reader.move_cursor(reader.location_of(min(offset, len(reader.source_text))))
        self.after_change()

    def refresh_codings(self, *, details: bool = True) -> None:
        """Re-colour the reader and (unless ``details`` is false) the details after a coding change."""
        if self.source is None:
            return
        by_key = {c["key"]: c["color"] for c in self.code_rows}
        coders = self.shown_coders()
        self.segments = [{**segment, "color": by_key.get(segment["code_key"])}
                         for segment in codings.query(self.project, source=self.source["id"])
                         if coders is None or segment["coder"] in coders]
        if self.coder_layer.kind == "compare":
            self.compared = pieces(self.segments, *self.coder_layer.coders)
            self.query_one(Reader).set_compared(self.compared)
        else:
            self.compared = []
            self.query_one(Reader).set_codings(self.segments)
        if details:
            self.update_details()

    def update_details(self, offset: int | None = None) -> None:
        """Show what is coded at the cursor."""
        if self.source is None:
            self.query_one(DetailsPane).show(None, [], [])
            return
        reader = self.query_one(Reader)
        span = reader.selected_span
        # with a selection (a jump to a segment, or w s t p), what is coded where it starts
        pos = span[0] if span is not None else reader.cursor_offset if offset is None else offset
        here = [s for s in self.segments if s["start"] <= pos < s["end"]]
        note = self.verdict_at(pos)
        shown = (self.source["id"], tuple((s["id"], s["memo"]) for s in here), note)
        if offset is not None and shown == self._details_shown:
            return  # the cursor moved within the same codings: nothing to redraw
        self._details_shown = shown
        self.query_one(DetailsPane).show(self.source, here, memos.list_all(self.project, "source", self.source["id"]),
                                         note=note)

    # Messages from widgets
    def on_navigator_source_selected(self, message: Navigator.SourceSelected) -> None:
        self.open_source(message.source_id)
        self.query_one(Reader).focus()

    def on_reader_cursor_moved(self, message: Reader.CursorMoved) -> None:
        self.update_details(message.offset)

    def on_code_tree_code_selected(self, message: CodeTree.CodeSelected) -> None:
        from fieldcase.tui.screens.retrieval import RetrievalScreen

        self.app.push_screen(RetrievalScreen(self.project, code_id=message.code_id), self._jump_to)

    def _jump_to(self, target: tuple[int, int, int] | None) -> None:
        if target is None:
            return
        source_id, start, end = target
        if self.source is None or self.source["id"] != source_id:
            self.open_source(source_id)
        reader = self.query_one(Reader)
        reader.select_span(start, end)
        reader.focus()

    # Coding actions
    def _selection(self) -> tuple[int, int] | None:
        span = self.query_one(Reader).selected_span
        if span is None:
            self.notify("Select some text first: w word, s sentence, t turn, p paragraph, or shift+arrows",
                        severity="warning")
        return span

    def action_apply_code(self) -> None:
        """Pick a code and apply it to the selection."""
        span = self._selection()
        if span is None:
            return
        from fieldcase.tui.dialogs.code_picker import CodePicker

        words = " ".join(self.query_one(Reader).source_text[span[0]:span[1]].split())
        words = words if len(words) <= 30 else words[:29] + "…"
        seen = self._text_seen()  # the text the words were selected in, while the picker is open
        self.app.push_screen(CodePicker(self.code_rows, title=f"Code “{words}”"),
                             lambda code_id: self._apply(code_id, span, seen))

    def action_apply_recent(self, number: int) -> None:
        """Apply the n-th most recently used code to the selection."""
        code_id = self.recent.get(number)
        if code_id is None:
            self.notify(f"No recent code {number} yet", severity="warning")
            return
        span = self._selection()
        if span is not None:
            self._apply(code_id, span, self._text_seen())

    def _text_seen(self) -> str | None:
        """The hash of the text in the reader: coding checks the store still holds it."""
        return self.source["text_sha256"] if self.source else None

    def _apply(self, code_id: int | None, span: tuple[int, int], seen: str | None = None) -> None:
        if code_id is None or self.source is None:
            return
        try:
            row, created = codings.add(self.project, self.source["id"], code_id, *span, expected=seen)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self.recent.use(code_id)
        self.notify(f"{'Coded' if created else 'Already coded'}: {_code_name(row)}")
        self.after_coding(cursor=span[0])

    def _coding_here(self) -> dict[str, Any] | None:
        pos = self.query_one(Reader).cursor_offset
        here = [s for s in self.segments if s["start"] <= pos < s["end"]]
        if not here:
            self.notify("No coding at the cursor", severity="warning")
            return None
        return min(here, key=lambda s: (s["end"] - s["start"], -s["id"]))

    def action_uncode(self) -> None:
        """Remove the innermost coding at the cursor."""
        coding = self._coding_here()
        if coding is not None:
            codings.remove(self.project, coding["id"])
            self.notify(f"Removed {_code_name(coding)} (ctrl+z to undo)")
            self.after_coding()

    def action_memo(self) -> None:
        """Write the memo of the innermost coding at the cursor."""
        coding = self._coding_here()
        if coding is None:
            return

        before = coding.get("memo") or ""

        def save(text: str | None) -> None:
            if text is not None and text != before:
                codings.set_memo(self.project, coding["id"], text if text.strip() else None)
                self.after_coding()

        from fieldcase.tui.dialogs.memo_editor import MemoEditor

        quote = " ".join((coding.get("text") or "").split())
        quote = quote if len(quote) <= 24 else quote[:23] + "…"
        self.app.push_screen(MemoEditor(f"Memo on {_code_name(coding)}: “{quote}”", before), save)

    def after_coding(self, cursor: int | None = None) -> None:
        """Show a change to the codings of the open source (made here): its highlights and
        details, its count in the navigator, and the counts of the codes it touched (worked
        out from the codings of this one source before and after, so nothing else is read).
        Other open screens hear of it by a :class:`ProjectChanged` message."""
        if self.source is None:
            self.after_change(cursor)
            return
        reader = self.query_one(Reader)
        selection = reader.selection
        before = Counter(s["code_key"] for s in self.segments)
        self.refresh_codings(details=False)  # (the details follow the cursor, below)
        after = Counter(s["code_key"] for s in self.segments)
        deltas = {key: (after[key] - before[key], (after[key] > 0) - (before[key] > 0))
                  for key in before | after if after[key] != before[key]}
        self._changes += 1
        if deltas and self._counted:  # (else the counts still to come take it in)
            self.query_one(CodeTree).update_counts(self.code_rows, recount(self.code_rows, deltas))
        self.query_one(Navigator).update_count(self.source["id"], len(self.segments))
        self.show_recent()
        team.show_hub_state(self.app, self.project)  # one more to push
        if cursor is not None:
            reader.move_cursor(reader.location_of(cursor))
        else:
            reader.selection = selection
        self.update_details()
        touched = frozenset(row["id"] for row in self.code_rows if row["key"] in deltas)
        announce(self.app, CODINGS, source_ids=frozenset([self.source["id"]]), code_ids=touched, skip=self)

    def show_change(self, change: ProjectChanged) -> None:
        """A change made elsewhere (ctrl+z, another screen): read everything shown again."""
        self.after_change()

    def after_change(self, cursor: int | None = None) -> None:
        """Refresh what a change to codings or codes affects.

        With ``cursor``, the selection collapses there so the new coding's colour shows.
        """
        reader = self.query_one(Reader)
        selection, shown, text = reader.selection, reader.source_id, reader.source_text
        self.reload()
        self.resync_open_source()
        self.refresh_codings()
        if cursor is not None:
            reader.move_cursor(reader.location_of(cursor))
        elif reader.source_id == shown and reader.source_text == text:  # the same text: keep the selection
            reader.selection = selection
        self.update_details()

    async def action_focus(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").focus()
