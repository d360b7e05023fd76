"""Rows written as CSV or XLSX so that no cell a spreadsheet opens is ever a formula.

Interview words, titles, code and case names reach the cells as they were typed, and a
spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK("http://…")`` sends whoever clicks it away with the cell's neighbours). So,
as OWASP advises, a CSV cell of text that begins with one of them gets a leading ``'``,
which Excel and LibreOffice read as "this is text" and do not show; so does one that
begins with a full-width ``＝＋－＠`` (Excel and WPS set up for Chinese or Japanese may take
them as the ASCII signs), with one of the signs after leading blanks (which some
spreadsheets trim), or with a tab, CR or LF (OWASP's list). In an XLSX every text
cell is stored as a string, never a formula, and shows exactly as stored; those that
look like a formula also carry Excel's hidden quote prefix, so editing one keeps it text.
Numbers (counts, offsets, integer attributes) stay numbers in both.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError
from fieldcase.store.coding_stream import BLANKS  # every character str.isspace() is true of

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
_LEADING_CONTROLS = frozenset("\t\r\n")
# the first characters of a text that :func:`formula_like` may be true of: a sign, a
# control, or a blank that ``str.lstrip`` would take away
_RISKY_FIRST = FORMULA_SIGNS | _LEADING_CONTROLS | frozenset(BLANKS)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or a formula after blanks)."""
    return bool(text) and (text[0] in _LEADING_CONTROLS or text.lstrip()[:1] in FORMULA_SIGNS)


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell: text that looks like a formula behind a leading ``'``."""
    return f"'{value}" if isinstance(value, str) and formula_like(value) else value


def safe_cell(path: Path) -> Callable[[Any], Any] | None:
    """What makes one cell safe for the table at ``path`` ahead of :func:`write_safe`: for a
    CSV, :func:`csv_cell`; none for an XLSX (its writer marks such cells itself)."""
    if path.suffix.lower() != ".csv":
        return None
    risky = _RISKY_FIRST

    def cell(value: Any) -> Any:
        # most cells begin with a plain letter: only the rest are looked at
        return csv_cell(value) if isinstance(value, str) and value[:1] in risky else value

    return cell


def write_safe(columns: list[str], rows: Iterable[list[Any]], path: Path, *, sheet: str = "fieldcase") -> Path:
    """Rows of values in the order of ``columns``, each cell already made safe by
    :func:`safe_cell`, written as they come (no header when there is no row, as
    :func:`write_stream` writes none)."""
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        return _write([], iter(()), path, sheet)
    return _write(columns, itertools.chain([first], stream), path, sheet, safe=True)


def write_table(rows: list[dict[str, Any]], path: Path, *, sheet: str = "fieldcase") -> Path:
    """Write rows as ``.csv`` (UTF-8 with BOM) or ``.xlsx``, by the file's suffix; the
    header is every key of the rows, in order of first appearance."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return _write(columns, ([row.get(c) for c in columns] for row in rows), path, sheet)


def write_stream(rows: Iterable[dict[str, Any]], path: Path, *, sheet: str = "fieldcase") -> Path:
    """:func:`write_table` for rows that all have the first row's keys, written as they
    come (a CSV holds no more than one row in memory)."""
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        return _write([], iter(()), path, sheet)
    columns = list(first)
    body = itertools.chain([list(first.values())], ([row.get(c) for c in columns] for row in stream))
    return _write(columns, body, path, sheet)


def _write(columns: list[str], body: Iterator[list[Any]], path: Path, sheet: str, *, safe: bool = False) -> Path:
    """``safe``: the body's cells were made safe by :func:`safe_cell`."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        # UTF-8 with a BOM, which Excel needs to read it as UTF-8: the BOM written by hand,
        # since the utf-8-sig codec encodes each row in Python, not in C
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\ufeff")
            writer = csv.writer(handle)
            writer.writerow([csv_cell(v) for v in columns])
            if safe:
                writer.writerows(body)
                return path
            risky = _RISKY_FIRST
            for line in body:
                # most cells are numbers or begin with a plain letter: only the rest are looked at
                writer.writerow([csv_cell(v) if isinstance(v, str) and v[:1] in risky else v for v in line])
    elif suffix == ".xlsx":
        _write_xlsx(columns, body, path, sheet)
    else:
        raise InputError(f"{path}: write tables as .csv or .xlsx")
    return path


def _write_xlsx(columns: list[str], body: Iterable[list[Any]], path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    page = book.active
    assert isinstance(page, Worksheet)  # a new workbook's one sheet, never a chartsheet
    _fill(page, sheet, columns, body)
    book.save(path)


def write_sheets(sheets: dict[str, list[dict[str, Any]]], path: Path, *,
                 widths: dict[str, list[int]] | None = None) -> Path:
    """Write an ``.xlsx`` of several sheets, each as :func:`write_table` writes its one;
    a sheet given ``widths`` (characters, by column) has its text wrapped to them."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)
    for number, (name, rows) in enumerate(sheets.items()):
        page = first if number == 0 else book.create_sheet()
        columns = list(dict.fromkeys(k for row in rows for k in row))
        _fill(page, name, columns, ([row.get(c) for c in columns] for row in rows))
        if widths and name in widths:
            _wrap(page, widths[name])
    book.save(path)
    return path


def _wrap(page: Worksheet, widths: list[int]) -> None:
    """Set the columns' widths and wrap every cell's text to them, aligned to the top."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for number, width in enumerate(widths, start=1):
        page.column_dimensions[get_column_letter(number)].width = width
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in page.iter_rows():
        for cell in row:
            cell.alignment = wrapped


def _fill(page: Worksheet, sheet: str, columns: list[str], body: Iterable[list[Any]]) -> None:
    """A sheet named ``sheet`` of a bold, frozen header row and then the rows."""
    from openpyxl.styles import Font

    page.title = sheet[:31]
    _append(page, columns)
    for cell in page[1]:
        cell.font = Font(bold=True)
    for values in body:
        _append(page, values)
    page.freeze_panes = "A2"


def _append(page: Worksheet, values: Sequence[Any]) -> None:
    """Add a row whose text cells are strings whatever they begin with (openpyxl would
    make ``=…`` a formula), with characters XML forbids taken out."""
    page.append([_xml_safe(v) for v in values])
    for cell in page[page.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if formula_like(cell.value):
                cell.quotePrefix = True


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20)
    return value
