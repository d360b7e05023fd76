"""Dialogs and screens at 80x24: nothing wider or taller than the terminal, nothing cut."""

from __future__ import annotations

from textual.containers import Vertical
from textual.geometry import Region
from tui_helpers import screen_text

from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.import_files import ImportDialog
from fieldcase.tui.screens.help import HelpScreen

SMALL = (80, 24)


def fits(app) -> bool:
    """The dialog's box lies inside the terminal."""
    box = app.screen.query_one(Vertical).region
    return Region(0, 0, *SMALL).contains_region(box)


async def test_the_import_dialog_fits_and_shows_its_instructions_and_errors(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*"/nowhere/file.txt", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fits(app)
        text = screen_text(app)
        assert "Enter starts." in text  # the instructions wrap rather than run off the edge
        assert "/nowhere/file.txt: no such file or folder" in text
        assert "0 imported, 1 failed. Esc closes." in text


async def test_help_keeps_its_right_border(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert fits(app)
        assert 'apply-code = "k")' in screen_text(app)
