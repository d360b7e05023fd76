"""Coding hits from the lists that show them (search, keyword in context), as MAXQDA
codes from search results: ``c`` picks a code, 1–9 apply the recent ones, ``w`` widens a
hit to its sentence, turn, paragraph; marked hits (space, A for all) are coded at once,
in one change that one undo takes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable, Static

from fieldcase.tui.changes import FollowsChanges
from fieldcase.coding.colours import drawable
from fieldcase.errors import FieldcaseError
from fieldcase.store.rows import CodeNode, SourceDetails
from fieldcase.text.english import count
from fieldcase.tui.widgets.hit_table import HitTable
from fieldcase.tui.workers import app_project
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend, code_name

if TYPE_CHECKING:
    from textual.screen import Screen

    from fieldcase.store.project import Project

    _Screen = Screen[Any]  # what it is mixed into, for the types of query_one, notify and app
else:
    _Screen = object

MARK = "mark"  # the key of the column showing marks and codes


@dataclass
class HitTarget:
    """What coding a hit would code: its words, or the unit it was widened to."""

    source_id: int
    start: int
    end: int
    unit: str = "words"
    marked: bool = False
    codes: list[str] = field(default_factory=list)  # keys of the codes whose codings cover it
    text_sha256: str | None = None  # the text the hit was found in: coding it checks it is still so
    hit: tuple[int, int] = field(init=False)  # the words found, whatever it is widened to

    def __post_init__(self) -> None:
        self.hit = (self.start, self.end)

    @property
    def span(self) -> tuple[int, int, int]:
        return self.source_id, self.start, self.end


def covering_codes(project: Project, targets: list[HitTarget], sources: set[int] | None = None) -> None:
    """Fill each target's ``codes`` with the codes of the active codings covering its hit."""
    from fieldcase.store import codings

    by_source: dict[int, list[HitTarget]] = {}
    for target in targets:
        if sources is None or target.source_id in sources:
            by_source.setdefault(target.source_id, []).append(target)
    for source_id, group in by_source.items():
        coded = codings.query(project, source=source_id)
        for target in group:
            start, end = target.hit
            target.codes = list(dict.fromkeys(c["code_key"] for c in coded if c["start"] <= start and end <= c["end"]))


class HitCoding(FollowsChanges, _Screen):
    """Mixed into a screen with a ``HitTable`` of ``self.targets`` (row key = index) and a
    ``#hit-info`` line; ``setup_coding`` gives it the project, recent codes and codebook."""

    targets: list[HitTarget]

    def setup_coding(self, project: Project | None, recent: RecentCodes | None,
                     code_rows: list[CodeNode] | None) -> None:
        """Remember what coding needs (the workspace's, so that 1–9 and the store are shared)."""
        self.targets = []
        self.coding_project = project
        self.recent = recent if recent is not None else RecentCodes()
        self.code_rows = code_rows
        self._texts: dict[int, SourceDetails] = {}

    @property
    def project_for_coding(self) -> Project:
        if self.coding_project is None:
            self.coding_project = app_project(self.app)
        return self.coding_project

    def codebook(self) -> list[CodeNode]:
        if self.code_rows is None:
            from fieldcase.store import codes

            self.code_rows = codes.tree(self.project_for_coding)
        return self.code_rows

    # What the list shows
    def mark_cell(self, target: HitTarget) -> Text:
        """✓ for a marked hit, then a square in each covering code's colour."""
        colours = {row["key"]: drawable(row.get("color")) for row in self.codebook()}
        cell = Text("✓" if target.marked else " ", style="bold")
        for key in target.codes[:3]:
            cell.append("■", style=colours.get(key, "white"))
        return cell

    def hit_table(self) -> HitTable:
        table: HitTable = self.query_one(HitTable)
        return table

    def current_index(self) -> int | None:
        table = self.hit_table()
        if not self.targets or table.cursor_row < 0:
            return None
        return min(table.cursor_row, len(self.targets) - 1)

    def chosen(self) -> list[HitTarget]:
        """The marked hits, or else the one under the cursor."""
        marked = [t for t in self.targets if t.marked]
        if marked:
            return marked
        index = self.current_index()
        return [] if index is None else [self.targets[index]]

    def redraw_marks(self) -> None:
        table = self.hit_table()
        for index, target in enumerate(self.targets):
            table.update_cell(str(index), MARK, self.mark_cell(target))
        self.describe_hit()

    def after_change(self) -> None:
        """After undo or redo: show again what is coded."""
        covering_codes(self.project_for_coding, self.targets)
        self.redraw_marks()

    def describe_hit(self) -> None:
        """Say on the info line what ``c`` would code for the hit under the cursor."""
        info = self.query_one("#hit-info", Static)
        legend = self.query_one(RecentLegend)
        legend.show(self.recent, self.codebook())
        index = self.current_index()
        if index is None:
            info.update("")
            return
        target = self.targets[index]
        text = self.source(target.source_id)["text"][target.start:target.end]
        words = " ".join(text.split())
        line = Text(f"{target.unit}: ", style="bold")
        line.append(f"“{words if len(words) <= 40 else words[:39] + '…'}”")
        if target.codes:
            names = {row["key"]: code_name(row) for row in self.codebook()}
            line.append(" · coded " + ", ".join(names.get(k, k) for k in target.codes), style="italic")
        marked = sum(t.marked for t in self.targets)
        if marked:
            line.append(f" · {count(marked, 'hit')} marked", style="bold")
        line.append("   c code · 1–9 recent · w widen · space mark · A all", style="dim")
        info.update(line)

    def source(self, source_id: int) -> SourceDetails:
        if source_id not in self._texts:
            from fieldcase.store import sources

            self._texts[source_id] = sources.get(self.project_for_coding, source_id)
        return self._texts[source_id]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if isinstance(event.data_table, HitTable):
            self.describe_hit()

    # Actions (run by the HitTable's keys)
    def action_mark_hit(self) -> None:
        """Mark or unmark the hit under the cursor, and move down."""
        index = self.current_index()
        if index is None:
            return
        self.targets[index].marked = not self.targets[index].marked
        self.hit_table().update_cell(str(index), MARK, self.mark_cell(self.targets[index]))
        self.hit_table().action_cursor_down()
        self.describe_hit()

    def action_mark_all(self) -> None:
        """Mark every hit, or clear the marks when all are marked."""
        everything = not all(t.marked for t in self.targets)
        for target in self.targets:
            target.marked = everything
        self.redraw_marks()

    def action_widen_hit(self) -> None:
        """Grow what would be coded for the hit under the cursor (whatever is marked):
        words → sentence → speaker turn → paragraph, then back."""
        from fieldcase.text.suggest import widen

        index = self.current_index()
        for target in [] if index is None else [self.targets[index]]:
            source = self.source(target.source_id)
            grown = widen(source["text"], source["turns"], target.start, target.end, target.unit)
            target.unit, target.start, target.end = grown or ("words", *target.hit)
        self.describe_hit()

    def action_code_hits(self) -> None:
        """Pick a code for the hit under the cursor (or every marked hit)."""
        from fieldcase.tui.dialogs.code_picker import CodePicker

        chosen = self.chosen()
        if not chosen:
            self.notify("No hit to code: move to one in the list", severity="warning")
            return
        title = f"Code {count(len(chosen), 'marked hit')}" if len(chosen) > 1 else \
            f"Code “{' '.join(self.source(chosen[0].source_id)['text'][chosen[0].start:chosen[0].end].split())[:30]}”"
        self.app.push_screen(CodePicker(self.codebook(), title=title),
                             lambda code_id: self.code_targets(code_id, chosen))

    def action_code_hits_recent(self, number: int) -> None:
        """Code the hit under the cursor (or every marked hit) with recent code ``number``."""
        code_id = self.recent.get(number)
        if code_id is None:
            self.notify(f"No recent code {number} yet: c picks a code", severity="warning")
            return
        chosen = self.chosen()
        if chosen:
            self.code_targets(code_id, chosen)

    def code_targets(self, code_id: int | None, chosen: list[HitTarget]) -> None:
        """Code the chosen hits in one change, and show it in the list."""
        from fieldcase.store import codings

        if code_id is None or not chosen:
            return
        project = self.project_for_coding
        try:
            rows, new = codings.add_many(project, code_id, [t.span for t in chosen],
                                         expected={t.source_id: t.text_sha256 for t in chosen if t.text_sha256})
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self.recent.use(code_id)
        for target in self.targets:
            target.marked = False
        covering_codes(project, self.targets, {t.source_id for t in chosen})
        self.redraw_marks()
        name = rows[0]["code_name_zh"] or rows[0]["code_name_en"] or rows[0]["code_key"]
        old = len(rows) - new
        self.notify(f"Coded {name}: {count(new, 'new coding')}"
                    + (f", {old} already there" if old else "") + (" (ctrl+z undoes it)" if new > 1 else ""))
