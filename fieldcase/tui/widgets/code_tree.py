"""The codebook tree, with code colours and counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from fieldcase.coding.colours import drawable
from fieldcase.store.rows import CodeNode
from fieldcase.tui.widgets.tree_state import TreeState

OPEN_TOPS_UP_TO = 1000  # codes in the codebook


class CodeTree(Tree[dict[str, Any]]):
    """The codes in codebook order; selecting one asks to show its segments."""

    class CodeSelected(Message):
        """The user chose a code."""

        def __init__(self, code_id: int) -> None:
            self.code_id = code_id
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("Codebook", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False  # Enter lists a code's segments; space opens and closes it
        self._code_nodes: dict[str | None, Any] = {}  # by code key

    def show(self, tree: Sequence[CodeNode]) -> None:
        """Fill from :func:`fieldcase.store.codes.tree`, keeping open branches and the cursor.

        Top-level codes start open, unless the codebook is so large that listing all their
        children would only slow the tree down (each shown line is measured on every change).
        """
        state = TreeState(self, lambda data: data["key"])
        self.clear()
        open_tops = len(tree) <= OPEN_TOPS_UP_TO
        nodes: dict[str | None, Any] = {}
        for code in tree:
            parent = nodes.get(code["parent_key"], self.root)
            nodes[code["key"]] = parent.add(_label(code), data=code, expand=open_tops and code["depth"] == 0)
        self._code_nodes = nodes
        state.restore(self)

    def update_counts(self, tree: Sequence[CodeNode], keys: set[str]) -> None:
        """Show the new counts of the codes ``keys`` from rows of the same codebook as
        :meth:`show` was given (none added, moved or removed), relabelling only those."""
        for code in tree:
            node = self._code_nodes.get(code["key"]) if code["key"] in keys else None
            if node is not None:
                node.data = code
                node.set_label(_label(code))

    def on_tree_node_selected(self, event: Tree.NodeSelected[dict[str, Any]]) -> None:
        """Selecting a code posts :class:`CodeSelected`."""
        if event.node.data:
            event.stop()
            self.post_message(self.CodeSelected(event.node.data["id"]))


def _label(code: CodeNode) -> Text:
    return Text.assemble(
        ("■ ", drawable(code["color"])),
        code["name_zh"] or code["name_en"] or code["key"],
        (f" ({code['total_codings']})" if code["total_codings"] else "", "dim"),
    )


def recount(tree: Sequence[CodeNode], deltas: dict[str, tuple[int, int]]) -> set[str]:
    """Add ``(codings, sources)`` deltas to the codes (by key) of rows in
    :func:`fieldcase.store.codes.tree` order, and work out ``total_codings`` again (each
    code's own with its descendants'); returns the keys whose counts changed (with
    their ancestors')."""
    for code in tree:
        codings, sources = deltas.get(code["key"], (0, 0))
        code["codings"] += codings
        code["sources"] += sources
    before = {code["key"]: code["total_codings"] for code in tree}
    for code in tree:
        code["total_codings"] = code["codings"]
    by_key = {code["key"]: code for code in tree}
    for code in reversed(tree):  # a code's descendants all come after it
        if code["parent_key"] is not None:
            by_key[code["parent_key"]]["total_codings"] += code["total_codings"]
    return {key for key, total in before.items() if by_key[key]["total_codings"] != total} | set(deltas)
