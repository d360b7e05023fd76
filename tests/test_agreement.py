"""Inter-coder agreement: the figures of hand-computed 2×2 tables and of the krippendorff
package, each kind of unit, the scope, the disagreements, the JSON, the reports, and
adopting codings into the consensus layer."""

from __future__ import annotations

import json
import zipfile

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write
from fieldcase.analysis.agreement import Settings, compute
from fieldcase.coding import intervals
from fieldcase.coding.reliability import Table, alpha, alpha_from_counts, agreement, kappa
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.exporting import export_agreement
from fieldcase.store import cases, codes, codings, history, layers, pseudonyms, sources, texts
from fieldcase.text import unit_spans
from fieldcase.text.units import sentence_span

# Five sentences, four paragraphs (the blank line is none), three turns (接着说 goes on the
# second).
TEXT = "问：第一句。第二句。\n答：第三句。\n接着说。\n\n答：第四句。\n"


# --- the figures of a 2×2 table -------------------------------------------------------------

def test_a_hand_computed_table():
    t = Table(both=20, a_only=5, b_only=10, units=100)  # neither = 100 − 35 = 65
    assert agreement(t) == pytest.approx(0.85)  # (20 + 65) / 100
    # pA = 25/100, pB = 30/100; pe = .25·.30 + .75·.70 = .075 + .525 = .6; κ = (.85 − .6)/(1 − .6)
    assert kappa(t) == pytest.approx(0.625)
    # values n = 200; D = 15 units differ; n0 = 2·65 + 15 = 145, n1 = 2·20 + 15 = 55;
    # α = 1 − (n−1)·D/(n0·n1) = 1 − 199·15/(145·55) = 1 − 2985/7975 = 4990/7975
    assert alpha(t) == pytest.approx(4990 / 7975)


def test_a_code_one_coder_never_applied():
    t = Table(both=0, a_only=3, b_only=0, units=10)  # neither = 7
    assert agreement(t) == pytest.approx(0.7)
    # pA = .3, pB = 0: pe = 0 + .7·1 = .7; κ = (.7 − .7)/.3 = 0
    assert kappa(t) == 0.0
    # n = 20; D = 3; n0 = 14 + 3 = 17, n1 = 0 + 3 = 3: α = 1 − 19·3/(17·3) = −6/51
    assert alpha(t) == pytest.approx(-6 / 51)


@pytest.mark.parametrize("t", [Table(0, 0, 0, 10), Table(10, 0, 0, 10)])
def test_certain_chance_agreement_has_no_kappa_and_no_alpha(t):
    # pA = pB = 0 (or 1): pe = 1, so κ is 0/0; every value is the same, so α is too
    assert agreement(t) == 1.0 and kappa(t) is None and alpha(t) is None and alpha_from_counts(t) is None


def test_no_units_have_no_figures():
    assert Table().figures() == {"agreement": None, "kappa": None, "alpha": None, "both": 0, "a_only": 0,
                                 "b_only": 0, "units": 0}


@settings(max_examples=120)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_alpha_is_the_packages_over_every_unit(units):
    t = Table(sum(a and b for a, b in units), sum(a and not b for a, b in units),
              sum(b and not a for a, b in units), len(units))
    values = {v for pair in units for v in pair}
    if len(values) < 2:
        assert alpha(t) is None
        return
    expected = krippendorff.alpha(reliability_data=[[int(a) for a, _ in units], [int(b) for _, b in units]],
                                  level_of_measurement="nominal")
    assert alpha(t) == pytest.approx(expected, abs=1e-12)
    assert alpha_from_counts(t) == pytest.approx(expected, abs=1e-12)


# --- spans and units ------------------------------------------------------------------------

spans_of = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted).map(tuple), max_size=8)


def chars(runs):
    return {i for s, e in runs for i in range(s, e)}


@settings(max_examples=200)
@given(spans_of, spans_of)
def test_span_arithmetic_matches_sets_of_characters(a, b):
    ma, mb = intervals.merged(a), intervals.merged(b)
    assert chars(ma) == chars(a) and all(x[1] < y[0] for x, y in zip(ma, ma[1:]))
    assert chars(intervals.overlap(ma, mb)) == chars(a) & chars(b)
    assert chars(intervals.difference(ma, mb)) == chars(a) - chars(b)
    assert intervals.length(ma) == len(chars(a))


@settings(max_examples=200)
@given(st.text(alphabet="ab乡 .。！？\n", max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_units_are_those_the_unit_functions_find(text, start, end):
    found = unit_spans.sentences(text)
    # each unit is a sentence the unit function finds; they do not overlap; they cover every
    # character but the blanks between them
    assert set(found) <= {sentence_span(text, p) for p in range(len(text))}
    assert all(s < e <= s2 for (s, e), (s2, _) in zip(found, found[1:])) and all(s < e for s, e in found)
    assert {i for i, c in enumerate(text) if c not in " \n"} <= chars(found)
    units = intervals.Units(found)
    assert list(units.touched(start, end)) == [i for i, (s, e) in enumerate(found) if max(s, start) < min(e, end)]


# --- a project: li and wang code one interview -------------------------------------------

@pytest.fixture
def team(project, tmp_path):
    """li codes K on 第一句 and 第四句; wang codes K on 第二句 and J on 接着说. A second source
    only li coded, and a third nobody did."""
    for name in "hwz":
        cases.add(project, name)
    made = [import_paths(project, [write(tmp_path / f"{n}.txt", text)], ImportOptions(cases=[n]))[0].id
            for n, text in (("h", TEXT), ("w", "答：别的话。\n"), ("z", "答：没人编码。\n"))]
    codes.add(project, key="k", name_en="Kept")
    codes.add(project, key="j", name_en="Joined")
    codes.add(project, key="k.sub", name_en="Sub", parent="k")
    for coder, key, quote in (("li", "k", "第一句"), ("li", "k", "第四句"), ("wang", "k", "第二句"),
                              ("wang", "j", "接着说")):
        codings.add(project, made[0], key, *codings.locate_quote(TEXT, quote), coder=coder)
    codings.add(project, made[1], "k", 2, 4, coder="li")
    return project, made


def figures(project, **options):
    result = compute(project, Settings(("li", "wang"), **options))
    return {key: (t.both, t.a_only, t.b_only, t.units) for key, t in result.codes}


@pytest.mark.parametrize(("unit", "expected"), [
    ("sentence", {"k": (0, 2, 1, 5), "j": (0, 0, 1, 5)}),  # li: sentences 1 and 5, wang: 2 (and 4 for j)
    ("paragraph", {"k": (1, 1, 0, 4), "j": (0, 0, 1, 4)}),  # li: lines 1 and 4, wang: line 1
    ("turn", {"k": (1, 1, 0, 3), "j": (0, 0, 1, 3)}),  # li: turns 1 and 3, wang: turn 1 (and 2 for j)
    ("source", {"k": (1, 0, 0, 1), "j": (0, 0, 1, 1)}),
    # 第一句 + 第四句 against 第二句, of the 30 characters stored (the last newline is not kept)
    ("char", {"k": (0, 6, 3, 30), "j": (0, 0, 3, 30)}),
])
def test_each_unit(team, unit, expected):
    project, made = team
    assert sources.find(project, made[0])["text"] == TEXT.rstrip("\n")
    assert figures(project, unit=unit) == expected


def test_the_paragraph_figures_by_hand(team):
    project, _ = team
    result = compute(project, Settings(("li", "wang"), unit="paragraph"))
    k = dict((key, t.figures()) for key, t in result.codes)["k"]
    # both 1, li only 1, neither 2 of 4: pA = 2/4, pB = 1/4, pe = .5·.25 + .5·.75 = .5, po = .75
    assert k["agreement"] == 0.75 and k["kappa"] == pytest.approx(0.5)
    # n = 8, D = 1, n0 = 2·2 + 1 = 5, n1 = 2·1 + 1 = 3: α = 1 − 7·1/15 = 8/15
    assert k["alpha"] == pytest.approx(8 / 15)
    # pooled over 8 (unit, code) pairs: both 1, li only 1, wang only 1, neither 5
    assert result.overall == Table(1, 1, 1, 8)


def test_coded_only_keeps_the_units_either_coded_with_a_code_in_scope(team):
    project, _ = team
    assert figures(project, unit="sentence", coded_only=True) == {"k": (0, 2, 1, 4), "j": (0, 0, 1, 4)}
    assert figures(project, unit="sentence", coded_only=True, codes=("k",)) == {"k": (0, 2, 1, 3)}
    assert figures(project, unit="char", coded_only=True) == {"k": (0, 6, 3, 12), "j": (0, 0, 3, 12)}


def test_only_sources_both_coded_count_and_codes_are_not_their_children(team):
    project, made = team
    h = sources.find(project, made[0])
    codings.add(project, h["id"], "k.sub", *codings.locate_quote(TEXT, "第一句"), coder="wang")
    # wang's k.sub on 第一句 is no k; the source only li coded adds no units
    assert figures(project, unit="sentence")["k"] == (0, 2, 1, 5)
    assert figures(project, unit="sentence")["k.sub"] == (0, 0, 1, 5)
    assert figures(project, unit="sentence", codes=("j",)) == {"j": (0, 0, 1, 5)}
    assert figures(project, unit="sentence", cases=("w",)) == {}
    assert figures(project, unit="sentence", sources=(str(made[0]),))["k"] == (0, 2, 1, 5)


def test_certain_chance_agreement_is_null_in_json(team, cli):
    project, _ = team
    output = cli("agreement", "--coder", "li", "--coder", "wang", "--unit", "source", "--json").output
    data = json.loads(output)
    assert data == {
        "unit": "source", "coders": ["li", "wang"],
        "codes": [{"code": "k", "agreement": 1.0, "kappa": None, "alpha": None, "both": 1, "a_only": 0,
                   "b_only": 0, "units": 1},
                  {"code": "j", "agreement": 0.0, "kappa": 0.0, "alpha": 0.0, "both": 0, "a_only": 0,
                   "b_only": 1, "units": 1}],
        "overall": {"agreement": 0.5, "kappa": 0.0, "alpha": 0.0, "both": 1, "a_only": 0, "b_only": 1,
                    "units": 2},
    }


def test_disagreements_name_the_unit_code_and_coder(team, cli):
    project, made = team
    listed = compute(project, Settings(("li", "wang"), unit="sentence")).disagreements
    assert [(d["text"], d["code"], d["coder"]) for d in listed] == [
        ("问：第一句。", "k", "li"), ("第二句。", "k", "wang"), ("接着说。", "j", "wang"), ("答：第四句。", "k", "li")]
    assert all(TEXT[d["start"]:d["end"]] == d["text"] and d["source_id"] == made[0] for d in listed)
    by_chars = compute(project, Settings(("li", "wang"), unit="char")).disagreements
    assert [d["text"] for d in by_chars] == ["第一句", "第二句", "接着说", "第四句"]
    data = json.loads(cli("agreement", "--coder", "li", "--coder", "wang", "--disagreements", "--json").output)
    assert [d["text"] for d in data["disagreements"]] == [d["text"] for d in listed]
    shown = cli("agreement", "--coder", "li", "--coder", "wang", "--disagreements").output
    assert "接着说。" in shown and "(pooled)" in shown


def test_two_different_coders_are_needed(team, cli):
    project, _ = team
    with pytest.raises(InputError, match="two different coders"):
        compute(project, Settings(("li", "li")))
    result = cli("agreement", "--coder", "li")
    assert result.exit_code == 1 and "compare two coders" in result.output


# --- reports ----------------------------------------------------------------------------------

@pytest.fixture
def named(team):
    """The same, with a real name in the coded words and as a coder."""
    project, made = team
    codes.add(project, key="name", name_en="Named")
    h = made[0]
    text = sources.find(project, h)["text"]
    texts.replace_text(project, h, text.replace("接着说", "刘霞说"))
    for coder in ("li", "wang"):
        codings.add(project, h, "name", *codings.locate_quote(sources.find(project, h)["text"], "刘霞说"), coder=coder)
    codings.add(project, h, "name", *codings.locate_quote(sources.find(project, h)["text"], "第三句"), coder="刘霞")
    pseudonyms.add(project, "刘霞", "L")
    return project, made


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx"])
def test_reports_open_and_carry_no_real_name(named, tmp_path, fmt):
    project, _ = named
    out = export_agreement(project, tmp_path / f"r.{fmt}", fmt, Settings(("li", "刘霞"), unit="sentence"),
                           check_names=True)
    assert out.stat().st_mode & 0o777 == 0o600
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert book.sheetnames == ["agreement", "settings", "disagreements"]
        header = [c.value for c in book["agreement"][1]]
        assert header == ["code", "name", "units", "both", "li only", "L only", "agreement", "kappa", "alpha"]
        cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
        assert "(all codes, pooled)" in cells
        with zipfile.ZipFile(out) as packed:
            assert "刘霞" not in "".join(packed.read(n).decode("utf-8", "replace") for n in packed.namelist())
        return
    body = out.read_text("utf-8")
    assert "刘霞" not in body and "L" in body and "Krippendorff" in body and "第三句" in body
    if fmt == "html":
        assert body.startswith("<!DOCTYPE html>") and "<table>" in body
    else:
        assert "| **All codes, pooled** |" in body


def test_the_cli_writes_a_report_under_its_default_name(named, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("agreement", "--coder", "li", "--coder", "wang", "--format", "xlsx", "--unit", "char")
    assert result.exit_code == 0, result.output
    assert result.output == "Wrote study-agreement.xlsx\n" and (tmp_path / "study-agreement.xlsx").exists()
    result = cli("agreement", "--coder", "li", "--coder", "wang", "--out", str(tmp_path / "a.html"))
    assert result.exit_code == 0 and "<table>" in (tmp_path / "a.html").read_text("utf-8")


# --- the consensus layer --------------------------------------------------------------------

def test_adopt_copies_a_coding_into_consensus_and_undo_takes_it_back(team, cli, tmp_path):
    project, made = team
    wang = codings.query(project, coder="wang", code="k")[0]
    copy, created = layers.adopt(project, wang["id"])
    assert created and copy["coder"] == "consensus"
    assert (copy["source_id"], copy["code_key"], copy["start"], copy["end"]) == (
        wang["source_id"], "k", wang["start"], wang["end"])
    again, created = layers.adopt(project, wang["id"])
    assert not created and again["id"] == copy["id"]
    with pytest.raises(InputError, match="already consensus's"):
        layers.adopt(project, copy["id"])
    history.undo(project)
    assert codings.query(project, coder="consensus") == []
    assert codings.query(project, coder="wang", code="k")[0]["id"] == wang["id"]


def test_exports_can_be_limited_to_consensus(team, cli, tmp_path):
    project, _ = team
    li = codings.query(project, coder="li", code="k")[0]
    result = cli("coding", "adopt", str(li["id"]), "--coder", "consensus")
    assert result.exit_code == 0 and "Adopted into consensus" in result.output
    assert cli("export", "segments", "--coder", "consensus", "--out", str(tmp_path / "s.csv")).exit_code == 0
    rows = (tmp_path / "s.csv").read_text("utf-8-sig").splitlines()
    assert len(rows) == 2 and ",consensus," in rows[1] and "第一句" in rows[1]
    assert cli("export", "summary", "--coder", "consensus", "--out", str(tmp_path / "s.md")).exit_code == 0
    summary = (tmp_path / "s.md").read_text("utf-8")
    assert "第一句" in summary and "第四句" not in summary


def test_an_orphaned_coding_is_not_adopted(team):
    project, made = team
    h = made[0]
    wang = codings.query(project, coder="wang", code="j")[0]
    texts.replace_text(project, h, "全部改写了。\n")
    assert codings.find(project, wang["id"])["status"] == "orphaned"
    with pytest.raises(InputError, match="re-anchor it"):
        layers.adopt(project, wang["id"])
    assert cases.find(project, "h")  # the case stays; nothing else was touched


def test_progress_is_reported_and_cancel_stops_it(team):
    import threading

    from fieldcase.errors import CancelledError

    project, _ = team
    seen = []
    compute(project, Settings(("li", "wang"), cases=("h",)), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 1)]
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        compute(project, Settings(("li", "wang")), cancel=stop)
