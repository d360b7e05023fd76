"""Word tables as aligned text rows, so that the reader shows rows and columns.

Each row is one line: its cells padded to their column's width (Chinese counts two) and
parted by ``│``, a rule under a header row. A cell's text stays in one piece on its line,
so a search finds it and a coding can take exactly a cell; offsets stay plain indexes into
the stored text. A merged cell spans its columns; the rows a cell is merged down into are
left blank there rather than repeating its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldcase.text.width import display_width

SEPARATOR = " │ "
RULE, CROSS = "─", "─┼─"
BUDGET = 72  # the widest a row is padded to; beyond it the widest columns give way


@dataclass
class Cell:
    """A cell's text and the grid columns it covers."""

    text: str
    column: int
    span: int = 1


def table_lines(table: Any) -> list[str]:
    """The lines that show a python-docx table."""
    rows = _grid(table)
    if not any(cell.text for row in rows for cell in row):
        return []
    widths = _widths(rows)
    lines = [_line(row, widths) for row in rows]
    if len(rows) > 1 and _is_header(table.rows[0]):
        lines.insert(1, CROSS.join(RULE * max(1, width) for width in widths))
    return lines


def _grid(table: Any) -> list[list[Cell]]:
    """The table's cells row by row, merged cells spanning and merged-down cells blank."""
    rows: list[list[Cell]] = []
    above: list[Any] = []  # the cell elements of the row above, by grid column
    for row in table.rows:
        elements = [cell._tc for cell in row.cells]
        cells: list[Cell] = []
        for column, (cell, element) in enumerate(zip(row.cells, elements)):
            if column and element is elements[column - 1]:  # merged across: one cell spans
                cells[-1].span += 1
                continue
            merged_down = column < len(above) and element is above[column]
            cells.append(Cell("" if merged_down else cell_text(cell), column))
        rows.append(cells)
        above = elements
    return rows


def cell_text(cell: Any) -> str:
    """A cell's paragraphs (and any table inside it) on one line."""
    parts: list[str] = []
    for block in cell.iter_inner_content():
        if hasattr(block, "rows"):
            parts.extend(table_lines(block))
        else:
            parts.append(block.text)
    return " ".join(" ".join(part.split()) for part in parts if part.strip())


def _widths(rows: list[list[Cell]]) -> list[int]:
    """Each column's width: its widest one-column cell, the widest columns narrowed (their
    long cells then run on) until a row fits the budget."""
    columns = max(cell.column + cell.span for row in rows for cell in row)
    widths = [0] * columns
    for row in rows:
        for cell in row:
            if cell.span == 1:
                widths[cell.column] = max(widths[cell.column], display_width(cell.text))
    room = BUDGET - len(SEPARATOR) * (columns - 1)
    cap = max(widths, default=0)
    while cap > 8 and sum(min(width, cap) for width in widths) > room:
        cap -= 1
    return [min(width, cap) for width in widths]


def _line(row: list[Cell], widths: list[int]) -> str:
    parts = []
    for cell in row:
        width = sum(widths[cell.column : cell.column + cell.span]) + len(SEPARATOR) * (cell.span - 1)
        parts.append(cell.text + " " * max(0, width - display_width(cell.text)))
    return SEPARATOR.join(parts).rstrip()


def _is_header(row: Any) -> bool:
    """Word marks the row as a header (repeated on each page), or all its text is bold."""
    properties = row._tr.trPr
    if properties is not None and properties.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None:
        return True
    runs = [run for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs
            if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)
