"""The nine recently used codes (keys 1–9), each keeping its number, and their legend line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from fieldcase.coding.colours import drawable
from fieldcase.store.rows import CodeNode

SIZE = 9


def code_name(row: Mapping[str, Any]) -> str:
    """How a code is named to the user: its Chinese or English name, else its key."""
    name: str = row.get("name_zh") or row.get("name_en") or row["key"]
    return name


class RecentCodes:
    """The codes behind keys 1–9, shared by the workspace and the lists of hits it opens.

    A code keeps its number while it stays among the nine, so that pressing a number twice
    applies the same code twice: a newly used code takes the lowest free number, else the
    number of the code used least recently (as MAXQDA's quick-code slots stay put)."""

    def __init__(self) -> None:
        self.slots: list[int | None] = [None] * SIZE
        self.order: list[int] = []  # the codes in the slots, least recently used first

    def use(self, code_id: int) -> int:
        """Note that a code was just applied; returns its number."""
        if code_id in self.order:
            self.order.remove(code_id)
        elif None in self.slots:
            self.slots[self.slots.index(None)] = code_id
        else:
            oldest = self.order.pop(0)
            self.slots[self.slots.index(oldest)] = code_id
        self.order.append(code_id)
        return self.slots.index(code_id) + 1

    def get(self, number: int) -> int | None:
        """The code behind key ``number`` (1-based), if there is one yet."""
        return self.slots[number - 1] if 0 < number <= SIZE else None

    def keep(self, code_ids: set[int]) -> None:
        """Forget codes that no longer exist, freeing their numbers."""
        self.slots = [c if c in code_ids else None for c in self.slots]
        self.order = [c for c in self.order if c in code_ids]

    def numbered(self) -> list[tuple[int, int]]:
        """``(number, code id)`` for each number in use, in number order."""
        return [(n, c) for n, c in enumerate(self.slots, start=1) if c is not None]

    def __len__(self) -> int:
        return len(self.order)


class RecentLegend(Widget):
    """One line naming what 1–9 apply, each code in its colour; names are shortened
    evenly so that all nine fit the width (at 80 columns too). Hidden until a code is used."""

    DEFAULT_CSS = """
    RecentLegend { height: 1; width: 1fr; background: $panel; display: none; }
    RecentLegend.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[tuple[int, str, str]] = []

    def show(self, recent: RecentCodes, code_rows: list[CodeNode]) -> None:
        """Name the recent codes (``code_rows``: the codebook, for names and colours)."""
        by_id = {row["id"]: row for row in code_rows}
        self.items = [(n, drawable(by_id[c].get("color")), code_name(by_id[c]))
                      for n, c in recent.numbered() if c in by_id]
        self.set_class(bool(self.items), "-shown")
        self.refresh()

    def render(self) -> Text:
        return legend_line(self.items, self.size.width)


def legend_line(items: list[tuple[int, str, str]], width: int) -> Text:
    """``1■name 2■name …`` within ``width`` cells: long names are cut evenly first, down to
    two Chinese characters each; then the last numbers give way to ``+N``."""
    def cells(shown: list[tuple[int, str, str]], cap: int) -> int:
        return sum(3 + min(cell_len(name), cap) for _, _, name in shown) + (4 if len(shown) < len(items) else 0)

    shown = list(items)
    longest = max((cell_len(name) for _, _, name in items), default=0)
    cap = longest
    while cap > 5 and cells(shown, cap) > width:
        cap -= 1
    while len(shown) > 1 and cells(shown, cap) > width:
        shown.pop()
    line = Text(no_wrap=True, overflow="crop", end="")
    for n, color, name in shown:
        label = Text(name)
        if cell_len(name) > cap:
            label.truncate(cap, overflow="ellipsis")
        line.append(str(n), style="bold reverse")
        line.append("■", style=color)
        line.append_text(label)
        line.append(" ")
    if len(shown) < len(items):
        line.append(f"+{len(items) - len(shown)}", style="dim")
    line.truncate(width)
    return line
