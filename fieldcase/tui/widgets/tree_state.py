"""Keeping a tree's open branches and cursor when it is filled again from the store."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

from textual.widgets import Tree
from textual.widgets.tree import TreeNode


def _walk(node: TreeNode[Any]) -> Iterator[TreeNode[Any]]:
    """Every node below ``node``, depth-first in order (with a stack: nested generators
    would cost a frame per level at each step)."""
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        yield child
        stack.extend(reversed(child.children))


class TreeState:
    """Which nodes were open and which had the cursor, by an identity taken from node data."""

    def __init__(self, tree: Tree[Any], ident: Callable[[Any], Hashable]) -> None:
        self.ident = ident
        nodes = [n for n in _walk(tree.root) if n.data is not None]
        self.known = {ident(n.data) for n in nodes}
        self.expanded = {ident(n.data) for n in nodes if n.is_expanded}
        cursor = tree.cursor_node
        self.cursor = ident(cursor.data) if cursor is not None and cursor.data is not None else None

    def restore(self, tree: Tree[Any]) -> None:
        """Open and close the nodes known before as they were (new ones keep their default)
        and put the cursor back on the node it was on."""
        if not self.known:
            return
        target = None
        for node in _walk(tree.root):
            if node.data is None:
                continue
            key = self.ident(node.data)
            if key in self.known and node.allow_expand:
                if key in self.expanded:
                    node.expand()
                else:
                    node.collapse()
            if key == self.cursor:
                target = node
        if target is not None:
            tree.call_after_refresh(tree.move_cursor, target)
