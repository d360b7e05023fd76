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
            label = Text.assemble(
                ("■ ", drawable(code["color"])),
                code["name_zh"] or code["name_en"] or code["key"],
                (f" ({code['total_codings']})" if code["total_codings"] else "", "dim"),
            )
            nodes[code["key"]] = parent.add(label, data=code, expand=open_tops and code["depth"] == 0)
        state.restore(self)

    def on_tree_node_selected(self, event: Tree.NodeSelected[dict[str, Any]]) -> None:
        """Selecting a code posts :class:`CodeSelected`."""
        if event.node.data:
            event.stop()
            self.post_message(self.CodeSelected(event.node.data["id"]))
