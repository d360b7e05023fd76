"""Coded segments as a table, code × case (site, attribute) counts, and code co-occurrence.

The rows are plain dicts, written out as CSV (UTF-8 with a BOM, so Excel reads Chinese)
or XLSX by :func:`write_table`. ``rename`` is applied to every text cell on the way out
(pseudonyms); the stored text is never changed.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

Rename = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _code_labels(project: Project) -> dict[str, dict[str, Any]]:
    from fieldcase.store import codes

    rows = codes.tree(project)
    by_key = {r["key"]: r for r in rows}
    for row in rows:
        names = [by_key[k]["name_zh"] or by_key[k]["name_en"] or k for k in row["path"]]
        row["path_label"] = " / ".join(names)
    return by_key


Codes = str | int | Sequence[str | int] | None


def coded_rows(project: Project, code: Codes = None, **narrow: Any) -> list[dict[str, Any]]:
    """Codings (``codings.query`` rows) of one code or several, each with its sub-codes,
    in source and text order; ``narrow`` takes case, site and coder."""
    from fieldcase.store import codings

    if code is None or isinstance(code, (str, int)):
        return codings.query(project, code=code, descendants=code is not None, **narrow)
    found = {r["id"]: r for c in code for r in codings.query(project, code=c, descendants=True, **narrow)}
    return sorted(found.values(), key=lambda r: (r["source_id"], r["start"], r["end"], r["id"]))


def segments(
    project: Project,
    *,
    code: Codes = None,
    case: str | int | None = None,
    site: str | int | None = None,
    coder: str | None = None,
    rename: Rename = _same,
) -> list[dict[str, Any]]:
    """One row per coding: code, its path, case(s), site, source, case attributes, coder,
    offsets, speaker and text, in source and text order."""
    from fieldcase.store import attributes, cases, sources
    from fieldcase.text.units import turn_at

    labels = _code_labels(project)
    listing = {s["id"]: s for s in sources.list_all(project)}
    case_ids = {r["name"]: r["id"] for r in cases.list_all(project)}
    case_values = attributes.values_for_all(project, "case")
    attribute_names = sorted({n for values in case_values.values() for n in values})
    turns_cache: dict[int, list[dict[str, Any]]] = {}
    out = []
    for row in coded_rows(project, code, case=case, site=site, coder=coder):
        source = listing[row["source_id"]]
        if row["source_id"] not in turns_cache:
            turns_cache[row["source_id"]] = sources.turns_of(project, row["source_id"])
        turn = turn_at(turns_cache[row["source_id"]], row["start"])
        label = labels[row["code_key"]]
        record: dict[str, Any] = {
            "coding_id": row["id"],
            "code": row["code_key"],
            "code_name": rename(label["name_zh"] or label["name_en"] or ""),
            "code_path": rename(label["path_label"]),
            "cases": rename(", ".join(source["cases"])),
            "site": rename(source["site"] or ""),
            "source_id": row["source_id"],
            "source": rename(source["title"]),
            "date": source["date"] or "",
            "speaker": rename(turn["speaker"]) if turn else "",
            "coder": rename(row["coder"] or ""),
            "start": row["start"],
            "end": row["end"],
            "text": rename(row["text"]),
            "memo": rename(row["memo"] or ""),
        }
        first_case = case_ids.get(source["cases"][0]) if source["cases"] else None
        for name in attribute_names:
            value = case_values.get(first_case, {}).get(name) if first_case else None
            record[f"case:{name}"] = rename(str(value)) if isinstance(value, str) else value
        out.append(record)
    return out


def matrix(project: Project, *, by: str = "case", codes_only: Sequence[str] | None = None,
           rename: Rename = _same) -> list[dict[str, Any]]:
    """Codings counted by code (rows, codebook order, own codings) and by case, site or
    the value of a case attribute (``by="attr:NAME"``) in columns."""
    rows = segments(project, rename=rename)
    column_of = _columns(by, rows)
    counts: Counter[tuple[str, str]] = Counter()
    columns: dict[str, None] = {}
    for row in rows:
        for column in column_of(row):
            counts[(row["code"], column)] += 1
            columns[column] = None
    out = []
    for code_key, label in _code_labels(project).items():
        if codes_only and code_key not in codes_only:
            continue
        line: dict[str, Any] = {"code": code_key, "name": rename(label["name_zh"] or label["name_en"] or "")}
        line.update({c: counts[(code_key, c)] for c in sorted(columns)})
        line["total"] = sum(counts[(code_key, c)] for c in columns)
        out.append(line)
    return out


def _columns(by: str, rows: list[dict[str, Any]]) -> Callable[[dict[str, Any]], list[str]]:
    """The matrix column(s) a segment row counts in, for ``by``."""
    if by == "case":
        return lambda r: [c.strip() for c in r["cases"].split(",") if c.strip()] or ["(no case)"]
    if by == "site":
        return lambda r: [r["site"] or "(no site)"]
    if by.startswith("attr:"):
        name = f"case:{by[5:]}"
        if rows and name not in rows[0]:
            raise InputError(f"no case attribute {by[5:]!r}; fieldcase attr list shows them")
        return lambda r: [str(r.get(name)) if r.get(name) is not None else "(none)"]
    raise InputError(f"a matrix is by case, site or attr:NAME, not {by!r}")


def matrix_cell(project: Project, *, by: str, code: str, column: str | None,
                rename: Rename = _same) -> list[dict[str, Any]]:
    """The segments counted in one cell of :func:`matrix` (``column`` None: the row's total)."""
    rows = segments(project, rename=rename)
    column_of = _columns(by, rows)
    return [r for r in rows if r["code"] == code and (column is None or column in column_of(r))]


def cooccurrence(project: Project, *, within: str = "overlap") -> list[dict[str, Any]]:
    """How often two codes meet: codings that overlap (``within="overlap"``) or fall in
    the same speaker turn (``within="turn"``); a square table in codebook order."""
    from fieldcase.store import codings, sources
    from fieldcase.text.units import turn_at

    if within not in ("overlap", "turn"):
        raise InputError(f"co-occurrence is within overlap or turn, not {within!r}")
    labels = _code_labels(project)
    by_source: dict[int, list[dict[str, Any]]] = {}
    for row in codings.query(project):
        by_source.setdefault(row["source_id"], []).append(row)
    pairs: Counter[tuple[str, str]] = Counter()
    for source_id, rows in by_source.items():
        met: set[tuple[str, str, int, int]] = set()
        if within == "turn":
            turns = sources.turns_of(project, source_id)
            places: dict[int, set[str]] = {}
            for row in rows:
                turn = turn_at(turns, row["start"])
                if turn is not None:
                    places.setdefault(turn["seq"], set()).add(row["code_key"])
            for seq, keys in places.items():
                for a in keys:
                    for b in keys:
                        if a != b:
                            met.add((a, b, seq, 0))
        else:
            for i, x in enumerate(rows):
                for y in rows[i + 1 :]:
                    if y["start"] >= x["end"]:
                        break  # rows are in start order
                    if x["code_key"] != y["code_key"]:
                        met.add((x["code_key"], y["code_key"], x["id"], y["id"]))
                        met.add((y["code_key"], x["code_key"], y["id"], x["id"]))
        for a, b, *_ in met:
            pairs[(a, b)] += 1
    keys = [k for k in labels if any(k in p for p in pairs)]
    return [{"code": a, **{b: pairs[(a, b)] for b in keys}} for a in keys]


def write_table(rows: list[dict[str, Any]], path: Path, *, sheet: str = "fieldcase") -> Path:
    """Write rows as ``.csv`` (UTF-8 with BOM) or ``.xlsx``, by the file's suffix."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        page = book.active
        page.title = sheet[:31]
        page.append(columns)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append([_cell(row.get(c)) for c in columns])
        page.freeze_panes = "A2"
        book.save(path)
    else:
        raise InputError(f"{path}: write tables as .csv or .xlsx")
    return path


def _cell(value: Any) -> Any:
    """A value openpyxl accepts, with characters XML forbids taken out of text."""
    if isinstance(value, str):
        return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20)
    return value
