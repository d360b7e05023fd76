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

from fieldcase.importers.docx_text import W, BodyReader, cells, first, is_on, rows
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


def table_lines(table: Any, reader: BodyReader) -> list[str]:
    """The lines that show a table (a ``w:tbl`` element), its cells read by ``reader``."""
    kept = list(rows(table))
    grid = _grid(kept, reader)
    if not any(cell.text for row in grid for cell in row):
        return []
    widths = _widths(grid)
    lines = [_line(row, widths) for row in grid]
    if len(grid) > 1 and _is_header(kept[0]):
        lines.insert(1, CROSS.join(RULE * max(1, width) for width in widths))
    return lines


def _grid(table_rows: list[Any], reader: BodyReader) -> list[list[Cell]]:
    """The cells row by row: a cell spans the grid columns it covers, and one merged down
    from the cell above is blank."""
    grid: list[list[Cell]] = []
    for row in table_rows:
        column = _int(_find(row, "trPr", "gridBefore"), 0)
        found: list[Cell] = []
        for cell in cells(row):
            span = max(1, _int(_find(cell, "tcPr", "gridSpan"), 1))
            merge = _find(cell, "tcPr", "vMerge")
            merged_down = merge is not None and merge.get(W + "val", "continue") == "continue"
            found.append(Cell("" if merged_down else cell_text(cell, reader), column, span))
            column += span
        grid.append(found)
    return grid


def _find(element: Any, properties: str, name: str) -> Any:
    return first(first(element, W + properties), W + name)


def _int(element: Any, default: int) -> int:
    try:
        return int(element.get(W + "val")) if element is not None else default
    except (TypeError, ValueError):
        return default


def cell_text(cell: Any, reader: BodyReader) -> str:
    """A cell's paragraphs (and any table inside it) on one line."""
    parts = [text for _, text in reader.block_lines(cell)]
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
    # Every cap above the room (or 8) fails to fit, so the search starts there: a cell of a
    # million characters costs no more than a short one.
    cap = min(max(widths, default=0), max(room, 8))
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
    if _find(row, "trPr", "tblHeader") is not None:
        return True
    runs = [run for run in row.iter(W + "r")
            if "".join(t.text or "" for t in run.iter(W + "t")).strip()]
    return bool(runs) and all(is_on(first(run, W + "rPr"), W + "b") for run in runs)
