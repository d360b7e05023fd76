"""The workspace's doors to the other rooms and dialogs (search, words, suggestions, matrices,
history, export, REFI-QDA, sites and cases, pseudonyms, import, typing and editing sources),
and what it does when each closes. Mixed into
:class:`~fieldcase.tui.screens.workspace.WorkspaceScreen`."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from fieldcase.store import drafts, sources
from fieldcase.store.project import Project
from fieldcase.store.rows import CodeNode, SourceDetails
from fieldcase.text.english import count
from fieldcase.tui.widgets.recent_codes import RecentCodes


class WorkspaceDoors(Screen[None]):
    """The workspace's actions that open another screen or dialog."""

    project: Project
    source: SourceDetails | None
    recent: RecentCodes
    code_rows: list[CodeNode]

    # What the workspace provides.
    def after_change(self, cursor: int | None = None) -> None:
        raise NotImplementedError

    def _jump_to(self, target: tuple[int, int, int] | None) -> None:
        raise NotImplementedError

    def refresh_from_store(self) -> None:
        raise NotImplementedError

    def reload(self, *, counts: bool = True) -> None:
        raise NotImplementedError

    def open_source(self, source_id: int) -> None:
        raise NotImplementedError

    def action_search(self) -> None:
        """Search every source; Enter on a hit opens it in the reader."""
        from fieldcase.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.project.path, self.project.user, **self._coding_kit()),
                             self._after_review)

    def action_words(self) -> None:
        """Word frequencies (table and chart); Enter on a word lists it in context."""
        from fieldcase.tui.screens.words import WordsScreen

        self.app.push_screen(WordsScreen(self.project.path, self.project.user, **self._coding_kit()),
                             self._after_review)

    def _coding_kit(self) -> dict[str, Any]:
        """What a list of hits needs to code them as the workspace does (the same recent codes)."""
        return {"project": self.project, "recent": self.recent, "code_rows": self.code_rows}

    def action_suggestions(self) -> None:
        """Review coding suggestions one key per decision: a accept, r reject, w widen."""
        from fieldcase.tui.screens.suggestions import SuggestionsScreen

        source_id = self.source["id"] if self.source else None
        self.app.push_screen(SuggestionsScreen(self.project, source_id, self.recent), self._after_review)

    def _after_review(self, target: tuple[int, int, int] | None) -> None:
        self.after_change()
        self._jump_to(target)

    def action_matrix(self) -> None:
        """Counts of codings by case, site or attribute, and code co-occurrence."""
        from fieldcase.tui.screens.matrix import MatrixScreen

        self.app.push_screen(MatrixScreen(self.project.path, self.project.user), self._jump_to)

    def action_framework(self) -> None:
        """The framework matrix: cases × themes, the researcher's summaries in the cells."""
        from fieldcase.tui.screens.framework import FrameworkScreen

        self.app.push_screen(FrameworkScreen(self.project.path, self.project.user), self._jump_to)

    def action_history(self) -> None:
        """Who changed what and when; undo yours, revert a colleague's."""
        from fieldcase.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.project), lambda _: self.refresh_from_store())

    def action_export(self) -> None:
        """Export a case chapter, the coded summary, segments or a matrix."""
        from fieldcase.tui.dialogs.export import ExportDialog

        case = self.source["cases"][0] if self.source and self.source.get("cases") else None
        self.app.push_screen(ExportDialog(self.project.path, self.project.user, case, code_rows=self.code_rows),
                             lambda out: self.notify(f"Wrote {out}") if out else None)

    def action_qdpx(self, action: str = "export", file: str | None = None) -> None:
        """Export the project for NVivo, ATLAS.ti, MAXQDA or QualCoder, or import theirs
        (``file`` given: its import starts at once)."""
        from fieldcase.tui.dialogs.qdpx import QdpxDialog

        self.app.push_screen(QdpxDialog(self.project.path, self.project.user, action=action, file=file),
                             lambda changed: self.reload() if changed else None)

    def action_sites_cases(self) -> None:
        """Manage sites and cases, and link the open source to cases."""
        from fieldcase.tui.screens.sites_cases import SitesCasesScreen

        source_id = self.source["id"] if self.source else None
        # back here, the open source's cases (or its absence, if deleted meanwhile) show
        self.app.push_screen(SitesCasesScreen(self.project, source_id), lambda _: self.after_change())

    def action_names(self) -> None:
        """Pseudonyms (variants found and confirmed one key each) and the glossary."""
        from fieldcase.tui.screens.names import NamesScreen

        self.app.push_screen(NamesScreen(self.project))

    def action_import_files(self) -> None:
        """Import files or folders, with a progress bar."""
        from fieldcase.tui.dialogs.import_files import ImportDialog

        self.app.push_screen(ImportDialog(self.project.path, self.project.user), self._after_import)

    def _after_import(self, result: int | str | None) -> None:
        """Back from the import dialog: a REFI-QDA project it was given goes to the REFI-QDA
        dialog (one way in for a project), else the imported files show."""
        if isinstance(result, str):
            self.action_qdpx("import", result)
        else:
            self.reload()

    def action_new_source(self) -> None:
        """Type a new source (continuing the newest unfinished new-source draft, if any; a
        kept edit is continued with e on its source)."""
        from fieldcase.tui.screens.new_source import NewSourceScreen

        waiting = [d for d in drafts.list_all(self.project) if d["source_id"] is None]
        self.app.push_screen(NewSourceScreen(self.project, waiting[0] if waiting else None), self._typed)

    def action_edit_source(self) -> None:
        """Correct the text of the source in the reader, continuing its kept edit if there is
        one (which asks first if the text was changed since the edit began)."""
        from fieldcase.tui.screens.edit_source import EditSourceScreen

        if self.source is None:
            return
        source_id = self.source["id"]
        kept = [d for d in drafts.list_all(self.project) if d["source_id"] == source_id]
        self.app.push_screen(EditSourceScreen(self.project, source_id, kept[0] if kept else None),
                             lambda r: self._edited(source_id, r))

    def _edited(self, source_id: int, report: Any) -> None:
        if report is None and not sources.list_all(self.project, source_id=source_id):
            self.after_change()  # deleted or purged by someone meanwhile: the edit closed itself
            return
        self.open_source(source_id)
        self.reload()
        if report is None or not report.changed_text:
            return
        kept = report.unchanged + report.moved
        self.notify(f"Text saved: {count(kept, 'coding')} kept {'its' if kept == 1 else 'their'} words, "
                    f"{len(report.changed)} changed, {len(report.orphaned)} lost {'its' if len(report.orphaned) == 1 else 'their'} words")
        for item in report.orphaned:
            self.notify(f"Coding #{item['id']} ({item['code_key']}) lost its words {item['quote']!r}; "
                        "it is kept as orphaned (ctrl+z undoes the edit)", severity="warning", timeout=15)

    def _typed(self, source_id: int | None) -> None:
        self.reload()
        if source_id is not None:
            self.notify("Source saved")
            self.open_source(source_id)
