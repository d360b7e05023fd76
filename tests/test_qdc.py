"""REFI-QDA codebook exchange: valid exports, real tools' files, safe refusal of bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import count
from fieldcase.errors import InputError
from fieldcase.exchange.qdc import export_codebook, import_codebook
from fieldcase.store import codes, memos
from fieldcase.store.project import init_project

DATA = Path(__file__).parent / "data" / "refi"
SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "Codebook-mrt2019.xsd")))


def small_codebook(project):
    codes.add(project, key="talent", name_zh="人才回流", name_en="Talent return", color="#2E7D32",
              description="返乡人才作为行动者。", inclusion="The returnee acts.", exclusion="Use context.* for rules.",
              example="我2012年回来的。", keywords=["返乡", "回乡"])
    codes.add(project, key="talent.motive", name_zh="返乡动因", name_en="Return motives", parent="talent")
    codes.add(project, name="Only English", parent="talent.motive")
    codes.add(project, name="只有中文")


def test_export_validates_against_the_official_schema(project, tmp_path):
    small_codebook(project)
    out = tmp_path / "book.qdc"
    assert export_codebook(project, out) == 4
    document = etree.parse(str(out))
    SCHEMA.assertValid(document)
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    top = document.findall("q:Codes/q:Code", ns)
    assert [c.get("name") for c in top] == ["人才回流 / Talent return", "只有中文"]
    nested = document.find("q:Codes/q:Code/q:Code/q:Code", ns)
    assert nested.get("name") == "Only English"
    assert "Key: talent" in top[0].findtext("q:Description", namespaces=ns)


def test_export_of_an_empty_codebook_is_refused(project, tmp_path):
    with pytest.raises(InputError, match="empty"):
        export_codebook(project, tmp_path / "x.qdc")


def test_roundtrip_into_a_new_project_keeps_names_tree_and_fields(project, tmp_path):
    small_codebook(project)
    out = tmp_path / "book.qdc"
    export_codebook(project, out)
    with init_project(tmp_path / "other.fieldcase", user="tester", framework="none") as other:
        report = import_codebook(other, out)
        assert len(report.added) == 4 and report.matched == []
        talent = codes.find(other, "talent")
        assert (talent["name_zh"], talent["name_en"], talent["color"]) == ("人才回流", "Talent return", "#2E7D32")
        assert talent["description"] == "返乡人才作为行动者。"
        assert talent["inclusion"] == "The returnee acts." and talent["keywords"] == '["返乡", "回乡"]'
        assert talent["uuid"] == codes.find(project, "talent")["uuid"]
        assert [(n["key"], n["depth"]) for n in codes.tree(other)] == [
            (n["key"], n["depth"]) for n in codes.tree(project)
        ]
        again = import_codebook(other, out)
        assert again.added == [] and len(again.matched) == 4


def test_import_merges_by_name_when_guids_differ(project):
    codes.add(project, name="code1")
    report = import_codebook(project, DATA / "atlasti23_valid.qdc")
    assert "code1" in report.matched
    assert report.sets == ["code group 1"] and report.sets_skipped == 0
    assert count(project, "codes") == 1 + len(report.added)


def test_import_atlas_ti_code_with_colour_description_and_set(project):
    report = import_codebook(project, DATA / "atlasti23_valid.qdc")
    assert report.added == ["code1"] and report.sets == ["code group 1"] and report.sets_skipped == 0
    from fieldcase.store import sets

    group = sets.find(project, "code", "code group 1")
    assert group["description"] == "kategorie 1" and group["uuid"] == "eca18d76-2b8b-4f26-bc1d-19eca19fb3f0"
    assert [m["key"] for m in sets.members(project, group["id"])] == ["code1"]
    assert codes.find(project, "code1")["uuid"] == "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
    assert codes.find(project, "code1")["color"] == "#46AA00"
    assert codes.find(project, "code1")["description"] == "description"


def test_import_taguette_with_its_empty_sets(project):
    report = import_codebook(project, DATA / "taguette_tests_expected_codebook.qdc")
    assert sorted(codes.find(project, k)["name_en"] for k in report.added) == [
        "interesting", "interesting\\places", "people",
    ]


def test_import_maxqda_namespace(project, tmp_path):
    path = tmp_path / "maxqda.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="MAXQDA 24">'
        '<Codes><Code guid="{0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}" name="返乡" isCodable="true" color="#FF0000">'
        '<Code guid="1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9" name="Family" isCodable="true"/></Code></Codes></CodeBook>',
        encoding="utf-8",
    )
    report = import_codebook(project, path)
    assert len(report.added) == 2
    parent = codes.find(project, "返乡")
    assert parent["uuid"] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" and parent["color"] == "#FF0000"
    assert codes.find(project, "Family")["parent_id"] == parent["id"]


def test_repeated_guids_do_not_crash(project, tmp_path):
    path = tmp_path / "dupes.qdc"
    guid = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"
    path.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{guid}" name="A" isCodable="true"/>'
        f'<Code guid="{guid}" name="A again" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    report = import_codebook(project, path)
    assert report.added == ["a"] and report.warnings


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not well-formed XML"),
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes><Code name='x'", "not well-formed XML"),
        ("<Project xmlns='urn:QDA-XML:project:1.0'/>", "not a REFI-QDA codebook"),
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>", "no <Codes>"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
         "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes><Code guid='0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0'"
         " name='&e;' isCodable='true'/></Codes></CodeBook>", "refused"),
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes><Code isCodable='true'/></Codes></CodeBook>", "no name"),
    ],
)
def test_bad_files_give_one_clear_error_and_change_nothing(project, tmp_path, content, message):
    codes.add(project, name="existing")
    path = tmp_path / "bad.qdc"
    if content is None:
        path.write_bytes((DATA / "atlasti23_corrupted_truncated.qdc").read_bytes())
    else:
        path.write_text(content, encoding="utf-8")
    before = count(project, "change_groups")
    with pytest.raises(InputError, match=message) as caught:
        import_codebook(project, path)
    assert str(path) in str(caught.value) or "no name" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert count(project, "codes") == 1 and count(project, "change_groups") == before


def test_partial_failure_rolls_back_codes_added_before_it(project, tmp_path):
    path = tmp_path / "half.qdc"
    path.write_text(
        "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>"
        "<Code guid='0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0' name='fine' isCodable='true'/>"
        "<Code isCodable='true'/></Codes></CodeBook>",
        encoding="utf-8",
    )
    with pytest.raises(InputError):
        import_codebook(project, path)
    assert count(project, "codes") == 0
    assert memos.list_all(project) == []
