"""Code colours: every entry takes only #RGB or #RRGGBB, and a bad colour already stored
(written by another tool or by hand) never stops the workspace."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import INTERVIEW_TEXT
from tui_helpers import screen_text

from fieldcase.coding.colours import PALETTE, check_color, drawable
from fieldcase.errors import InputError
from fieldcase.exchange.qdc import export_codebook, import_codebook
from fieldcase.store import codes, codings
from fieldcase.store.project import open_project


@pytest.mark.parametrize(("typed", "stored"), [("#abc", "#AABBCC"), ("#4e79a7", "#4E79A7"), (" 59a14f ", "#59A14F")])
def test_a_colour_is_stored_as_upper_case_rrggbb(typed, stored):
    assert check_color(typed) == stored


@pytest.mark.parametrize("bad", ["#zzz", "red", "#12345", "#1234567", "", "on red blink", "link http://x"])
def test_anything_else_is_refused_naming_it(bad):
    with pytest.raises(InputError, match="colour .*#RRGGBB"):
        check_color(bad)


@pytest.mark.parametrize("stored", ["#zzz", "blink", "link http://x", "", None, 7])
def test_a_bad_stored_colour_is_drawn_in_the_default(stored):
    assert drawable(stored) == "white" and drawable(stored, "#888888") == "#888888"
    assert drawable("#abc") == "#AABBCC"


def test_the_command_line_refuses_a_bad_colour_in_one_line(project, cli):
    codes.add(project, key="land", name_en="Land", color="#123456")
    for args in (["codes", "set", "land", "--color", "#zzz"], ["codes", "add", "Water", "--color", "#zzz"],
                 ["codes", "add", "--en", "Sky", "--color", "blue"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: colour ")
        assert args[-1] in result.stderr
    assert codes.find(project, "land")["color"] == "#123456"
    assert [c["key"] for c in codes.tree(project)] == ["land"]
    assert cli("codes", "set", "land", "--color", "#abc").exit_code == 0
    assert codes.find(project, "land")["color"] == "#AABBCC"


def test_a_child_does_not_inherit_a_bad_colour(project):
    parent = codes.add(project, key="land", name_en="Land")
    project.conn.execute("UPDATE codes SET color = '#zzz' WHERE id = ?", [parent["id"]])
    child = codes.add(project, name_en="Rent", parent="land")
    assert child["color"] in PALETTE


def test_a_qdc_colour_that_is_not_one_is_reported_and_the_code_still_comes(project, tmp_path):
    path = tmp_path / "bad.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0" name="Bad" isCodable="true" color="#zzz"/>'
        '<Code guid="1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9" name="Short" isCodable="true" color="#abc"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    report = import_codebook(project, path)
    assert len(report.added) == 2
    assert report.warnings == ["code 'Bad': colour '#zzz' is not #RRGGBB; it gets a default colour"]
    assert codes.find(project, "Bad")["color"] in PALETTE
    assert codes.find(project, "Short")["color"] == "#AABBCC"


def test_a_bad_stored_colour_is_left_out_of_a_qdc(project, tmp_path):
    code = codes.add(project, key="land", name_en="Land")
    project.conn.execute("UPDATE codes SET color = 'blink' WHERE id = ?", [code["id"]])
    out = tmp_path / "out.qdc"
    export_codebook(project, out)
    assert 'color="' not in out.read_text("utf-8")


def _spoil_colours(path) -> None:
    """Put bad colours into the project with plain SQL, as another tool might."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE codes SET color = '#zzz' WHERE key = 'talent.motive.push'")
        conn.execute("UPDATE codes SET color = 'on red blink' WHERE key = 'talent'")
    conn.close()


async def test_the_workspace_starts_and_shows_a_code_of_a_bad_colour(tui_project):
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.workspace import WorkspaceScreen
    from fieldcase.tui.widgets.reader import Reader

    with open_project(tui_project, user="tester") as project:
        codings.add(project, 1, "talent.motive.push", *codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做"))
    _spoil_colours(tui_project)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert [s["code_key"] for s in app.screen.segments] == ["talent.motive.push"]  # drawn in the reader
        assert app.screen.query_one(Reader).text.startswith("访谈者")
        assert "人才回流" in screen_text(app)
        await pilot.press("b")  # the codebook room draws every code's colour
        await pilot.pause()
        assert "人才回流" in screen_text(app)
        await pilot.press("c")  # the picker opens on the bad colour and refuses it
        await pilot.pause()
        picker = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker and "#RRGGBB" in str(picker.query_one("#error").render())
        await pilot.press("ctrl+u", *"#abc", "enter")
        await pilot.pause()
    with open_project(tui_project) as project:
        assert codes.find(project, "talent")["color"] == "#AABBCC"
