"""Hostile and huge codebooks: deep nesting is refused in one line at every entry and
changes nothing; a tree deeper than that (stored before the limit) is still walked,
listed and exported; thousands of codes merge with one lookup table, not a query each."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from lxml import etree

from conftest import count
from fieldcase.errors import InputError
from fieldcase.exchange.qdc import NS, export_codebook, import_codebook
from fieldcase.store import codes
from fieldcase.store.code_index import MAX_LEVELS
from fieldcase.store.project import init_project

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "refi" / "Codebook-mrt2019.xsd")))


def nested_qdc(path: Path, levels: int) -> Path:
    """A .qdc whose codes nest ``levels`` deep, each the only child of the one before."""
    opening = "".join(f'<Code guid="{uuid.uuid4()}" name="level {i}" isCodable="true">' for i in range(levels))
    path.write_text(f'<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes>{opening}{"</Code>" * levels}'
                    "</Codes></CodeBook>", encoding="utf-8")
    return path


def nesting(path: Path) -> int:
    """How deep the elements of an XML file nest (libxml2 stops at 256 levels, expat does not)."""
    from xml.etree.ElementTree import iterparse

    depth = deepest = 0
    for event, _element in iterparse(str(path), events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def chain(project, levels: int) -> None:
    """``levels`` codes each under the one before, written directly (as an older fieldcase
    without the limit could leave them)."""
    with project.change("test.chain", "a deep chain") as w:
        parent = None
        for i in range(levels):
            parent = w.insert("codes", {"key": f"k{i}", "parent_id": parent, "position": 0,
                                        "name_en": f"level {i}", "keywords": "[]"})


@pytest.mark.parametrize("levels", [MAX_LEVELS + 1, 1000, 5000])
def test_a_too_deep_qdc_is_one_line_and_changes_nothing(cli, tmp_path, levels):
    cli("init", "--framework", "builtin")
    before = cli("codes", "--json").output
    result = cli("codebook", "import", str(nested_qdc(tmp_path / "deep.qdc", levels)))
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path / 'deep.qdc'}: refused: its codes nest {levels} levels deep;"
                             f" fieldcase takes at most {MAX_LEVELS}\n")
    assert cli("codes", "--json").output == before
    assert "codebook.import" not in cli("history").output


def test_codes_as_deep_as_the_limit_import_list_and_export(project, tmp_path, cli):
    import_codebook(project, nested_qdc(tmp_path / "deep.qdc", MAX_LEVELS))
    tree = codes.tree(project)
    assert [n["depth"] for n in tree] == list(range(MAX_LEVELS))
    assert tree[-1]["path"] == [n["key"] for n in tree]
    out = tmp_path / "again.qdc"
    export_codebook(project, out)
    SCHEMA.assertValid(etree.parse(str(out)))
    with init_project(tmp_path / "other.fieldcase", user="tester", framework="none") as other:
        assert len(import_codebook(other, out).added) == MAX_LEVELS
        assert [n["depth"] for n in codes.tree(other)] == list(range(MAX_LEVELS))
    listing = cli("codes").output.splitlines()
    assert len(listing) == 2 + MAX_LEVELS


def test_adding_or_moving_past_the_limit_is_refused(project, tmp_path):
    import_codebook(project, nested_qdc(tmp_path / "deep.qdc", MAX_LEVELS))
    deepest = codes.tree(project)[-1]
    with pytest.raises(InputError, match=f"code one more under level {MAX_LEVELS - 1} would nest codes "
                                         f"{MAX_LEVELS + 1} levels deep"):
        codes.add(project, name="one more", parent=deepest["id"])
    codes.add(project, name="sibling")
    with pytest.raises(InputError, match=f"{MAX_LEVELS + 1} levels deep"):
        codes.move(project, "level 0", "sibling")
    codes.move(project, "level 1", None)  # up is always fine
    assert count(project, "codes") == MAX_LEVELS + 1


def test_a_qdc_that_reaches_too_deep_under_a_matched_code_adds_nothing(project, tmp_path):
    """The file alone is shallow enough, but its top code is one already deep in the project."""
    import_codebook(project, nested_qdc(tmp_path / "deep.qdc", MAX_LEVELS - 1))
    deepest = codes.tree(project)[-1]
    extra = (f'<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes><Code guid="{deepest["uuid"]}" name="x">'
             '<Code name="child"><Code name="grandchild"/></Code></Code></Codes></CodeBook>')
    path = tmp_path / "extra.qdc"
    path.write_text(extra, encoding="utf-8")
    groups = count(project, "change_groups")
    with pytest.raises(InputError, match=r"extra\.qdc: code grandchild under child would nest codes 101"):
        import_codebook(project, path)
    assert count(project, "codes") == MAX_LEVELS - 1 and count(project, "change_groups") == groups


def test_a_stored_tree_deeper_than_python_recursion_is_walked_listed_and_exported(project, tmp_path, cli):
    chain(project, 3000)
    tree = codes.tree(project)
    assert len(tree) == 3000 and tree[-1]["depth"] == 2999
    assert [n["total_codings"] for n in tree[:1]] == [0]
    assert cli("codes").exit_code == 0
    export_codebook(project, tmp_path / "deep.qdc")
    assert nesting(tmp_path / "deep.qdc") == 2 + 3000 + 1  # CodeBook, Codes, the codes, a Description
    assert cli("codebook", "export", str(tmp_path / "deep.md")).exit_code == 0


def test_totals_add_up_the_codings_of_every_descendant(coded):
    from conftest import INTERVIEW_TEXT
    from fieldcase.store import codings

    project, source_id = coded
    at = INTERVIEW_TEXT.index("土地流转")
    codings.add(project, source_id, "talent.motive", at, at + 4)
    codings.add(project, source_id, "talent", at, at + 2)
    codings.add(project, source_id, "land", at, at + 4)
    rows = {n["key"]: n for n in codes.tree(project)}
    assert [(rows[k]["codings"], rows[k]["total_codings"]) for k in ("talent", "talent.motive", "land")] == [
        (1, 2), (1, 1), (1, 1)]


def test_a_code_is_matched_by_key_or_name_in_any_ascii_case(project, tmp_path):
    codes.add(project, key="Land", name="Land use")
    codes.add(project, name="Migration")
    book = (f'<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes><Code name="Soil">'
            '<Description>Key: land</Description></Code><Code name="MIGRATION"/><Code name="Mígration"/>'
            "</Codes></CodeBook>")
    path = tmp_path / "b.qdc"
    path.write_text(book, encoding="utf-8")
    report = import_codebook(project, path)
    assert report.matched == ["Land", "migration"] and len(report.added) == 1


def test_thousands_of_codes_merge_and_match_again_by_guid(project, tmp_path):
    tops = "".join(
        f'<Code guid="{uuid.uuid4()}" name="top {t}">'
        + "".join(f'<Code guid="{uuid.uuid4()}" name="code {t}.{i}"/>' for i in range(199))
        + "</Code>"
        for t in range(10)
    )
    path = tmp_path / "big.qdc"
    path.write_text(f'<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes>{tops}</Codes></CodeBook>', "utf-8")
    assert len(import_codebook(project, path).added) == 2000
    again = import_codebook(project, path)
    assert again.added == [] and len(again.matched) == 2000
    tree = codes.tree(project)
    assert [n["name_en"] for n in tree[:3]] == ["top 0", "code 0.0", "code 0.1"]
    assert tree[200]["name_en"] == "top 1" and tree[200]["depth"] == 0


async def test_the_codebook_room_opens_on_a_deep_and_a_large_codebook(tui_project):
    """A chain deeper than Python's recursion and 1,500 codes more: the room opens, its
    top-level codes folded (a large codebook), and the cursor goes into the chain."""
    from fieldcase.store.project import open_project
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.codebook import CodebookScreen
    from fieldcase.tui.widgets.code_tree import CodeTree

    with open_project(tui_project, user="tester") as project:
        chain(project, 1500)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        tree = app.screen.query_one(CodeTree)
        assert not any(node.is_expanded for node in tree.root.children)
        app.screen._select("k40")  # noqa: SLF001 - as after adding a code there
        await pilot.pause()
        assert app.screen.current()["key"] == "k40"
        await pilot.press("space", "down")
        await pilot.pause()
        assert app.screen.current()["key"] == "k41"
