"""F5, sites and cases: cursors that stay on their row, other names in the case forms,
changes made by another process, and the case picker's pinyin."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_helpers import screen_text

from fieldcase.store import cases, sites, sources
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.case_picker import CasePicker
from fieldcase.tui.dialogs.form import FormDialog
from fieldcase.tui.screens.sites_cases import SitesCasesScreen


def with_cases(path) -> None:
    with open_project(path, user="tester") as project:
        sites.add(project, "X village")
        for name in ("A", "B", "C", "D"):
            cases.add(project, name, site="X village")


def under_cursor(table: DataTable) -> str:
    return str(table.get_row_at(table.cursor_row)[0])


async def open_f5(app, pilot) -> DataTable:
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, SitesCasesScreen)
    return app.screen.query_one("#cases", DataTable)


async def submit(form, pilot) -> None:
    """Enter in a form's first field: the form is saved."""
    form.query_one("#name").focus()
    await pilot.press("enter")
    await pilot.pause()


async def new_form(app, pilot, key: str) -> FormDialog:
    """F5, then ``key`` (a new site, A a new case): its form."""
    await open_f5(app, pilot)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, FormDialog)
    return app.screen


async def test_l_twice_links_and_unlinks_the_same_case_and_a_new_case_gets_the_cursor(tui_project):
    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        table = await open_f5(app, pilot)
        await pilot.press("down", "down")
        assert under_cursor(table) == "C"
        await pilot.press("l")
        await pilot.pause()
        assert under_cursor(table) == "C"  # it used to jump to the first row
        with open_project(tui_project) as project:
            assert sources.get(project, 1, with_text=False)["cases"] == ["C"]
        await pilot.press("l")  # the same case again: unlinked
        await pilot.pause()
        with open_project(tui_project) as project:
            assert sources.get(project, 1, with_text=False)["cases"] == []
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one("#name").value = "E"
        app.screen.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert under_cursor(table) == "E"  # a new case gets the cursor, so l links it next
        await pilot.press("ctrl+z")  # undo takes it away: the cursor stays near
        await pilot.pause()
        assert table.row_count == 4 and under_cursor(table) == "D"


async def test_case_forms_take_other_names(tui_project):
    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        form = await new_form(app, pilot, "A")
        assert "Other names (aliases)" in screen_text(app)
        form.query_one("#name").value = "刘霞"
        form.query_one("#aliases").value = "老刘, 刘姐、霞姐"
        await submit(form, pilot)
        with open_project(tui_project) as project:
            assert cases.get(project, "刘霞")["aliases"] == ["老刘", "刘姐", "霞姐"]
        await pilot.press("enter")  # edit it: its other names are there to change
        await pilot.pause()
        form = app.screen
        assert form.query_one("#aliases").value == "老刘, 刘姐, 霞姐"
        form.query_one("#aliases").value = "老刘"
        await submit(form, pilot)
        assert isinstance(app.screen, SitesCasesScreen)
        assert "老刘" in screen_text(app)  # the cases table shows them
    with open_project(tui_project) as project:
        assert cases.get(project, "刘霞")["aliases"] == ["老刘"]
        assert cases.find(project, "老刘")["name"] == "刘霞"


async def test_f5_shows_what_another_process_changed_keeping_the_cursor(tui_project):
    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        table = await open_f5(app, pilot)
        await pilot.press("down", "down")
        with open_project(tui_project, user="other") as other:
            cases.add(other, "AA", site="X village")  # sorts before the cursor's row
            sources.link(other, 1, ["C"])
        await pilot.pause(1.2)
        assert table.row_count == 5
        assert under_cursor(table) == "C"
        assert table.get_row_at(table.cursor_row)[1] == "✓"  # linked by the other


async def test_the_key_bar_at_80_columns_shows_enter_and_l(tui_project):
    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_f5(app, pilot)
        lines = screen_text(app).splitlines()
        assert "⏎ Edit" in lines[-1] and " l Link" in lines[-1] and "esc Back" in lines[-1]
        assert "i Interviewer" not in lines[-1]  # only in the speakers table
        assert "or unlinks it." in "".join(lines[1:3])  # the hint wraps rather than being cut
        app.screen.query_one("#speakers").focus()
        await pilot.pause()
        last = screen_text(app).splitlines()[-1]
        assert "⏎ Which case" in last and "i Interviewer" in last


async def test_the_case_picker_finds_a_case_by_pinyin_initials(tui_project):
    with open_project(tui_project, user="tester") as project:
        for name in ("周科长", "李玲", "王阿姨 household"):
            cases.add(project, name)
        rows = cases.list_all(project)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        chosen = []
        app.push_screen(CasePicker(rows, "Which case?"), chosen.append)
        await pilot.pause()
        await pilot.press(*"zkz", "enter")
        await pilot.pause()
        app.push_screen(CasePicker(rows, "Which case?"), chosen.append)
        await pilot.pause()
        await pilot.press(*"way", "enter")
        await pilot.pause()
    names = {r["id"]: r["name"] for r in rows}
    assert [names[c] for c in chosen] == ["周科长", "王阿姨 household"]


async def test_back_from_f5_after_the_open_source_was_deleted_elsewhere(tui_project):
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_f5(app, pilot)
        with open_project(tui_project, user="other") as other:
            sources.delete(other, 1)
        await pilot.pause(1.2)
        assert not app.screen.query_one("#speakers").display
        assert "No source is open" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.screen.source is None


async def test_site_forms_take_the_display_names_chapters_print(tui_project):
    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 50)) as pilot:
        form = await new_form(app, pilot, "a")
        assert "Chinese name in chapters" in screen_text(app)
        form.query_one("#name").value = "Xiamu Village"
        form.query_one("#name_zh").value = "夏木村"
        await submit(form, pilot)
        with open_project(tui_project) as project:
            assert sites.get(project, "Xiamu Village")["name_zh"] == "夏木村"
        app.screen.query_one("#sites", DataTable).focus()
        await pilot.press("enter")  # edit the site under the cursor: the new one
        await pilot.pause()
        form = app.screen
        assert form.query_one("#name_zh").value == "夏木村"
        form.query_one("#name_zh").value = ""
        form.query_one("#name_en").value = "Xiamu"
        await submit(form, pilot)
    with open_project(tui_project) as project:
        site = sites.get(project, "Xiamu Village")
        assert (site["name_zh"], site["name_en"]) == (None, "Xiamu")
