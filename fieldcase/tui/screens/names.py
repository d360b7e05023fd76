"""Pseudonyms and the glossary: the names every export prints instead of the real ones
(variants under their entry, found and confirmed one key each), and the terms word
counts keep whole. The only screen that shows real names."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from fieldcase.tui.changes import FollowsChanges
from fieldcase.errors import FieldcaseError
from fieldcase.store import pseudonyms, words
from fieldcase.store.project import Project
from fieldcase.text.english import count
from fieldcase.tui.dialogs.form import FormDialog
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.workers import WorkDone, WorkFailed, thread_project


class ProposalTable(DataTable[Any]):
    """Variants proposed for an entry: one key accepts or skips each."""

    BINDINGS = [
        Binding("y", "screen.accept_variant", "Accept variant", id="variant-accept"),
        Binding("n", "screen.skip_variant", "Skip variant", id="variant-skip"),
    ]


class NamesScreen(FollowsChanges, Screen[None]):
    """Pseudonyms (a add, Enter edit, d remove, f find variants) and glossary terms."""

    DEFAULT_CSS = """
    NamesScreen DataTable { border: round $primary 50%; }
    NamesScreen DataTable:focus { border: round $accent; }
    NamesScreen #names { height: 2fr; }
    NamesScreen #proposals { height: 1fr; display: none; }
    NamesScreen #proposals.-shown { display: block; }
    NamesScreen #glossary { height: 1fr; }
    NamesScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "add", "Add", id="names-add"),
        Binding("e", "edit", "Edit", id="names-edit"),
        Binding("d,delete", "remove", "Remove", id="names-remove"),
        Binding("f", "find_variants", "Find variants", id="find-variants"),
        Binding("escape", "back", "Back", id="names-back"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.entries: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.proposals: list[dict[str, Any]] = []
        self.proposed_for: str | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical():
            yield DataTable(id="names", cursor_type="row", zebra_stripes=True)
            yield ProposalTable(id="proposals", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="glossary", cursor_type="row", zebra_stripes=True)
            yield Label("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Pseudonyms and glossary"
        self.sub_title = "real names are shown here only; every export prints the pseudonyms"
        self.query_one("#names").border_title = "Pseudonyms  (a add · Enter or e edit · d remove · f find variants)"
        self.query_one("#glossary").border_title = "Glossary: terms word counts keep whole  (a add · d remove)"
        self.query_one("#names", DataTable).add_columns("real name", "printed as", "added by")
        self.query_one("#proposals", DataTable).add_columns("variant", "times", "likeness", "print as")
        self.query_one("#glossary", DataTable).add_columns("term", "note", "added by")
        self.refresh_tables()
        self.query_one("#names").focus()

    # Showing
    def refresh_tables(self) -> None:
        """Read both lists from the store, keeping each cursor where it was."""
        self.entries = pseudonyms.list_all(self.project)
        self._fill("#names", [(r["real"] if r["variant_of"] is None else f"  ↳ {r['real']}", r["pseudonym"],
                               r["created_by"] or "") for r in self.entries])
        self.terms = words.list_all(self.project)
        self._fill("#glossary", [(r["term"], r["note"] or "", r["created_by"] or "") for r in self.terms])

    def _fill(self, selector: str, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        at = table.cursor_row
        table.clear()
        for i, row in enumerate(rows):
            table.add_row(*row, key=str(i))
        if rows:
            table.move_cursor(row=max(0, min(at, len(rows) - 1)))

    def after_change(self) -> None:
        """Undo and redo (ctrl+z, ctrl+y) may have changed the lists."""
        self.refresh_tables()

    def say(self, message: str) -> None:
        self.query_one("#status", Label).update(message)

    def _current(self, selector: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        table = self.query_one(selector, DataTable)
        return rows[table.cursor_row] if rows and 0 <= table.cursor_row < len(rows) else None

    def _focused(self) -> str:
        focused = self.focused
        return focused.id if focused is not None and focused.id else "names"

    # Actions on the focused list
    def action_add(self) -> None:
        """Add a pseudonym, or a glossary term when the glossary has focus."""
        if self._focused() == "glossary":
            self.app.push_screen(FormDialog("New glossary term", [("term", "term", "", None), ("note", "note", "", None)],
                                            submit=lambda v: words.add(self.project, v["term"], v["note"] or None)),
                                 lambda v: self._changed(v and f"Added {v['term']} to the glossary"))
            return
        parents = [""] + [r["real"] for r in self.entries if r["variant_of"] is None]
        fields: list[tuple[str, str, str, list[str] | None]] = [
            ("real", "real name", "", None), ("pseudonym", "printed as", "", None)]
        if len(parents) > 1:
            fields.append(("variant_of", "variant of", "", parents))
        self.app.push_screen(FormDialog("New pseudonym", fields, submit=self._add_pseudonym),
                             lambda v: self._changed(v and f"{v['real']} → {v['pseudonym']}"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a pseudonym edits it."""
        if event.data_table.id == "names":
            self.action_edit()

    def _add_pseudonym(self, values: dict[str, str]) -> None:
        pseudonyms.add(self.project, values["real"], values["pseudonym"], variant_of=values.get("variant_of") or None)

    def action_edit(self) -> None:
        """Correct the real name or the pseudonym of the entry under the cursor."""
        entry = self._current("#names", self.entries) if self._focused() == "names" else None
        if entry is None:
            return
        fields: list[tuple[str, str, str, list[str] | None]] = [
            ("real", "real name", entry["real"], None), ("pseudonym", "printed as", entry["pseudonym"], None)]

        def submit(values: dict[str, str]) -> None:
            pseudonyms.edit(self.project, entry["real"], new_real=values["real"], pseudonym=values["pseudonym"])

        self.app.push_screen(FormDialog(f"Edit the pseudonym for {entry['real']}", fields, submit=submit),
                             lambda v: self._changed(v and f"{v['real']} → {v['pseudonym']}"))

    def action_remove(self) -> None:
        """Remove the entry (and its variants) or the glossary term under the cursor, after asking."""
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        if self._focused() == "glossary":
            term = self._current("#glossary", self.terms)
            if term is not None:
                words.remove(self.project, term["term"])
                self._changed(f"Removed {term['term']} from the glossary (ctrl+z undoes it)")
            return
        entry = self._current("#names", self.entries)
        if entry is None or self._focused() != "names":
            return
        variants = [r["real"] for r in self.entries if r["variant_of"] == entry["id"]]
        detail = f"Exports will print {entry['real']} again"
        detail += f", and its {count(len(variants), 'variant')} ({', '.join(variants)})." if variants else "."

        def answered(yes: bool | None) -> None:
            if yes:
                pseudonyms.remove(self.project, entry["real"])
                self._changed(f"Removed the pseudonym for {entry['real']} (ctrl+z undoes it)")

        self.app.push_screen(ConfirmDialog(f"Remove the pseudonym for {entry['real']}?", detail, "Remove"), answered)

    def _changed(self, message: str | None) -> None:
        if message:
            self.refresh_tables()
            self.say(message)

    # Variants
    def action_find_variants(self) -> None:
        """Look for other ways the entry under the cursor is written in the sources."""
        entry = self._current("#names", self.entries)
        if entry is None:
            self.say("Add a pseudonym first (a); f then finds how else that name is written")
            return
        real = entry.get("variant_of_real") or entry["real"]
        self.say(f"Looking for other ways {real} is written…")
        self.find_variants(real)

    @work(thread=True, exclusive=True, group="variants")
    def find_variants(self, real: str) -> None:
        """Search the sources in this thread, with its own connection."""
        from fieldcase.reports.pseudonyms import variants

        try:
            with thread_project(self.project.path, self.project.user) as project:
                found = variants(project, real)
        except FieldcaseError as err:
            self.post_message(WorkFailed("variants", f"error: {err}"))
            return
        self.post_message(WorkDone("variants", (real, found)))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.say(message.error)

    def on_work_done(self, message: WorkDone) -> None:
        self._propose(*message.result)

    def _propose(self, real: str, found: list[dict[str, Any]]) -> None:
        self.proposed_for = real
        self.proposals = [r for r in found if r.get("suggested")]
        table = self.query_one("#proposals", ProposalTable)
        table.set_class(bool(self.proposals), "-shown")
        self._show_proposals()
        # forms that may be someone else's (another case's alias, a shared surname …) are never proposed
        others = [str(r["variant"]) for r in found if r.get("note")]
        aside = f"; not proposed, maybe someone else's: {'、'.join(others)}" if others else ""
        if self.proposals:
            table.border_title = f"Variants of {real} in the sources  (y accept · n skip · Esc back)"
            table.focus()
            self.say(f"{count(len(self.proposals), 'variant')} of {real} to confirm, one key each{aside}")
        else:
            self.say(f"No other way of writing {real} was found in the sources{aside}")

    def _show_proposals(self) -> None:
        self._fill("#proposals", [(r["variant"], r["count"], f"{r.get('likeness') or 0:.0f}%", r["suggested"])
                                  for r in self.proposals])

    def _decide(self, accept: bool) -> None:
        row = self._current("#proposals", self.proposals)
        if row is None or self.proposed_for is None:
            return
        if accept:
            try:
                pseudonyms.add(self.project, str(row["variant"]), str(row["suggested"]), variant_of=self.proposed_for)
            except FieldcaseError as err:
                self.say(f"error: {err}")
                return
            self.refresh_tables()
        self.say(f"{row['variant']} → {row['suggested']}" if accept else f"Skipped {row['variant']}")
        self.proposals.remove(row)
        self._show_proposals()
        if not self.proposals:
            self._close_proposals()

    def action_accept_variant(self) -> None:
        """Print the proposed variant as its suggested pseudonym, under its entry."""
        self._decide(True)

    def action_skip_variant(self) -> None:
        """Leave the proposed variant out."""
        self._decide(False)

    def _close_proposals(self) -> None:
        self.query_one("#proposals").set_class(False, "-shown")
        self.query_one("#names").focus()

    def action_back(self) -> None:
        """Close the variants, or go back to the workspace."""
        if self.query_one("#proposals").has_class("-shown"):
            self._close_proposals()
            return
        self.dismiss(None)
