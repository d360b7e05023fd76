"""Search, word frequencies and the suggestion review queue, driven by keys through Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from conftest import INTERVIEW_TEXT
from fieldcase.analysis.words import kwic, word_counts
from fieldcase.store import codings, suggestions
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.search import SearchScreen
from fieldcase.tui.screens.suggestions import SuggestionsScreen
from fieldcase.tui.screens.words import WordsScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.reader import Reader


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_search_lists_hits_and_enter_opens_one(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"土地流转", "enter")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        first = INTERVIEW_TEXT.index("土地流转")
        second = INTERVIEW_TEXT.index("土地流转", first + 1)
        assert [h.start for h in app.screen.hits] == [first, second]
        assert table.row_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        reader = app.screen.query_one(Reader)
        assert reader.selected_span == (second, second + 4)


async def test_a_bad_query_says_what_is_wrong(tui_project):
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *'"土地', "enter")
        await settle(app, pilot)
        assert "quote is not closed" in str(app.screen.query_one("#summary").render())


async def test_words_table_chart_and_kwic(tui_project):
    with open_project(tui_project) as project:
        expected = [r.word for r in word_counts(project, top=10)]
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        assert isinstance(app.screen, WordsScreen)
        await settle(app, pilot)
        assert [r["word"] for r in app.screen.rows[:10]] == expected
        chart = str(app.screen.query_one("#chart", Static).render())
        assert expected[0] in chart and "█" in chart
        index = expected.index("土地流转")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        with open_project(tui_project) as project:
            places = [r["start"] for r in kwic(project, "土地流转")]
        assert [line["start"] for line in app.screen.lines] == places
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(Reader).selected_span == (places[0], places[0] + 4)


async def test_review_queue_accepts_rejects_and_widens_by_one_key(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        assert isinstance(app.screen, SuggestionsScreen)
        await settle(app, pilot)  # none stored yet: it suggests for the open source
        rows = list(app.screen.rows)
        assert len(rows) >= 3
        await pilot.press("a")
        await pilot.press("r")
        await pilot.press("w")
        await pilot.pause()
        assert app.screen._current()["id"] == rows[2]["id"]  # the cursor stays on what was widened
        await pilot.press("escape")
        await pilot.pause()
    with open_project(tui_project) as project:
        decided = {r["id"]: r for r in suggestions.list_all(project, status=None)}
        assert decided[rows[0]["id"]]["status"] == "accepted"
        assert decided[rows[1]["id"]]["status"] == "rejected"
        assert decided[rows[2]["id"]]["unit"] != rows[2]["unit"]
        (coding,) = codings.query(project)
        assert (coding["start"], coding["end"], coding["coder"]) == (rows[0]["start"], rows[0]["end"], "coder1")


async def test_search_scope_narrows_and_a_bad_scope_is_named(tui_project):
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"土地流转", "tab", *"kind=observation", "enter")
        await settle(app, pilot)
        assert app.screen.hits == [] and "0 hits in 0 sources" in str(app.screen.query_one("#summary").render())
        app.screen.query_one("#scope").value = "kind=interview"
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.screen.hits) == 2
        app.screen.query_one("#scope").value = "village=X"
        app.screen.query_one("#scope").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "is not name=value" in str(app.screen.query_one("#summary").render())


async def test_export_dialog_writes_a_word_chapter_in_a_worker(tui_project, tmp_path):
    import docx
    from textual.widgets import Input

    from fieldcase.store import cases, sources
    from fieldcase.tui.dialogs.export import ExportDialog

    with open_project(tui_project) as project:
        cases.add(project, "H")
        sources.link(project, 1, ["H"])
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#case", Input).value == "H"  # the open source's case
        app.screen.query_one("#folder", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        written = tmp_path / "out" / "tui-case-H.docx"
        assert written.exists() and "Wrote" in str(app.screen.query_one("#result").render())
        assert docx.Document(str(written)).paragraphs[0].text == "H"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


def test_a_cancelled_export_writes_nothing(tui_project, tmp_path):
    import threading

    from fieldcase.errors import CancelledError
    from fieldcase.reports.exporting import export

    stop = threading.Event()
    stop.set()
    with open_project(tui_project) as project, pytest.raises(CancelledError):
        export(project, "segments", "csv", tmp_path / "x.csv", cancel=stop)
    assert not [p for p in tmp_path.iterdir() if "x.csv" in p.name]


async def test_matrix_screen_counts_by_case_attribute_and_cooccurrence(tui_project):
    from fieldcase.analysis import tables
    from fieldcase.store import cases, sources
    from fieldcase.tui.screens.matrix import MatrixScreen

    with open_project(tui_project) as project:
        cases.add(project, "H", attrs={"gender": "male"})
        sources.link(project, 1, ["H"])
        text = sources.find(project, 1)["text"]
        at = text.index("土地流转")
        codings.add(project, 1, "integration.land", at, at + 4)
        codings.add(project, 1, "integration.industry", at, at + 10)
        expected = {r["name"]: r["H"] for r in tables.matrix(project) if r["total"]}
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, MatrixScreen)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        rows = {table.get_row_at(i)[0].strip(): table.get_row_at(i) for i in range(table.row_count)}
        assert {k: int(v[1]) for k, v in rows.items() if v[2]} == expected  # codes by name, cases by name
        assert [str(c.label) for c in table.columns.values()] == ["code", "H", "total", "in_several"]
        assert rows["要素整合"][2] == "2"  # a parent counts its children's codings
        land = next(i for i in range(table.row_count) if table.get_row_at(i)[0] == "  土地要素")  # under its parent
        table.move_cursor(row=land, column=1)
        await pilot.press("enter")  # the count opens on its segments, and one of them in the reader
        await settle(app, pilot)
        from fieldcase.tui.screens.retrieval import RetrievalScreen

        assert isinstance(app.screen, RetrievalScreen) and len(app.screen.rows) == expected["土地要素"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.query_one(Reader).selected_text == "土地流转"
        await pilot.press("f10")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("a", *"gender", "enter")
        await settle(app, pilot)
        assert "male" in [str(c.label) for c in table.columns.values()]
        await pilot.press("o")
        await settle(app, pilot)
        assert table.row_count == 2  # land and industry overlap
        assert [str(c.label) for c in table.columns.values()] == ["code", "土地要素", "产业链接"]


async def test_the_matrix_in_the_workspace_shows_the_cases_as_stored(tui_project):
    from fieldcase.store import cases, pseudonyms, sources
    from fieldcase.tui.screens.matrix import MatrixScreen

    with open_project(tui_project) as project:
        cases.add(project, "H")
        sources.link(project, 1, ["H"])
        text = sources.find(project, 1)["text"]
        codings.add(project, 1, "integration.land", text.index("土地流转"), text.index("土地流转") + 4)
        pseudonyms.add(project, "H", "甲")  # for exports: the workspace shows H, as its other panes do
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, MatrixScreen)
        await settle(app, pilot)
        labels = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert "H" in labels and "甲" not in labels
