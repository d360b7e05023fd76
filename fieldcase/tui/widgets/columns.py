"""A table's last column sized to the room its other columns leave, so it is never off screen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from textual.widgets import DataTable


def fit_column(table: DataTable, key: str, others: Mapping[str, Sequence[str]], least: int = 10) -> int:
    """Fix column ``key`` to the cells left beside the other columns (the widest of their
    label and ``others``' texts), their padding and a scrollbar; returns its width."""
    used = sum(max(map(cell_len, [str(table.columns[k].label), *texts])) for k, texts in others.items())
    used += 2 * table.cell_padding * len(table.columns)
    width = max(least, table.content_region.width - used - table.styles.scrollbar_size_vertical)
    column = table.columns[key]  # type: ignore[index]
    column.auto_width, column.width = False, width
    return width
