"""A table of codings to make (CSV: source, code, start and end or quote, coder, memo)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.errors import InputError
from fieldcase.store.codings_bulk import Outcome, Wanted, add_rows

if TYPE_CHECKING:
    from fieldcase.store.project import Project

COLUMNS = ("source", "code", "start", "end", "quote", "coder", "memo")


def read(path: str | Path) -> tuple[list[Wanted], list[tuple[int, str]]]:
    """The rows of a coding table and the rows that could not be read (row number, why).

    Row numbers count the header as row 1, as a spreadsheet shows them. Column names are
    matched without regard to case; unknown columns are an error, so that a typo is not
    silently ignored.
    """
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    with handle:
        reader = csv.reader(handle)
        header = [h.strip().casefold() for h in next(reader, [])]
        unknown = [h for h in header if h not in COLUMNS]
        if unknown or not {"source", "code"} <= set(header):
            raise InputError(f"{path}: the columns must be {', '.join(COLUMNS)} (source and code at least);"
                             f" found {', '.join(header) or 'none'}")
        wanted, bad = [], []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            values = dict(zip(header, cells))
            try:
                wanted.append(_row(number, values))
            except ValueError as err:
                bad.append((number, str(err)))
    return wanted, bad


def _row(number: int, values: dict[str, str]) -> Wanted:
    def number_in(column: str) -> int | None:
        text = values.get(column, "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"{column} must be a whole number, not {text!r}")
        return int(text)

    source, code = values.get("source", "").strip(), values.get("code", "").strip()
    if not source or not code:
        raise ValueError("source and code are both needed")
    return Wanted(number, source, code, number_in("start"), number_in("end"), values.get("quote") or None,
                  values.get("coder", "").strip() or None, values.get("memo", "").strip() or None)


def code_from_table(project: Project, path: str | Path, *, dry_run: bool = False) -> Outcome:
    """Code what the table at ``path`` asks for, in one change (see
    :func:`fieldcase.store.codings_bulk.add_rows`); unreadable rows are rejected too."""
    wanted, bad = read(path)
    done = add_rows(project, wanted, origin=Path(path).name, dry_run=dry_run)
    done.rejected = sorted(done.rejected + bad)
    return done
