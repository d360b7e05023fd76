"""The details pane names where a source was recorded, as read from its place line."""

from __future__ import annotations

from conftest import write
from fieldcase.importers import import_paths
from fieldcase.store.project import init_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.widgets.details import DetailsPane
from tui_helpers import screen_text


async def test_the_details_pane_shows_the_place_read_from_the_first_lines(tmp_path):
    path = tmp_path / "p.fieldcase"
    with init_project(path, user="tester") as project:
        import_paths(project, [write(tmp_path / "w.txt", "王阿姨访谈\n地点：竹编车间\n问：您好。\n答：您好。\n")])
    app = FieldcaseApp(path, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(DetailsPane).display
        assert any("place" in line and "竹编车间" in line for line in screen_text(app).split("\n"))
