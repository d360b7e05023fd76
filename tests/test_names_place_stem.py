"""A place's bare stem is its name too: after ``pseudonym add 夏木村 S村``, the 夏木 of
夏木竹编合作社 is replaced in every export, found by ``--check-names`` and offered as a
variant; set names and framework summaries go through pseudonyms in every export."""

from __future__ import annotations

import pytest

from fieldcase.coding.scope import Scope
from fieldcase.errors import NamesLeftError
from fieldcase.reports.exporting import export
from fieldcase.reports.name_variants import variants
from fieldcase.reports.namecheck import check_file
from fieldcase.reports.pseudonyms import renamer
from fieldcase.store import cells, pseudonyms, sets
from fieldcase.store.project import open_project
from fieldcase.text.places import bare_stem
from framework_fixture import code_sample


@pytest.fixture
def study(sample):
    path = code_sample(sample)
    with open_project(path, user="tester") as project:
        pseudonyms.add(project, "夏木村", "S村")
    return path


def test_the_stem_of_a_chinese_place_prints_as_the_pseudonyms_stem(study):
    with open_project(study, user="tester") as project:
        rename = renamer(project)
        assert rename("夏木竹编合作社的刘霞回到夏木村") == "S竹编合作社的X回到S村"
        assert rename("the Xiamu cooperative, XiaMu weavers") == "the S cooperative, S weavers"


def test_a_generic_or_one_character_stem_is_left_alone():
    assert bare_stem("行政村", "甲村") == [] and bare_stem("新村", "甲村") == []
    assert bare_stem("中心村", "甲村") == [] and bare_stem("城关镇", "甲镇") == []
    assert bare_stem("南丹县", "N county") == [("南丹", "N"), ("Nan Dan", "N")]
    assert bare_stem("夏木 village", "S village") == [("夏木", "S"), ("Xia Mu", "S")]


def test_check_names_finds_the_bare_stem_left_in_a_file(study, tmp_path):
    leaked = tmp_path / "leak.md"
    leaked.write_text("# 个案\n\n夏木竹编合作社成立于2019年。\n", encoding="utf-8")
    with open_project(study, user="tester") as project:
        places = check_file(project, leaked, "md", name="leak.md")
    assert places == ["leak.md: line 3: 夏木 (for 夏木村)"]


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_a_chapter_on_the_cooperative_passes_check_names_without_the_stem(study, tmp_path, fmt):
    out = tmp_path / f"chapter.{fmt}"
    with open_project(study, user="tester") as project:
        export(project, "case", fmt, out, Scope(case="夏木竹编合作社"), check_names=True)
    text = _text(out, fmt)
    assert "S竹编合作社" in text and "夏木" not in text


def test_variants_offer_the_stem_with_the_pseudonyms_stem_and_the_command_adds_it(study, cli):
    from click.testing import CliRunner

    from fieldcase.cli import cli as command

    with open_project(study, user="tester") as project:
        found = {r["variant"]: r for r in variants(project, "夏木村")}
    assert found["夏木"]["suggested"] == "S" and found["夏木"]["count"] >= 1
    assert not {"木村", "小村", "老夏"} & set(found)  # a place is not a person's name
    out = CliRunner().invoke(command, ["pseudonym", "variants", "夏木村", "--yes", "-p", str(study)]).output
    assert "夏木 → S" in out
    with open_project(study, user="tester") as project:
        assert pseudonyms.mapping(project)["夏木"] == "S"
        assert "夏木" not in {r["variant"] for r in variants(project, "夏木村")}


ACROSS = [("framework", f) for f in ("xlsx", "docx", "md", "html")] + [("comparison", f) for f in ("docx", "md", "html")]


@pytest.mark.parametrize(("what", "fmt"), ACROSS)
def test_summaries_are_pseudonymised_in_every_export_across_cases(study, tmp_path, what, fmt):
    out = tmp_path / f"{what}.{fmt}"
    with open_project(study, user="tester") as project:
        cells.write(project, "刘霞", "talent.motive", "刘霞回到夏木村，办起夏木竹编合作社。")
        export(project, what, fmt, out, cases=("刘霞", "H"), check_names=True)
    text = _text(out, fmt)
    assert "X回到S村，办起S竹编合作社" in text and "夏木" not in text and "刘霞" not in text


def test_a_set_name_is_pseudonymised_in_the_summary_it_narrows(study, tmp_path):
    out = tmp_path / "summary.md"
    with open_project(study, user="tester") as project:
        sets.add(project, "source", "夏木村的访谈")
        export(project, "summary", "md", out, Scope(source_set="夏木村的访谈"), check_names=True)
    text = out.read_text("utf-8")
    assert "S村的访谈" in text and "夏木" not in text


def test_an_export_still_holding_the_stem_is_refused(study, tmp_path):
    out = tmp_path / "raw.md"
    with open_project(study, user="tester") as project, pytest.raises(NamesLeftError):
        export(project, "case", "md", out, Scope(case="夏木竹编合作社"), pseudonyms=False, check_names=True)
    assert not out.exists()


def _text(path, fmt: str) -> str:
    """What a reader sees in an export: every text of a Word file or workbook, else the file."""
    if fmt == "docx":
        from fieldcase.reports.docx_parts import pieces, read_parts

        return "\n".join(p.text for _, root in read_parts(path) for p in pieces(root))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return "\n".join(str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c)
    return path.read_text("utf-8")
