"""The framework matrix screen (F in the workspace) and a cell's screen: driven by keys,
checked on the store and on what the screens show."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from textual.widgets import DataTable, OptionList, TextArea

from fieldcase.store import cases, cells, codes, history
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


async def _until(pilot, condition) -> None:
    """Let the app run until ``condition()`` holds; fail the test if it never does."""
    await wait_until(pilot, condition)
    assert condition()


def _written(path, summary: str) -> tuple[int, int]:
    """H's summary under talent.motive stored before the workspace opens; the cell's ids."""
    with open_project(path, user="tester") as project:
        cells.write(project, "H", "talent.motive", summary)
    return _ids(path, "H", "talent.motive")


async def _editing(app, pilot, ids: tuple[int, int], summary: str) -> tuple[CellScreen, TextArea]:
    """The cell of ``ids`` opened from the matrix, its editor showing the stored ``summary``."""
    cell = await _open_cell(app, pilot, await _open_matrix(app, pilot), *ids)
    editor = cell.query_one(TextArea)
    await _until(pilot, lambda: editor.text == summary)
    return cell, editor


async def _typed(app, pilot, ids: tuple[int, int], summary: str, typed: str) -> tuple[CellScreen, TextArea]:
    """The cell of ``ids`` opened showing ``summary``, ``typed`` added at its end, not saved."""
    cell, editor = await _editing(app, pilot, ids, summary)
    editor.focus()
    await pilot.press("end", *typed)
    return cell, editor


async def _saved(pilot, path, case: str, code: str, summary: str | None) -> None:
    """Wait until the store holds ``summary`` for the cell, and say so if it never does."""
    with open_project(path, user="tester") as project:
        def stored() -> str | None:
            project.conn.commit()  # a fresh read each time
            return (cells.get(project, case, code) or {}).get("summary")

        await _until(pilot, lambda: stored() == summary)


async def test_a_draft_asks_before_it_replaces_a_written_summary(study):
    from fieldcase.tui.dialogs.confirm import ConfirmDialog

    ids = _written(study, "我自己写的摘要")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell, editor = await _editing(app, pilot, ids, "我自己写的摘要")
        await pilot.press("ctrl+t")
        await _until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await _until(pilot, lambda: app.screen is cell)
        assert editor.text == "我自己写的摘要" and "kept" in str(cell.query_one("#status").render())
        await pilot.press("ctrl+t")
        await _until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await _until(pilot, lambda: editor.text.startswith("[草稿]"))
        editor.focus()
        await pilot.press("ctrl+z")  # not saved: ctrl+z undoes the draft in the editor
        await _until(pilot, lambda: editor.text == "我自己写的摘要")
        await _saved(pilot, study, "H", "talent.motive", "我自己写的摘要")  # nothing stored meanwhile


async def test_a_draft_over_an_empty_editor_needs_no_question(study):
    case_id, code_id = _ids(study, "H", "talent.motive")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell = await _open_cell(app, pilot, await _open_matrix(app, pilot), case_id, code_id)
        await pilot.press("ctrl+t")
        await _until(pilot, lambda: cell.query_one(TextArea).text.startswith("[草稿]"))
        assert app.screen is cell


async def test_ctrl_z_after_a_save_undoes_the_save(study):
    ids = _written(study, "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell, editor = await _typed(app, pilot, ids, "第一稿", "more")
        await pilot.press("ctrl+s")
        await _saved(pilot, study, "H", "talent.motive", "第一稿more")
        await _until(pilot, lambda: "ctrl+z undoes the save" in str(cell.query_one("#status").render()))
        await pilot.press("ctrl+z")
        await _saved(pilot, study, "H", "talent.motive", "第一稿")
        await _until(pilot, lambda: editor.text == "第一稿")
        assert "Undid: Summary of H" in str(cell.query_one("#status").render())
        assert cell.saved == "第一稿"


async def test_the_cell_screen_refuses_a_link_to_another_cases_coding_in_one_line(study):
    case_id, code_id = _ids(study, "H", "talent.motive")
    with open_project(study, user="tester") as project:
        from fieldcase.analysis.framework import segments

        theirs = segments(project, "刘霞", "talent.motive")[0]["id"]
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell = await _open_cell(app, pilot, await _open_matrix(app, pilot), case_id, code_id)
        cell.write(None, link=(theirs,), job="linked")
        status = cell.query_one("#status")
        await _until(pilot, lambda: "not one of H × talent.motive's segments" in str(status.render()))
        assert str(status.render()).count("\n") == 0 and "counts for 刘霞, not H" in str(status.render())
    with open_project(study, user="tester") as project:
        assert cells.list_all(project) == []


async def test_the_export_dialog_takes_several_cases_for_a_framework_matrix(study, tmp_path):
    from textual.widgets import Input, Select

    from fieldcase.tui.dialogs.export import ExportDialog

    folder = tmp_path / "out"
    with open_project(study, user="tester") as project:  # one summary still a draft
        cells.write(project, "H", "talent.motive", "[草稿] 父母年迈。")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#what", Select).value = "framework"
        await pilot.pause()
        dialog.query_one("#format", Select).value = "md"
        dialog.query_one("#folder", Input).value = str(folder)
        dialog.query_one("#case", Input).value = "H；刘霞、李玲"
        dialog.query_one("#name", Input).value = "three.md"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Wrote" in str(dialog.query_one("#result").render())
                         or "error" in str(dialog.query_one("#result").render()))
        assert "Wrote" in str(dialog.query_one("#result").render()), str(dialog.query_one("#result").render())
        text = (folder / "three.md").read_text("utf-8")
        rows = [line.split("|")[2].strip() for line in text.splitlines() if line.startswith("| ") and "|" in line[2:]]
        assert {"H", "刘霞", "李玲"} <= set(rows) and "张大伯 household" not in rows
        assert "**【草稿，待修订】**父母年迈。" in text
        await _until(pilot, lambda: any("1 summary is still a draft" in str(n.message)
                                        for n in app._notifications))
        dialog.query_one("#what", Select).value = "case"
        await pilot.pause()
        dialog.query_one("#case", Input).value = "H; 刘霞"
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: "several only for framework and comparison" in str(
            dialog.query_one("#result").render()))


def _colleague_writes(path, summary: str) -> None:
    """Another process's write: a colleague's `summary set`, on its own connection."""
    with open_project(path, user="colleague") as project:
        cells.write(project, "H", "talent.motive", summary)


async def test_a_save_over_a_colleagues_newer_summary_asks_and_keeps_mine_only_when_told(study):
    from fieldcase.tui.dialogs.stale_cell import StaleCellDialog

    ids = _written(study, "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell, editor = await _typed(app, pilot, ids, "第一稿", "mine")
        _colleague_writes(study, "同事的稿")
        await _until(pilot, lambda: "Changed meanwhile by colleague" in str(cell.query_one("#status").render()))
        assert editor.text == "第一稿mine"  # the words typed stay
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, StaleCellDialog))
        assert "changed by colleague on " in str(app.screen.query_one("#what").render())
        await pilot.press("escape")  # cancel: nothing written
        await _until(pilot, lambda: app.screen is cell)
        await _saved(pilot, study, "H", "talent.motive", "同事的稿")
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, StaleCellDialog))
        await pilot.press("enter")  # keep mine
        await _saved(pilot, study, "H", "talent.motive", "第一稿mine")
        await _until(pilot, lambda: cell.saved == "第一稿mine")


async def test_take_theirs_shows_the_newer_summary_and_an_untouched_editor_follows_changes(study):
    from fieldcase.tui.dialogs.stale_cell import StaleCellDialog

    ids = _written(study, "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell, editor = await _editing(app, pilot, ids, "第一稿")
        _colleague_writes(study, "同事的稿")  # nothing typed: the editor shows it
        await _until(pilot, lambda: editor.text == "同事的稿")
        editor.focus()
        await pilot.press("end", *"mine")
        with open_project(study, user="colleague") as project:
            history.undo(project)  # as the colleague's `fieldcase undo` from another terminal
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, StaleCellDialog))
        await pilot.press("down", "enter")  # take theirs
        await _until(pilot, lambda: editor.text == "第一稿")
        await _saved(pilot, study, "H", "talent.motive", "第一稿")
        assert cell.saved == "第一稿"


async def _asked_of_kept_words(app, pilot, ids: tuple[int, int]) -> FrameworkScreen:
    """Enter on the cell of ``ids`` in the matrix, until it asks about words kept unsaved."""
    from fieldcase.tui.dialogs.confirm import ConfirmDialog

    screen = await _open_matrix(app, pilot)
    order = [c.id for _, members in screen.matrix.sites() for c in members]
    screen.query_one(DataTable).move_cursor(row=order.index(ids[0]), column=screen.column_of(ids[1]))
    await pilot.press("enter")
    await _until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    return screen


async def test_unsaved_words_are_kept_as_a_draft_and_offered_back_when_the_cell_opens_again(study):
    from fieldcase.store import drafts
    from fieldcase.tui.hangup import save_open_drafts

    ids = _written(study, "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        cell, editor = await _typed(app, pilot, ids, "第一稿", "unsaved")
        assert save_open_drafts(app) >= 1  # what SIGHUP and SIGTERM do before the app ends
        with open_project(study, user="tester") as project:
            kept = drafts.cell_draft(project, *ids)
            assert kept is not None and kept["text"] == "第一稿unsaved"
            assert drafts.list_all(project) == []  # not a source draft: not offered as one
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _asked_of_kept_words(app, pilot, ids)
        assert "第一稿unsaved" in str(app.screen.query_one("#detail").render())
        await pilot.press("y")
        cell = app.screen
        assert isinstance(cell, CellScreen)
        editor = cell.query_one(TextArea)
        await _until(pilot, lambda: editor.text == "第一稿unsaved")
        await pilot.press("ctrl+s")
        await _saved(pilot, study, "H", "talent.motive", "第一稿unsaved")
        with open_project(study, user="tester") as project:
            await _until(pilot, lambda: project.conn.commit() or drafts.cell_draft(project, *ids) is None)


async def test_the_cell_keeps_typing_every_few_seconds_and_a_second_escape_drops_it(study):
    from fieldcase.store import drafts

    ids = _written(study, "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_matrix(app, pilot)
        cell = await _open_cell(app, pilot, screen, *ids)
        cell.autosave = 0.1
        cell.set_interval(0.1, cell.save_draft)
        editor = cell.query_one(TextArea)
        await _until(pilot, lambda: editor.text == "第一稿")
        editor.focus()
        await pilot.press("end", *"x")
        with open_project(study, user="tester") as project:
            await _until(pilot, lambda: project.conn.commit() or (drafts.cell_draft(project, *ids) or {}).get(
                "text") == "第一稿x")
            await pilot.press("escape", "escape")
            await _until(pilot, lambda: app.screen is screen)
            project.conn.commit()
            assert drafts.cell_draft(project, *ids) is None


async def test_declining_the_kept_words_keeps_them_for_later(study):
    from fieldcase.store import drafts

    ids = _written(study, "第一稿")
    with open_project(study, user="tester") as project:
        drafts.save_cell(project, None, *ids, "没存的话", "第一稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _asked_of_kept_words(app, pilot, ids)
        await pilot.press("escape")  # no: not thrown away
        cell = app.screen
        assert isinstance(cell, CellScreen) and cell.query_one(TextArea).text == "第一稿"
        await pilot.press("escape")
        await _until(pilot, lambda: app.screen is screen)
    with open_project(study, user="tester") as project:
        assert drafts.cell_draft(project, *ids)["text"] == "没存的话"


async def test_at_80_columns_moving_right_shows_whole_columns_and_an_empty_cell_says_so(study):
    from fieldcase.tui.screens.framework_cell import NO_SEGMENTS

    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_matrix(app, pilot)
        table = screen.query_one(DataTable)
        left = table._get_fixed_offset().left
        starts, at = set(), table._row_label_column_width
        for column in table.ordered_columns:
            starts.add(at)
            at += column.get_render_width(table)
        scrolled = []
        for _ in range(8):
            await pilot.press("right")
            await pilot.pause()
            scrolled.append(table.scroll_x)
            assert table.scroll_x + left in starts, (table.scroll_x, sorted(starts))  # no column cut from the left
        assert max(scrolled) > 0  # it did scroll
        # a cell with no segments: the panes say what to do instead of standing blank
        assert screen.matrix is not None
        empty = next((c, t) for c in screen.matrix.cases for t in screen.matrix.themes
                     if not screen.matrix.cell(c.id, t.id).count)
        order = [c.id for _, members in screen.matrix.sites() for c in members]
        table.move_cursor(row=order.index(empty[0].id), column=screen.column_of(empty[1].id))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CellScreen))
        cell = app.screen
        await wait_until(pilot, lambda: cell.query_one(OptionList).option_count == 1)
        assert str(cell.query_one(OptionList).get_option_at_index(0).prompt) == NO_SEGMENTS
        assert "Write the summary" in str(cell.query_one(TextArea).placeholder)


@asynccontextmanager
async def _in_cell(study, case: str, code: str, size: tuple[int, int]):
    """The workspace at ``size`` with the matrix open and the cell (case, code) open over it."""
    case_id, code_id = _ids(study, case, code)
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=size) as pilot:
        screen = await _open_matrix(app, pilot)
        yield pilot, await _open_cell(app, pilot, screen, case_id, code_id)


async def test_end_in_the_cell_editor_goes_to_the_end_of_the_written_line(study):
    async with _in_cell(study, "H", "talent.motive", (80, 24)) as (pilot, cell):
        editor = cell.query_one(TextArea)
        line = "返乡的原因有很多，" * 12  # wraps over several screen lines
        editor.load_text(line + "\n第二行")
        editor.focus()
        editor.move_cursor((0, 0))
        await pilot.press("end")
        assert editor.cursor_location == (0, len(line))
        await pilot.press("X")
        assert editor.text.split("\n")[0] == line + "X"


async def test_back_from_a_cell_the_matrix_shows_what_is_stored_now(study):
    from textual.coordinate import Coordinate

    ids = _written(study, "二稿")
    app = FieldcaseApp(study, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        matrix = await _open_matrix(app, pilot)
        assert matrix.matrix is not None
        order = [c.id for _, members in matrix.matrix.sites() for c in members]
        where = Coordinate(order.index(ids[0]), matrix.column_of(ids[1]))
        table = matrix.query_one(DataTable)
        assert "二稿" in str(table.get_cell_at(where))
        await _open_cell(app, pilot, matrix, *ids)
        _colleague_writes(study, "同事改了")  # from the command line, while the cell is open
        await pilot.press("escape")
        await _until(pilot, lambda: app.screen is matrix)
        await _until(pilot, lambda: "同事改了" in str(matrix.query_one(DataTable).get_cell_at(where)))
