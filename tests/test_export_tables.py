"""Coded segments, matrices and co-occurrence as CSV and XLSX, read back and checked."""

from __future__ import annotations

import csv
import random
from collections import Counter

import pytest
from openpyxl import load_workbook

from conftest import INTERVIEW_TEXT, write
from fieldcase.analysis import tables
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.sheets import write_table
from fieldcase.store import cases, codes, codings, sites, sources


@pytest.fixture
def study(project, tmp_path):
    sites.add(project, "X village")
    for name, gender in (("H", "male"), ("W", "female")):
        cases.add(project, name, site="X village", attrs={"gender": gender})
    ids = []
    for name in ("H", "W"):
        text = INTERVIEW_TEXT + ("" if name == "H" else "补充：村民都来入股。\n")
        (result,) = import_paths(project, [write(tmp_path / f"{name}.txt", text)],
                                 ImportOptions(site="X village", cases=[name]))
        ids.append(result.id)
    keys = ["land", "coop", "family"]
    for key in keys:
        codes.add(project, name=key, key=key)
    rng = random.Random(3)
    for source_id in ids:
        text = sources.find(project, source_id)["text"]
        for _ in range(12):
            start = rng.randrange(0, len(text) - 10)
            codings.add(project, source_id, rng.choice(keys), start, min(len(text), start + rng.randint(2, 20)))
    return ids


def expected_cases(project, coding):
    """The case names a coding counts for, worked out plainly: the turns whose words it
    touches give their linked speakers' cases (the interviewer's and unlinked speakers'
    none); words outside every turn give the source's cases."""
    from fieldcase.store import speakers

    source = sources.get(project, coding["source_id"])
    text = source["text"]
    words = [i for i in range(coding["start"], coding["end"]) if not text[i].isspace()]
    turns = source["turns"]
    if not all(any(t["start"] <= i < t["end"] for t in turns) for i in words):
        return sorted(source["cases"])
    who = {r["label"]: r for r in speakers.list_for(project, source["id"])}
    touched = [t for t in turns if any(t["start"] <= i < t["end"] for i in words)]
    return sorted({who[t["speaker"]]["case_name"] for t in touched
                   if who[t["speaker"]]["role"] == "speaker" and who[t["speaker"]]["case_name"]})


def test_segments_csv_has_every_coding_with_its_text(project, study, tmp_path):
    every = codings.query(project)
    out = write_table(tables.segments(project), tmp_path / "seg.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert sorted(int(r["coding_id"]) for r in rows) == sorted(c["id"] for c in every)
    by_id = {c["id"]: c for c in every}
    for row in rows:
        coding = by_id[int(row["coding_id"])]
        assert row["text"] == coding["text"] and row["code"] == coding["code_key"]
        assert (int(row["start"]), int(row["end"])) == (coding["start"], coding["end"])
        want = expected_cases(project, coding)
        assert row["site"] == "X village" and sorted(filter(None, row["cases"].split(", "))) == want
        if len(want) == 1:
            assert row["case:gender"] == {"H": "male", "W": "female"}[want[0]]
        else:  # a coding of several cases (or none) has no one set of case attributes
            assert row["case:gender"] == ""
        # the speaker a citation names: the speaker's case, the interviewer by role, or nothing
        # the speaker a citation names: the speaker's case, the interviewer by role, or nothing
        assert row["speaker"] in ({want[0]} if row["counted_by"] == "speaker" else {"访谈者", ""})
    assert {r["counted_by"] for r in rows} >= {"speaker", "interviewer"}


def test_segments_xlsx_reads_back(project, study, tmp_path):
    rows = tables.segments(project)
    book = load_workbook(write_table(rows, tmp_path / "seg.xlsx"))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    body = [[c.value for c in line] for line in sheet.iter_rows(min_row=2)]
    assert header[:3] == ["coding_id", "code", "code_name"] and len(body) == len(rows)
    assert [r[header.index("text")] for r in body] == [r["text"] for r in rows]


def test_matrix_counts_match_the_codings(project, study):
    every = codings.query(project)
    want: Counter = Counter()
    several: Counter = Counter()
    for c in every:
        names = expected_cases(project, c) or ["(no case)"]
        if names == ["(no case)"]:
            basis = codings.query(project, coding_ids=[c["id"]], with_cases=True)[0]["basis"]
            names = [tables.NO_CASE[basis]]
        for name in names:
            want[(c["code_key"], name)] += 1
        several[c["code_key"]] += len(names) > 1
    columns = {name for _, name in want}
    for line in tables.matrix(project, by="case"):
        for case in columns:
            assert line[case] == want[(line["code"], case)]
        assert line["total"] == sum(1 for c in every if c["code_key"] == line["code"])
        assert line["in_several"] == several[line["code"]]
        # the columns add up to more than the codings only by those that count in several
        assert sum(line[c] for c in columns) >= line["total"]
        assert (sum(line[c] for c in columns) > line["total"]) == (line["in_several"] > 0)
    gender = {line["code"]: line for line in tables.matrix(project, by="attr:gender")}
    assert gender["land"]["male"] == want[("land", "H")]
    with pytest.raises(Exception, match="no case attribute"):
        tables.matrix(project, by="attr:height")


def test_cooccurrence_by_overlap_and_by_turn(project, study):
    every = codings.query(project)
    overlap: Counter[tuple[str, str]] = Counter()
    for x in every:
        for y in every:
            if x["id"] != y["id"] and x["source_id"] == y["source_id"] and x["code_key"] != y["code_key"] \
                    and x["start"] < y["end"] and y["start"] < x["end"]:
                overlap[(x["code_key"], y["code_key"])] += 1
    assert overlap
    table = {line["code"]: line for line in tables.cooccurrence(project)}
    for (a, b), n in overlap.items():
        assert table[a][b] == n
    from fieldcase.text.units import turn_at

    met = set()
    for x in every:
        for y in every:
            if x["source_id"] == y["source_id"] and x["code_key"] != y["code_key"]:
                turns = sources.turns_of(project, x["source_id"])
                tx, ty = turn_at(turns, x["start"]), turn_at(turns, y["start"])
                if tx is not None and tx == ty:
                    met.add((x["code_key"], y["code_key"], x["source_id"], tx["seq"]))
    want = Counter((a, b) for a, b, _, _ in met)
    by_turn = {line["code"]: line for line in tables.cooccurrence(project, within="turn")}
    assert want and all(by_turn[a][b] == n for (a, b), n in want.items())


def test_cli_export_segments_and_matrix(cli, project, study, tmp_path):
    result = cli("export", "segments", "--out", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0 and "Wrote" in result.output and (tmp_path / "s.xlsx").exists()
    result = cli("export", "matrix", "--by", "site", "--out", str(tmp_path / "m.csv"))
    assert "X village" in (tmp_path / "m.csv").read_text("utf-8-sig").splitlines()[0]
    bad = cli("export", "matrix", "--out", str(tmp_path / "m.pdf"))
    assert bad.exit_code == 1 and "csv or xlsx" in bad.output


def test_cli_export_segments_of_several_codes(cli, project, study, tmp_path):
    out = tmp_path / "two.csv"
    assert cli("export", "segments", "--code", "land", "--code", "coop", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    want = [c for c in codings.query(project) if c["code_key"] in ("land", "coop")]
    assert sorted(int(r["coding_id"]) for r in rows) == sorted(c["id"] for c in want) and rows


def test_a_matrix_takes_the_code_coder_case_and_site_it_is_asked_for(project, study, tmp_path):
    from fieldcase.reports.exporting import export

    every = codings.query(project)
    mine = every[0]
    codings.add(project, mine["source_id"], "coop", mine["start"], mine["end"], coder="li")
    sites.add(project, "Y village")
    only_li = {r["code"]: r for r in tables.matrix(project, coder="li")}
    assert only_li["coop"]["total"] == 1 and only_li["land"]["total"] == 0
    assert [r["code"] for r in tables.matrix(project, code=["land"])] == ["land"]
    assert sum(r["total"] for r in tables.matrix(project, site="Y village")) == 0
    out = export(project, "matrix", "csv", tmp_path / "m.csv", coder="li", code=["coop"])
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["code"], r["total"]) for r in rows] == [("coop", "1")]
    pairs = tables.cooccurrence(project, within="overlap", coder="li")
    assert pairs == []  # li's one coding meets none of li's
