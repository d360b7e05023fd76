"""The framework matrix screen (F in the workspace) and a cell's screen: driven by keys,
checked on the store and on what the screens show."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList, TextArea

from fieldcase.store import cases, cells, codes
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.framework import FrameworkScreen, shown
from fieldcase.tui.screens.framework_cell import CellScreen
from fieldcase.tui.widgets.reader import Reader
from framework_fixture import code_sample
from tui_helpers import wait_until


@pytest.fixture
def study(sample):
    return code_sample(sample, names=False)


def _ids(path, case: str, code: str) -> tuple[int, int]:
    with open_project(path, user="tester") as project:
        return cases.find(project, case)["id"], codes.find(project, code)["id"]


async def _open_matrix(app, pilot) -> FrameworkScreen:
    await pilot.pause()
    await pilot.press("F")
    await wait_until(pilot, lambda: isinstance(app.screen, FrameworkScreen) and app.screen.matrix is not None)
    screen = app.screen
    assert isinstance(screen, FrameworkScreen)
    return screen


async def _open_cell(app, pilot, screen: FrameworkScreen, case_id: int, code_id: int) -> CellScreen:
    assert screen.matrix is not None
    order = [c.id for _, members in screen.matrix.sites() for c in members]
    screen.query_one(DataTable).move_cursor(row=order.index(case_id), column=screen.column_of(code_id))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CellScreen) and app.screen.segments)
    cell = app.screen
    assert isinstance(cell, CellScreen)
    return cell


def test_a_cell_shows_its_summary_clipped_or_its_count():
    assert shown("", 12) == "·12" and shown("", 0) == ""
    assert shown("H 回乡：父母年迈、城市病，还有机会。", 3, width=10) == "H 回乡：…"
    assert shown("two\nlines", 1) == "two lines"


async def test_the_matrix_lists_cases_by_site_and_counts_without_summaries(study):
    with open_project(study, user="tester") as project:
        cells.write(project, "H", "talent.motive", "H 回乡：父母年迈、城市病。")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_matrix(app, pilot)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][:4] == ["site", "case", "返乡动因", "行动资源"]
        rows = {str(table.get_row_at(i)[1]): table.get_row_at(i) for i in range(table.row_count)}
        assert rows["H"][2] == "H 回乡：父母年迈…" and rows["H"][3].startswith("·")
        assert str(table.get_row_at(0)[0]) == "Nandan County"
        await pilot.press("escape")
        assert not isinstance(app.screen, FrameworkScreen)


async def test_in_a_cell_a_draft_is_written_linked_saved_and_shown_in_the_matrix(study):
    case_id, code_id = _ids(study, "H", "talent.motive")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_matrix(app, pilot)
        cell = await _open_cell(app, pilot, screen, case_id, code_id)
        first = cell.segments[0]["id"]
        await pilot.press("ctrl+l")  # the first segment, under the cursor
        await wait_until(pilot, lambda: cell.segments and cell.segments[0]["linked"])
        await pilot.press("ctrl+t")
        editor = cell.query_one(TextArea)
        await wait_until(pilot, lambda: editor.text.startswith("[草稿]"))
        await pilot.press("ctrl+s")
        with open_project(study, user="tester") as project:
            await wait_until(pilot, lambda: (cells.get(project, "H", "talent.motive") or {}).get("summary"))
            stored = cells.get(project, "H", "talent.motive")
        assert stored is not None and stored["links"] == [first] and stored["summary"] == editor.text
        assert stored["summary"].startswith("[草稿]") and stored["created_by"] == "tester"
        await pilot.press("escape")
        await wait_until(pilot, lambda: str(screen.query_one(DataTable).get_row_at(
            [c.id for _, m in screen.matrix.sites() for c in m].index(case_id))[2]).startswith("[草稿]"))
        row = [c.id for _, m in screen.matrix.sites() for c in m].index(case_id)
        assert str(screen.query_one(DataTable).get_row_at(row)[2]).startswith("[草稿]")


async def test_unsaved_words_hold_the_first_escape_and_enter_opens_the_segment_in_the_reader(study):
    case_id, code_id = _ids(study, "刘霞", "talent.motive")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_matrix(app, pilot)
        cell = await _open_cell(app, pilot, screen, case_id, code_id)
        cell.query_one(TextArea).focus()
        await pilot.press(*"unsaved")
        await pilot.press("escape")
        assert app.screen is cell and "not saved" in str(cell.query_one("#status").render())
        segment = cell.segments[1]
        cell.query_one(OptionList).focus()
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, (CellScreen, FrameworkScreen)))
        reader = app.screen.query_one(Reader)
        await wait_until(pilot, lambda: reader.selected_span == (segment["start"], segment["end"]))
        assert reader.selected_span == (segment["start"], segment["end"])
        with open_project(study, user="tester") as project:
            assert cells.list_all(project) == []  # nothing saved


async def test_the_palette_opens_the_matrix_and_a_change_elsewhere_shows_in_it(study):
    from textual.command import CommandList, CommandPalette

    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"framework")
        hits = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: hits.option_count and hits.highlighted is not None)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FrameworkScreen) and app.screen.matrix is not None)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        before = screen.matrix
        app.project.conn.commit()
        cells.write(app.project, "李玲", "value.heritage", "瑶族服装")
        from fieldcase.tui.changes import announce

        announce(app)
        await wait_until(pilot, lambda: screen.matrix is not before)
        case_id, code_id = _ids(study, "李玲", "value.heritage")
        assert screen.matrix.cell(case_id, code_id).summary == "瑶族服装"
