"""The details pane: the source's metadata, the codes at the cursor, memos."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from fieldcase.coding.colours import drawable


class DetailsPane(Static):
    """What the reader is showing, and what is coded where the cursor stands."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.wanted: dict[bool, bool] = {}  # shown or not, in a wide and in a narrow terminal

    def place(self, narrow: bool, toggle: bool = False) -> bool:
        """Show the pane beside the reader, or over its right side when ``narrow``, or hide it:
        as last toggled at that width, else shown when wide and hidden when narrow (the reader
        keeps room to read). Returns whether it shows."""
        if toggle:
            self.wanted[narrow] = self.has_class("-hidden")
        shown = self.wanted.get(narrow, not narrow)
        self.set_class(narrow, "-over")
        self.set_class(not shown, "-hidden")
        return shown

    def show(self, source: Mapping[str, Any] | None, here: list[dict[str, Any]], memos: list[dict[str, Any]],
             note: str | None = None) -> None:
        """Render metadata, the codings at the cursor (and ``note``: who coded what there,
        when two coders are compared) and the source's memos."""
        if source is None:
            self._show(Text("Pick a source in the navigator (Enter).", style="dim"))
            return
        meta = Table.grid(padding=(0, 1))
        meta.add_column(style="dim", no_wrap=True)
        meta.add_column()
        for key in ("title", "kind", "site", "date", "place", "interviewer", "consent", "language"):
            if source.get(key):
                meta.add_row(key, str(source[key]))
        if source.get("cases"):
            meta.add_row("cases", ", ".join(source["cases"]))
        meta.add_row("chars", f"{source['chars']:,}")
        parts: list[Any] = [meta, Text("")]
        parts.append(Text("At the cursor", style="bold"))
        if note:
            parts.append(Text(note, style="italic"))
        if here:
            for coding in here:
                parts.append(
                    Text.assemble(
                        ("■ ", drawable(coding.get("color"))),
                        coding["code_name_zh"] or coding["code_name_en"] or coding["code_key"],
                        (f"  #{coding['id']} {coding['coder']}", "dim"),
                    )
                )
                if coding.get("memo"):
                    parts.append(Text("   " + coding["memo"].replace("\n", "\n   "), style="italic"))
        else:
            parts.append(Text("  (not coded)", style="dim"))
        if memos:
            parts.append(Text(""))
            parts.append(Text("Memos", style="bold"))
            for memo in memos[-5:]:
                parts.append(Text(f"• {memo['body']}", overflow="fold"))
        self._show(Group(*parts))

    def _show(self, content: Any) -> None:
        """Draw ``content``; the screen's layout is worked out again only when it takes more
        or fewer lines than what it replaces (a layout pass repaints the whole screen, which
        made each coding and each step onto other codings cost a full redraw)."""
        self.update(content, layout=False)
        width, shown = self.content_size.width, self.content_size.height
        if width <= 0 or self.get_content_height(self.size, self.app.size, width) != shown:
            self.refresh(layout=True)
