"""The codebook room: the code tree beside the highlighted code's properties, with keys to
add, rename, edit, colour, move, reorder, merge and delete codes (each undone by ctrl+z)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, Tree

from fieldcase.tui.changes import FollowsChanges
from fieldcase.coding.colours import drawable
from fieldcase.errors import FieldcaseError, NotFoundError
from fieldcase.store import codes, codings
from fieldcase.store.project import Project
from fieldcase.store.rows import CodeNode
from fieldcase.text.english import count
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.code_tree import CodeTree

# Offered first when moving a code: no parent.
class CountedCode(CodeNode):
    """A code as the codebook shows it: with how many cases its codings count for."""

    cases: int


TOP_LEVEL = {"id": 0, "key": "", "name_en": "(top level)", "name_zh": None, "depth": 0, "color": "white",
             "keywords": []}


def properties(code: CountedCode, parent: CodeNode | None = None) -> Group:
    """A code's properties as the pane shows them (``parent``: the code it is under, named by its name)."""
    parts: list[Any] = [
        Text.assemble(("■ ", drawable(code["color"])), (codes.label(code), "bold")),
        Text.assemble(("key ", "dim"), code["key"],
                      *((("  under ", "dim"), codes.label(parent) or parent["key"]) if parent else ())),
        Text(f"{count(code['codings'], 'coding')} in {count(code['sources'], 'source')}, "
             f"{count(code['cases'], 'case')}"
             + (f"; {code['total_codings']:,} with its subcodes" if code["total_codings"] != code["codings"] else ""),
             style="dim"),
    ]
    texts: Mapping[str, Any] = code
    for field, title in (("description", "Definition"), ("inclusion", "Inclusion"),
                         ("exclusion", "Exclusion"), ("example", "Example")):
        parts += [Text(""), Text(title, style="bold"), Text(texts[field] or "—", style="" if texts[field] else "dim")]
    parts += [Text(""), Text("Keywords", style="bold"),
              Text(", ".join(code["keywords"]) or "— (suggestions come from keywords)",
                   style="" if code["keywords"] else "dim")]
    return Group(*parts)


class CodebookScreen(FollowsChanges, Screen[None]):
    """Manage the codebook by keyboard; the workspace's codebook follows when you go back."""

    DEFAULT_CSS = """
    CodebookScreen CodeTree { width: 2fr; border: round $primary 50%; }
    CodebookScreen CodeTree:focus { border: round $accent; }
    CodebookScreen #props { width: 3fr; border: round $primary 50%; padding: 0 1; }
    """
    # In the order the key bar shows them; a narrow terminal keeps the first ones.
    BINDINGS = [
        Binding("a", "add_code", "Add", id="add-code"),
        Binding("A", "add_code(True)", "Add top-level", id="add-top-code", show=False),
        Binding("e", "edit_code", "Edit", id="edit-code"),
        Binding("m", "move_code", "Move", id="move-code"),
        Binding("M", "merge_code", "Merge", id="merge-code"),
        Binding("delete,d", "delete_code", "Delete", id="delete-code"),
        Binding("r", "rename_code", "Rename", id="rename-code"),
        Binding("c", "colour_code", "Colour", id="colour-code"),
        Binding("ctrl+up,K", "shift_code(-1)", "Up", id="code-up"),
        Binding("ctrl+down,J", "shift_code(1)", "Down", id="code-down"),
        Binding("escape", "back", "Back", id="codebook-back"),
    ]

    def __init__(self, project: Project, code_id: int | None = None) -> None:
        """``code_id``: the code to start on (the one under the workspace's cursor)."""
        super().__init__()
        self.project = project
        self.rows: list[CountedCode] = []
        self._goto: str | None = None
        if code_id is not None:
            with contextlib.suppress(NotFoundError):  # gone meanwhile: start at the top
                self._goto = codes.find(project, code_id)["key"]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal():
            yield CodeTree(id="book")
            with VerticalScroll(id="props"):
                yield Static(id="properties")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Codebook"
        self.query_one("#book").border_title = "Codes"
        self.query_one("#book").border_subtitle = "Enter edits · space folds · ^↑↓ order"
        self.query_one("#props").border_title = "Properties"
        start_on = self._goto
        self.refresh_tree()
        tree = self.query_one(CodeTree)
        tree.focus()
        if start_on is None:
            tree.call_after_refresh(setattr, tree, "cursor_line", 0)
            self.call_after_refresh(self._show_properties)

    # Showing
    def refresh_tree(self) -> None:
        """Fill the tree from the store, keeping open branches and the cursor (or going to
        a code just added or changed)."""
        reached = codings.cases_per_code(self.project)  # by speaker: see fieldcase.coding.speakers
        self.rows = [{**row, "cases": reached.get(row["id"], 0)} for row in codes.tree(self.project)]
        tree = self.query_one(CodeTree)
        tree.show(self.rows)
        self.sub_title = f"{count(len(self.rows), 'code')} · ctrl+z undoes"
        if self._goto is not None:
            self._select(self._goto)
            self._goto = None
        self.call_after_refresh(self._show_properties)

    def after_change(self) -> None:
        """Undo and redo (ctrl+z, ctrl+y) may have changed the codebook."""
        self.refresh_tree()

    def _select(self, key: str) -> None:
        tree = self.query_one(CodeTree)
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            if node.data and node.data["key"] == key:
                parent = node.parent
                while parent is not None:
                    parent.expand()
                    parent = parent.parent
                tree.call_after_refresh(tree.move_cursor, node)
                tree.call_after_refresh(self._show_properties)
                return
            stack.extend(node.children)

    def current(self) -> CountedCode | None:
        """The code under the cursor, as it is now in the store."""
        node = self.query_one(CodeTree).cursor_node
        if node is None or not node.data:
            return None
        return next((r for r in self.rows if r["id"] == node.data["id"]), None)

    def _show_properties(self) -> None:
        code = self.current()
        pane = self.query_one("#properties", Static)
        if code is None:
            pane.update(Text("The codebook is empty: a adds a code.", style="dim"))
        else:
            parent = next((r for r in self.rows if r["key"] == code["parent_key"]), None)
            pane.update(properties(code, parent))

    def on_tree_node_highlighted(self, _event: Tree.NodeHighlighted[dict[str, Any]]) -> None:
        self._show_properties()

    def on_code_tree_code_selected(self, event: CodeTree.CodeSelected) -> None:
        """Enter on a code edits it (in the workspace it lists its segments)."""
        event.stop()
        self.action_edit_code()

    # Helpers
    def _need(self) -> CountedCode | None:
        code = self.current()
        if code is None:
            self.notify("No code under the cursor: a adds one", severity="warning")
        return code

    def _run(self, change: Callable[[], Any], done: str, goto: str | None = None) -> Any:
        """Run a store change; say what it did, or why not, and show the tree again."""
        try:
            result = change()
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return None
        self.notify(done)
        self._goto = goto
        self.refresh_tree()
        return result

    def _outside(self, code: CountedCode) -> list[CountedCode]:
        """Every code except ``code`` and its descendants (where it could go, or merge into)."""
        return [r for r in self.rows if code["key"] not in r["path"]]

    # Actions
    def action_add_code(self, top: bool = False) -> None:
        """Add a code under the one under the cursor (A: at the top level)."""
        from fieldcase.tui.dialogs.code_form import CodeForm

        parent = None if top else self.current()
        where = f"under {codes.label(parent)}" if parent else "at the top level"
        made: dict[str, Any] = {}

        def save(values: dict[str, Any]) -> None:
            texts: dict[str, Any] = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
            made.update(codes.add(self.project, parent=parent["id"] if parent else None, **texts))

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.notify(f"Added {codes.label(made)} {where} (ctrl+z undoes)")
                self._goto = made["key"]
                self.refresh_tree()

        blank = {"color": drawable(parent["color"], "") if parent else "", "keywords": []}
        self.app.push_screen(CodeForm(f"New code {where}", blank, save, focus="name_zh"), done)

    def action_rename_code(self) -> None:
        """Rename the code's shown name (its Chinese name if it has one)."""
        from fieldcase.tui.dialogs.form import FormDialog

        code = self._need()
        if code is None:
            return
        field = "name_zh" if code["name_zh"] else "name_en"
        language = "Chinese" if field == "name_zh" else "English"

        def save(values: dict[str, str]) -> None:
            codes.update(self.project, code["id"], {field: values["name"]})

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(f"Renamed to {values['name'].strip()} (ctrl+z undoes)")
                self.refresh_tree()

        title = f"Rename {codes.label(code)} (e edits both names)"
        self.app.push_screen(FormDialog(title, [("name", f"{language} name", code["name_zh"] or code["name_en"] or "", None)], save), done)

    def action_edit_code(self) -> None:
        """Edit the code's names, definition, inclusion, exclusion, example, keywords, colour."""
        from fieldcase.tui.dialogs.code_form import CodeForm

        code = self._need()
        if code is None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.notify(f"Saved {codes.label(codes.find(self.project, code['id']))} (ctrl+z undoes)")
                self.refresh_tree()

        save = lambda values: codes.update(self.project, code["id"], values)  # noqa: E731
        self.app.push_screen(CodeForm(f"Code {codes.label(code)}  ({code['key']})", code, save), done)

    def action_colour_code(self) -> None:
        """Pick the colour that marks the code's words."""
        from fieldcase.tui.dialogs.colour_picker import ColourPicker

        code = self._need()
        if code is None:
            return

        def done(color: str | None) -> None:
            if color is not None:
                self._run(lambda: codes.update(self.project, code["id"], {"color": color}),
                          f"{codes.label(code)} is now {color} (ctrl+z undoes)")

        self.app.push_screen(ColourPicker(f"Colour of {codes.label(code)}", code["color"]), done)

    def action_move_code(self) -> None:
        """Put the code (with its subcodes) under another code, or at the top level."""
        from fieldcase.tui.dialogs.code_picker import CodePicker

        code = self._need()
        if code is None:
            return

        def done(target: int | None) -> None:
            if target is None:
                return
            parent = next((r for r in self.rows if r["id"] == target), None)
            where = f"under {codes.label(parent)}" if parent else "to the top level"
            self._run(lambda: codes.move(self.project, code["id"], parent["id"] if parent else None),
                      f"Moved {codes.label(code)} {where} (ctrl+z undoes)", goto=code["key"])

        self.app.push_screen(CodePicker([TOP_LEVEL, *self._outside(code)], title=f"Move {codes.label(code)} under…"),
                             done)

    def action_shift_code(self, step: int) -> None:
        """Move the code up or down among its siblings."""
        code = self._need()
        if code is None:
            return
        siblings = [r["id"] for r in self.rows if r["parent_key"] == code["parent_key"]]
        index = siblings.index(code["id"]) + step
        if not 0 <= index < len(siblings):
            self.notify(f"{codes.label(code)} is already {'first' if step < 0 else 'last'} here", severity="warning")
            return
        self._run(lambda: codes.reorder(self.project, code["id"], index + 1),
                  f"{codes.label(code)} is now number {index + 1} (ctrl+z undoes)")

    def action_merge_code(self) -> None:
        """Merge the code into another: its codings, subcodes, memos and keywords move there."""
        from fieldcase.tui.dialogs.code_picker import CodePicker
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        code = self._need()
        if code is None:
            return

        def chosen(target_id: int | None) -> None:
            if target_id is None:
                return
            target = next(r for r in self.rows if r["id"] == target_id)
            children = sum(1 for r in self.rows if r["parent_key"] == code["key"])
            subcodes = f", its {count(children, 'subcode')} go under it" if children else ""
            detail = (f"Its {count(code['codings'], 'coding')} move to {codes.label(target)}{subcodes}, and its "
                      f"keywords and memos join it; {codes.label(code)} is then removed. ctrl+z undoes.")

            def confirmed(yes: bool | None) -> None:
                if yes:
                    stats = self._run(lambda: codes.merge(self.project, code["id"], target_id),
                                      f"Merged {codes.label(code)} into {codes.label(target)} (ctrl+z undoes)",
                                      goto=target["key"])
                    if stats and stats["collapsed"]:
                        self.notify(f"{count(stats['collapsed'], 'coding')} on the same words became one")

            self.app.push_screen(ConfirmDialog(f"Merge {codes.label(code)} into {codes.label(target)}?", detail,
                                               action="Merge"), confirmed)

        self.app.push_screen(CodePicker(self._outside(code), title=f"Merge {codes.label(code)} into…"), chosen)

    def action_delete_code(self) -> None:
        """Delete the code with its subcodes, codings and memos, after saying how many go."""
        from fieldcase.tui.dialogs.confirm import ConfirmDialog

        code = self._need()
        if code is None:
            return
        gone = codes.impact(self.project, code["id"])
        subcodes = f", {count(gone['codes'] - 1, 'subcode')}" if gone["codes"] > 1 else ""
        kept = (f" Its summaries hold {count(gone['drafts'], 'draft')} never saved: kept, and back in "
                "their cells with ctrl+z." if gone["drafts"] else "")
        detail = (f"This removes {count(gone['codings'], 'coding')}{subcodes} and {count(gone['memos'], 'memo')}. "
                  f"ctrl+z brings them back.{kept}")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(lambda: codes.delete(self.project, code["id"]),
                          f"Deleted {codes.label(code)} and {count(gone['codings'], 'coding')} (ctrl+z undoes)")

        self.app.push_screen(ConfirmDialog(f"Delete the code {codes.label(code)} ({code['key']})?", detail),
                             confirmed)

    def action_back(self) -> None:
        self.dismiss(None)
