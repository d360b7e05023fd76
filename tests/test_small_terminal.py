"""The workspace and its search and review screens at 80x24 as well as 140x40, driven by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Input

from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.search import SearchScreen

SMALL, LARGE = (80, 24), (140, 40)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def context_cells(table: DataTable) -> list:
    at = [key.value for key in table.columns].index("context")
    return [table.get_row_at(i)[at] for i in range(table.row_count)]


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("query", ["返乡", "返乡入乡创业", "Li Ling"])
async def test_each_hit_is_centred_in_the_context_column(sample, size, query):
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("slash", *query, "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one("#query", Input).size.width >= 30  # the query keeps room to type
        table = screen.query_one(DataTable)
        width = table.columns["context"].width
        # every column is on screen, the context one filling what is left
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.content_region.width
        assert width >= (40 if size == SMALL else 80)
        assert table.row_count == len(screen.hits) > 0
        for hit, line in zip(screen.hits, context_cells(table)):
            assert line.cell_len <= width
            span = next(s for s in line.spans if s.style == "bold reverse")
            before, shown, after = line.plain[: span.start], line.plain[span.start : span.end], line.plain[span.end :]
            assert shown == hit.match
            assert cell_len(before) == (width - cell_len(hit.match)) // 2  # the hits line up down the column
            assert before.strip() or hit.start == 0  # context on both sides
            assert after.strip()


async def test_a_long_hit_keeps_its_start_and_end_with_context(sample):
    from fieldcase.store.project import open_project
    from fieldcase.store import sources

    with open_project(sample) as project:
        official = next(s for s in sources.list_all(project) if s["title"].startswith("周科长"))
        body = sources.get(project, official["id"])["text"]
    phrase = next(line for line in body.split("\n") if len(line) > 70 and '"' not in line)[5:65]
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        app.screen.query_one("#query", Input).value = phrase  # keys such as ， are not typed by Pilot
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        line = context_cells(table)[0]
        width = table.columns["context"].width
        hit = next(line.plain[s.start : s.end] for s in line.spans if s.style == "bold reverse")
        first, _, last = hit.partition("…")
        assert phrase.startswith(first) and phrase.endswith(last) and first and last
        before, after = line.plain.split(hit, 1)
        assert before.strip() and after.strip()
        assert line.cell_len <= width


async def test_widening_the_terminal_widens_the_context(sample):
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"返乡", "enter")
        await settle(app, pilot)
        await pilot.press("down", "down")
        table = app.screen.query_one(DataTable)
        narrow = table.columns["context"].width
        await pilot.resize_terminal(*LARGE)
        await settle(app, pilot)
        assert table.columns["context"].width > narrow + 40
        assert table.cursor_row == 2
        assert context_cells(table)[2].cell_len > narrow


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_review_queue_best_first_by_code_name_with_its_quote_on_screen(sample, size):
    from fieldcase.tui.screens.suggestions import SuggestionsScreen

    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await settle(app, pilot)  # none stored yet: it suggests for the open source
        screen = app.screen
        assert isinstance(screen, SuggestionsScreen)
        table = screen.query_one(DataTable)
        scores = [row["score"] for row in screen.rows]
        assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
        first = table.get_row_at(0)
        assert first[1] == screen.rows[0]["code_name_zh"]  # 金融约束, not context.finance
        assert not any(table.get_row_at(i)[1] == row["code_key"] for i, row in enumerate(screen.rows))
        # the quote column is on screen, at least 20 cells, showing a keyword that made it
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.content_region.width
        assert table.columns["quote"].width >= 20
        for i, row in enumerate(screen.rows[:10]):
            quote = table.get_row_at(i)[4]
            bold = next(quote.plain[s.start : s.end] for s in quote.spans if s.style == "bold")
            assert bold in [t["keyword"] for t in row["triggers"]] or bold.lower() in row["quote"].lower()
            assert quote.plain in row["quote"].replace("\n", " ")


async def test_the_details_pane_toggles_at_any_width(sample):
    from fieldcase.tui.screens.help import HelpScreen
    from fieldcase.tui.widgets.details import DetailsPane
    from fieldcase.tui.widgets.reader import Reader

    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        details, reader = app.screen.query_one(DetailsPane), app.screen.query_one(Reader)
        assert details.display and not details.region.overlaps(reader.region)  # beside the reader
        wide = reader.region.width
        await pilot.press("d")
        await pilot.pause()
        assert not details.display and reader.region.width > wide  # the reader takes the room
        assert reader.border_subtitle == "d details"
        await pilot.press("d")
        await pilot.pause()
        assert details.display and reader.region.width == wide and not reader.border_subtitle

        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        await pilot.pause()
        assert not details.display  # a narrow terminal starts without it, and says how to bring it
        assert reader.border_subtitle == "d details"
        narrow = reader.region
        await pilot.press("d")
        await pilot.pause()
        assert details.display and details.region.width >= 30
        assert details.region.overlaps(narrow) and reader.region == narrow  # over the reader, not beside it
        inside = details.region.offset + (3, 3)
        assert narrow.contains_point(inside) and app.screen.get_widget_at(*inside)[0] is details  # on top
        await pilot.press("d")
        await pilot.pause()
        assert not details.display

        await pilot.resize_terminal(*LARGE)  # each width keeps its own choice
        await pilot.pause()
        await pilot.pause()
        assert details.display
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "toggle-details" in {row[3] for row in app.screen.rows}


async def _type_source(pilot, app, case: str, site: str = "X village") -> None:
    from fieldcase.tui.screens.new_source import NewSourceScreen

    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, NewSourceScreen)
    app.screen.query_one("#title", Input).value = "Evening notes"
    app.screen.query_one("#site", Input).value = site
    app.screen.query_one("#cases", Input).value = case
    app.screen.query_one("#text").focus()
    await pilot.press(*"Twelve people weaving in the workshop.")
    await pilot.press("ctrl+s")
    await pilot.pause()


def _stored(path: Path) -> tuple[list[str], list[dict]]:
    from fieldcase.store import cases, sources
    from fieldcase.store.project import open_project

    with open_project(path) as project:
        return [c["name"] for c in cases.list_all(project)], sources.list_all(project)


async def test_a_mistyped_case_is_offered_the_close_names_before_a_case_is_made(sample):
    from fieldcase.tui.dialogs.new_name import NewNameDialog
    from fieldcase.tui.screens.new_source import NewSourceScreen
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    names_before, sources_before = _stored(sample)
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await _type_source(pilot, app, "H, 张大伯 househld")
        dialog = app.screen
        assert isinstance(dialog, NewNameDialog) and dialog.typed == "张大伯 househld"
        assert dialog.close[0] == "张大伯 household"
        await pilot.press("escape")  # back to the form: nothing stored, the typing kept
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen)
        assert "Not saved yet" in str(app.screen.query_one("#status").render())
        assert _stored(sample) == (names_before, sources_before)
        await pilot.press("ctrl+s", "enter")  # asked again; Enter takes the closest name
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    names, listed = _stored(sample)
    assert names == names_before
    (typed,) = [s for s in listed if s["title"] == "Evening notes"]
    assert sorted(typed["cases"]) == ["H", "张大伯 household"]


async def test_a_new_case_is_made_only_when_asked_for(sample):
    from fieldcase.tui.dialogs.new_name import NewNameDialog
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    names_before, _ = _stored(sample)
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await _type_source(pilot, app, "李岭")  # 李玲 mistyped, or someone new
        assert isinstance(app.screen, NewNameDialog) and app.screen.close[0] == "李玲"
        await pilot.press("end", "enter")  # the last line: create it as typed
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    names, listed = _stored(sample)
    assert sorted(names) == sorted([*names_before, "李岭"])
    assert [s["cases"] for s in listed if s["title"] == "Evening notes"] == [["李岭"]]


async def test_a_mistyped_case_in_a_typed_header_is_asked_about_and_mended_there(sample):
    from textual.widgets import TextArea

    from fieldcase.tui.dialogs.new_name import NewNameDialog
    from fieldcase.tui.screens.new_source import NewSourceScreen
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    names_before, _ = _stored(sample)
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen)
        app.screen.query_one("#title", Input).value = "Evening notes"
        app.screen.query_one("#text", TextArea).load_text(
            "---\nsite: X village\ncases: 张大伯 househld, H\n---\n访谈者：几点了？\n张大伯：七点。\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewNameDialog) and app.screen.typed == "张大伯 househld"
        await pilot.press("enter")  # the closest name
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    names, listed = _stored(sample)
    assert names == names_before  # no junk case
    (typed,) = [s for s in listed if s["title"] == "Evening notes"]
    assert sorted(typed["cases"]) == ["H", "张大伯 household"]
