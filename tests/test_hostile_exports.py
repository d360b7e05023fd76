"""Formula injection: words that look like spreadsheet formulas, in every place user text
reaches a CSV or XLSX export, never become formulas and still read as stored."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import write
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.exporting import export
from fieldcase.reports.sheets import write_table
from fieldcase.store import cases, codes, codings, pseudonyms, sites, sources, speakers

# Each begins like a formula, as OWASP lists them (with full-width signs and a leading blank).
PAYLOADS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1",
            '＝HYPERLINK("http://y")', " =1+1"]
REAL_NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十"]
SIGNS = "=+-@＝＋－＠"
NUMBER = re.compile(r"-?\d+(\.\d+)?")
# every table export: segments, and the matrix by each kind of column
TABLES = [("segments", "case"), ("matrix", "case"), ("matrix", "site"), ("matrix", "attr:note"),
          ("matrix", "overlap"), ("matrix", "turn")]


def dangerous(cell: str) -> bool:
    """What a spreadsheet could read as a formula, judged here apart from the code under test."""
    return bool(cell) and (cell[0] in "\t\r\n" or cell.lstrip()[:1] in SIGNS)


@pytest.fixture
def hostile(project, tmp_path):
    """A source, site, case (attributes, speaker), code, coding (text, memo, coder) and
    pseudonym for each payload, each beginning with it."""
    for i, (payload, real) in enumerate(zip(PAYLOADS, REAL_NAMES)):
        site = sites.add(project, f"{payload}site{i}")["name"]
        case = cases.add(project, f"{payload}case{i}", site=site, attrs={"note": payload, "age": -i})
        pseudonyms.add(project, real, f"{payload}化名{i}")
        text = f"{payload}说的话。\n访谈者：还有呢？\nH：{real}说土地流转。\n"
        (result,) = import_paths(project, [write(tmp_path / f"s{i}.txt", text)],
                                 ImportOptions(site=site, cases=[case["name"]], title=f"{payload}title{i}"))
        speakers.link(project, result.id, "H", case["id"])
        code = codes.add(project, name_en=f"{payload}code{i}")
        other = codes.add(project, name_en=f"plain code {i}")
        stored = sources.get(project, result.id)["text"]
        first_line = stored.index("说的话")
        codings.add(project, result.id, code["key"], 0, first_line, memo=payload, coder=f"{payload}coder{i}")
        start = stored.index(real)
        for key in (code["key"], other["key"]):
            codings.add(project, result.id, key, start, start + len(real) + 5)
    return project


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path: Path) -> list[list]:
    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows()]


def exported(project, tmp_path: Path, what: str, by: str) -> tuple[list[list[str]], list[list]]:
    name = f"{what}-{by.replace(':', '_')}"
    out_csv = export(project, what, "csv", tmp_path / f"{name}.csv", by=by)
    out_xlsx = export(project, what, "xlsx", tmp_path / f"{name}.xlsx", by=by)
    return read_csv(out_csv), read_xlsx(out_xlsx)


@pytest.mark.parametrize(("what", "by"), TABLES)
def test_no_cell_of_any_table_export_is_a_formula(hostile, tmp_path, what, by):
    text_rows, cell_rows = exported(hostile, tmp_path, what, by)
    assert len(text_rows) == len(cell_rows) > 1
    looked = 0
    for text_row, cell_row in zip(text_rows, cell_rows):
        for text, cell in zip(text_row, cell_row):
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                # the XLSX keeps the words as stored; the CSV puts a ' before a formula-like one
                assert text == ("'" + cell.value if dangerous(cell.value) else cell.value)
                assert bool(cell.quotePrefix) == dangerous(cell.value)
                looked += dangerous(cell.value)
            else:  # a real number is a number in both
                assert text == ("" if cell.value is None else str(cell.value))
            assert not dangerous(text) or (NUMBER.fullmatch(text) and isinstance(cell.value, int))
    # the payloads did reach the cells (co-occurrence names codes by their ASCII keys alone)
    assert looked >= (0 if by in ("overlap", "turn") else len(PAYLOADS))


def test_segments_show_each_stored_text_exactly(hostile, tmp_path):
    _, cell_rows = exported(hostile, tmp_path, "segments", "case")
    header = [c.value for c in cell_rows[0]]
    rows = [{h: c.value for h, c in zip(header, line)} for line in cell_rows[1:]]
    for i, payload in enumerate(PAYLOADS):
        (row,) = [r for r in rows if r["memo"] == payload]  # the memo, exactly as stored
        coding = codings.get(hostile, row["coding_id"])
        assert row["text"] == coding["text"] and row["text"].lstrip().startswith(payload.strip())
        title = sources.get(hostile, coding["source_id"])["title"]
        assert row["source"] == title and title.strip() == f"{payload}title{i}".strip()
        assert row["code_name"] == f"{payload}code{i}".strip()
        assert row["cases"] == f"{payload}case{i}".strip()
        assert row["site"] == f"{payload}site{i}".strip()
        assert row["coder"] == f"{payload}coder{i}"
        assert row["case:note"] == payload.strip() and row["case:age"] == -i  # a number stays a number
        assert isinstance(row["start"], int) and isinstance(row["coding_id"], int)
        pseudonym = f"{payload}化名{i}".strip()
        (in_turn, _) = [r for r in rows if r["text"].startswith(pseudonym)]  # a pseudonym begins the cell
        assert in_turn["speaker"] == in_turn["cases"] == row["cases"]


@pytest.mark.parametrize("by", ["case", "site", "attr:note"])
def test_matrix_headers_are_names_as_stored_and_counts_are_numbers(hostile, tmp_path, by):
    _, cell_rows = exported(hostile, tmp_path, "matrix", by)
    header = [c.value for c in cell_rows[0]]
    kind = {"case": "case", "site": "site", "attr:note": ""}[by]
    for i, payload in enumerate(PAYLOADS):
        name = f"{payload}{kind}{i}".strip() if kind else payload.strip()
        assert name in header
    counts = [c.value for line in cell_rows[1:] for c in line[2:]]
    assert counts and all(isinstance(v, int) for v in counts)
    names = [line[1].value for line in cell_rows[1:]]
    assert "=HYPERLINK(\"http://x\")code0" in names


def test_the_command_line_export_is_neutralised(hostile, project_path, cli, tmp_path):
    out = tmp_path / "cli.csv"
    result = cli("export", "segments", "--out", str(out))
    assert result.exit_code == 0, result.output
    cells = [c for row in read_csv(out) for c in row]
    assert "'=HYPERLINK(\"http://x\")title0" in cells
    assert not any(dangerous(c) and not NUMBER.fullmatch(c) for c in cells)


def test_write_table_types_text_as_strings_and_keeps_numbers(tmp_path):
    rows = [{"=SUM(A1)": "=1+1", "n": -3, "x": 2.5, "plain": "words", "blank": None, "empty": ""}]
    text_rows = read_csv(write_table(rows, tmp_path / "t.csv"))
    assert text_rows == [["'=SUM(A1)", "n", "x", "plain", "blank", "empty"], ["'=1+1", "-3", "2.5", "words", "", ""]]
    (head, body) = read_xlsx(write_table(rows, tmp_path / "t.xlsx"))
    assert [(c.value, c.data_type) for c in head][:1] == [("=SUM(A1)", "s")]
    assert [c.value for c in body] == ["=1+1", -3, 2.5, "words", None, None]
    assert [c.data_type for c in body][:3] == ["s", "n", "n"]


async def test_the_workspace_export_dialog_writes_no_formula(hostile, project_path, tmp_path):
    from textual.widgets import Select

    from fieldcase.tui.app import FieldcaseApp
    from test_tui_export import _dialog, _run

    titles = {row["title"] for row in sources.list_all(hostile)}
    hostile.close()
    folder = tmp_path / "out"
    app = FieldcaseApp(project_path, user="tester")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _dialog(app, pilot, folder)
        dialog.query_one("#what", Select).value = "segments"
        await pilot.pause()
        dialog.query_one("#format", Select).value = "xlsx"
        await _run(app, pilot)
    (written,) = folder.glob("*.xlsx")
    values = [c for row in read_xlsx(written) for c in row]
    assert not [c.coordinate for c in values if c.data_type == "f"]
    shown = {c.value for c in values} & titles  # the open source's case's, as stored
    assert shown and all(dangerous(title) for title in shown)
