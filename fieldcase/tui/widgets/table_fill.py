"""Filling a DataTable with columns sized to what they hold, at once, and keeping its
cursor on the same row (by key) when it is filled again.

A DataTable measures new rows only when it next goes idle, which a table refilled from a
screen's handler may not do until a key reaches it: its columns keep the old widths and
cut the new names. Giving each column its width when it is added avoids that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from textual.widgets import DataTable


def fill(table: DataTable[Any], headers: Sequence[str], rows: Sequence[Sequence[Any]],
         keys: Sequence[str] | None = None, *, widest: int = 60) -> None:
    """Replace the table's columns and rows; each column as wide as its widest cell (at most ``widest``)."""
    table.clear(columns=True)
    texts = [[str(value) for value in row] for row in rows]
    for i, header in enumerate(headers):
        width = max([cell_len(header), *(cell_len(row[i]) for row in texts)])
        table.add_column(header, width=min(width, widest))
    for n, row in enumerate(texts):
        table.add_row(*row, key=keys[n] if keys is not None else None)


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor (``None`` in an empty table)."""
    if not table.row_count or table.cursor_row < 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def put_cursor(table: DataTable[Any], key: str | None, near: int = 0) -> None:
    """Put the cursor on the row with ``key``; if it is gone, on row ``near`` (or the last)."""
    if not table.row_count:
        return
    from textual.widgets.data_table import RowDoesNotExist

    try:
        row = table.get_row_index(key) if key is not None else near
    except RowDoesNotExist:
        row = near
    table.move_cursor(row=max(0, min(row, table.row_count - 1)), animate=False)
