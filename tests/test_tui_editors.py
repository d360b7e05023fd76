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
