"""Editors people type in: a resumed draft or kept edit opens at its end; memos span lines."""

from __future__ import annotations

from textual.widgets import TextArea

from fieldcase.store import drafts
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.edit_source import EditSourceScreen
from fieldcase.tui.screens.new_source import NewSourceScreen

LONG = "".join(f"第{i}段：今天在竹编车间，十二个人在编宠物窝，订单来自杭州。\n" for i in range(80)) + "最后一句还没写完"


async def test_a_resumed_draft_opens_at_its_end_scrolled_there(tui_project):
    with open_project(tui_project, user="fieldworker") as project:
        drafts.save(project, None, LONG, {"title": "Evening notes"})
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen)
        area = app.screen.query_one("#text", TextArea)
        assert area.has_focus
        assert area.cursor_location == area.document.end
        assert area.scroll_offset.y > 0
        assert area.cursor_screen_offset in area.region  # the cursor is on screen
        await pilot.press(*" more")
        assert app.screen.text().endswith("最后一句还没写完 more")


async def test_a_kept_edit_opens_at_its_end(tui_project):
    with open_project(tui_project, user="coder1") as project:
        drafts.save(project, None, LONG, {"title": "h"}, source_id=1)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EditSourceScreen)
        area = app.screen.query_one(TextArea)
        assert area.text == LONG
        assert area.cursor_location == area.document.end and area.scroll_offset.y > 0
        assert area.cursor_screen_offset in area.region


def _code_answer(project_path):
    """Code H's first answer (turn 2) with integration.land; returns the coding's id."""
    from conftest import INTERVIEW_TEXT
    from fieldcase.store import codings

    start = INTERVIEW_TEXT.index("2012年")
    with open_project(project_path, user="coder1") as project:
        row, _ = codings.add(project, 1, "integration.land", start, INTERVIEW_TEXT.index("\n", start))
        codings.set_memo(project, row["id"], "first line\n\nthird line")
    return row["id"]


async def test_a_memo_is_written_over_several_lines_and_kept_intact(tui_project):
    from fieldcase.store import codings
    from fieldcase.tui.dialogs.memo_editor import MemoEditor
    from tui_helpers import screen_text

    coding_id = _code_answer(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")  # into the coded answer
        await pilot.pause()
        lines = screen_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if "first line" in line)
        assert "third line" in lines[at + 2] and "third line" not in lines[at]  # its line breaks show
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        area = app.screen.query_one(TextArea)
        assert area.text == "first line\n\nthird line" and area.has_focus
        await pilot.press("enter", *"fourth", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, MemoEditor)
    with open_project(tui_project) as project:
        assert codings.get(project, coding_id)["memo"] == "first line\n\nthird line\nfourth"


async def test_escape_asks_before_dropping_a_changed_memo(tui_project):
    from fieldcase.store import codings
    from fieldcase.tui.dialogs.confirm import ConfirmDialog
    from fieldcase.tui.dialogs.memo_editor import MemoEditor
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    coding_id = _code_answer(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "m")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: it closes at once
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("m", *" edited", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        assert app.screen.query_one(TextArea).text.endswith("third line edited")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert codings.get(project, coding_id)["memo"] == "first line\n\nthird line"


async def test_a_burst_of_words_then_tab_then_more_words_fill_the_fields_in_order(tui_project):
    """An input method commits a phrase at once; Tab right after it, then the next phrase:
    each phrase goes to its own field (the Tab used to reach the app after the next keys)."""
    from textual import events
    from textual.widgets import Input

    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen)
        form = app.screen
        form.query_one("#title", Input).focus()
        await pilot.pause()
        burst = [*"王会计访谈", "tab", *"夏木村", "shift+tab", "shift+tab"]
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else ("\t" if key == "tab" else None)))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#title", Input).value == "王会计访谈"
        assert form.query_one("#site", Input).value == "夏木村"
