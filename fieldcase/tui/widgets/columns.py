"""A table whose last column takes the room the others leave, so it is never off screen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey


class FittedTable(DataTable[Any]):
    """A data table that says when its size changed, so that its screen can refit a column."""

    class Resized(Message):
        """The table has a new size (the terminal, or the layout around it, changed)."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())


def fit_column(table: DataTable[Any], key: str, others: Mapping[str, Sequence[str]], least: int = 10) -> int:
    """Fix column ``key`` to the cells left beside the other columns (the widest of their
    label and ``others``' texts), their padding and a scrollbar; returns its width."""
    used = sum(max(map(cell_len, [str(table.columns[ColumnKey(k)].label), *texts])) for k, texts in others.items())
    used += 2 * table.cell_padding * len(table.columns)
    width = max(least, table.content_region.width - used - table.styles.scrollbar_size_vertical)
    column = table.columns[ColumnKey(key)]
    column.auto_width, column.width = False, width
    return width
