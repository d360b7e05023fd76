"""The navigator: sites → cases → sources, with coding counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from fieldcase.tui.widgets.tree_state import TreeState


class Navigator(Tree[dict[str, Any]]):
    """Sites, their cases, and the sources about each case (and sources with no case)."""

    class SourceSelected(Message):
        """The user chose a source to read."""

        def __init__(self, source_id: int) -> None:
            self.source_id = source_id
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("Project", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._leaves: dict[int, list[Any]] = {}  # each source's leaves (one per case it is about)
        self._counts: dict[int, int] = {}
        self._sources: dict[int, Mapping[str, Any]] = {}

    def show(self, sites: list[dict[str, Any]], cases: list[dict[str, Any]], sources: Sequence[Mapping[str, Any]], counts: dict[int, int]) -> None:
        """Fill the tree from the store's lists (``counts``: codings per source), keeping
        open branches and the cursor."""
        state = TreeState(self, lambda data: tuple(sorted(data.items())))
        self.clear()
        self._leaves, self._counts, self._sources = {}, dict(counts), {}
        by_site: dict[Any, list[dict[str, Any]]] = {}
        for case in cases:
            by_site.setdefault(case["site"], []).append(case)
        here = {(c["site"], c["name"]): c["id"] for c in cases}
        named: dict[str, list[int]] = {}
        for case in cases:
            named.setdefault(case["name"], []).append(case["id"])
        sources_by_case: dict[int, list[Mapping[str, Any]]] = {}
        loose: dict[Any, list[Mapping[str, Any]]] = {}
        for source in sources:
            placed = False
            for name in source["cases"] or []:
                # the case of that name in the source's site, else the only one of that name
                case_id = here.get((source["site"], name)) or (named[name][0] if len(named.get(name, [])) == 1 else None)
                if case_id is not None:
                    sources_by_case.setdefault(case_id, []).append(source)
                    placed = True
            if not placed:
                loose.setdefault(source["site"], []).append(source)
        for site in [s["name"] for s in sites] + ([None] if None in by_site or None in loose else []):
            label = Text(site or "(no site)", style="bold")
            node = self.root.add(label, data={"site": site}, expand=True)
            for case in by_site.get(site, []):
                items = sources_by_case.get(case["id"], [])
                label = Text.assemble((case["name"], "italic"), (f" ({len(items)})", "dim"))
                case_node = node.add(label, data={"case": case["id"]})
                for source in items:
                    self._add_source(case_node, source)
            for source in loose.get(site, []):
                self._add_source(node, source)
        state.restore(self)

    def _add_source(self, parent: Any, source: Mapping[str, Any]) -> None:
        leaf = parent.add_leaf(self._source_label(source, self._counts), data={"source": source["id"]})
        self._sources[source["id"]] = source
        self._leaves.setdefault(source["id"], []).append(leaf)

    def update_count(self, source_id: int, coded: int) -> None:
        """Show a new count of codings for one source (wherever it is listed)."""
        if self._counts.get(source_id, 0) == coded:
            return
        self._counts[source_id] = coded
        for leaf in self._leaves.get(source_id, []):
            leaf.set_label(self._source_label(self._sources[source_id], self._counts))

    @staticmethod
    def _source_label(source: Mapping[str, Any], counts: dict[int, int]) -> Text:
        mark = {"interview": "◆", "observation": "◇", "document": "▤"}.get(source["kind"], "·")
        coded = counts.get(source["id"], 0)
        return Text.assemble(f"{mark} ", source["title"], (f" ({coded})" if coded else "", "dim"))

    def on_tree_node_selected(self, event: Tree.NodeSelected[dict[str, Any]]) -> None:
        """Selecting a source node opens it."""
        data = event.node.data or {}
        if "source" in data:
            event.stop()
            self.post_message(self.SourceSelected(data["source"]))
