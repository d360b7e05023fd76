"""Coding from search and keyword-in-context results: c, 1–9, w widens, marked hits at once."""

from __future__ import annotations

from textual.widgets import DataTable, Static
from tui_helpers import screen_text

from conftest import INTERVIEW_TEXT
from fieldcase.store import codings, history
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.code_picker import CodePicker
from fieldcase.tui.screens.search import SearchScreen
from fieldcase.tui.screens.words import WordsScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.recent_codes import RecentLegend

FIRST = INTERVIEW_TEXT.index("土地流转")
SECOND = INTERVIEW_TEXT.index("土地流转", FIRST + 1)
SECOND_SENTENCE = (SECOND, INTERVIEW_TEXT.index("。", SECOND) + 1)


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def stored(path):
    with open_project(path) as project:
        return [(c["code_key"], c["start"], c["end"]) for c in codings.query(project)]


def marks(screen) -> list[str]:
    table = screen.query_one("#kwic" if isinstance(screen, WordsScreen) else DataTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


async def test_c_codes_a_search_hit_and_w_widens_the_next_to_its_sentence(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"土地流转", "enter")
        await settle(app, pilot)
        search = app.screen
        assert marks(search) == ["", ""]
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"land", "enter")
        await pilot.pause()
        assert app.screen is search
        assert stored(tui_project) == [("integration.land", FIRST, FIRST + 4)]  # the matched words
        assert marks(search) == ["■", ""]  # the list shows it is coded
        assert "coded 土地要素" in str(search.query_one("#hit-info", Static).render())
        await pilot.press("down", "w")
        assert "sentence: “土地流转以后，大家收入高了。”" in str(search.query_one("#hit-info", Static).render())
        await pilot.press("1")  # recent code 1
        await pilot.pause()
        assert stored(tui_project)[1] == ("integration.land", *SECOND_SENTENCE)
        assert marks(search) == ["■", "■"]
        assert "1■土地要素" in screen_text(app)  # the legend, in the search screen too
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)  # and the workspace shows both on return
        assert [s["start"] for s in app.screen.segments] == [FIRST, SECOND]
        assert app.screen.query_one(RecentLegend).display


async def test_marked_hits_are_coded_at_once_and_undone_at_once(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"土地流转 OR 合作社", "enter")
        await settle(app, pilot)
        search = app.screen
        assert len(search.hits) == 3
        await pilot.press("space", "space")  # the first two
        assert marks(search) == ["✓", "✓", ""]
        await pilot.press("c", *"talent", "enter")
        await pilot.pause()
        assert [c[0] for c in stored(tui_project)] == ["talent", "talent"]
        assert marks(search) == ["■", "■", ""]  # coded, and the marks are cleared
        with open_project(tui_project) as project:
            assert history.history(project, 1)[0]["summary"] == "Coded 人才回流 in 2 places in h"
        await pilot.press("A", "2")  # every hit, with recent code 2 (none yet): nothing happens
        assert len(stored(tui_project)) == 2
        await pilot.press("c", *"land", "enter")
        await pilot.pause()
        assert sorted(c[0] for c in stored(tui_project)) == ["integration.land"] * 3 + ["talent"] * 2
        await pilot.press("ctrl+z")  # one undo takes back all three
        await pilot.pause()
        assert [c[0] for c in stored(tui_project)] == ["talent", "talent"]
        assert marks(search) == ["■", "■", ""]
        assert isinstance(app.screen, SearchScreen)


async def test_a_line_in_context_is_coded_from_the_words_screen(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await settle(app, pilot)
        words = app.screen
        index = [r["word"] for r in words.rows].index("土地流转")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert [line["start"] for line in words.lines] == [FIRST, SECOND]
        await pilot.press("down", "w", "c", *"land", "enter")
        await pilot.pause()
        assert stored(tui_project) == [("integration.land", *SECOND_SENTENCE)]
        assert marks(words) == ["", "■"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert [s["start"] for s in app.screen.segments] == [SECOND]


async def test_w_widens_the_hit_under_the_cursor_not_the_marked_ones(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"土地流转 OR 合作社", "enter")
        await settle(app, pilot)
        search = app.screen
        await pilot.press("space")  # the first marked; the cursor moves to the second
        await pilot.press("w")
        assert [t.unit for t in search.targets] == ["words", "sentence", "words"]
