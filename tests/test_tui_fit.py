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


def coded_sample(sample) -> None:
    """The sample with every fifth suggestion accepted: codings across many cases."""
    from fieldcase.store import suggestions
    from fieldcase.store.project import open_project
    from fieldcase.analysis.suggest import suggest

    with open_project(sample, user="tester") as project:
        suggest(project)
        for row in suggestions.list_all(project)[::5]:
            suggestions.accept(project, row["id"])


async def open_matrix(app, pilot):
    from fieldcase.tui.screens.matrix import MatrixScreen

    await pilot.pause()
    await pilot.press("f10")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, MatrixScreen)


async def test_the_matrix_keeps_its_code_column_and_explains_itself_at_80_columns(sample):
    coded_sample(sample)
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await open_matrix(app, pilot)
        lines = screen_text(app).splitlines()
        said = " ".join(line.strip("│█▌ ╭╮╰╯─▼└├") for line in lines[2:5])
        assert "a code counts its sub-codes' codings too; in_several: codings counted in more than one column" in said
        assert "Enter segments · k cases · s sites · a attribute · o overlap · t same turn" in lines[4]
        await pilot.press(*["right"] * 12)  # far to the right: total and in_several
        await pilot.pause()
        text = screen_text(app)
        assert "in_several" in text and "人才回流" in text  # the code names stay


async def test_the_matrix_explanation_fits_140_columns_and_fits_each_view(sample):
    coded_sample(sample)
    app = FieldcaseApp(sample, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_matrix(app, pilot)
        text = screen_text(app)
        assert "k cases · s sites · a attribute · o overlap · t same turn" in text
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert summary.startswith("codes meeting in overlapping codings: ") and "sub-codes" not in summary


async def test_a_long_import_report_is_never_hidden_under_its_scrollbar(tui_project, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        (folder / f"旧访谈{i}.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = [line.strip("█ ").strip("│").strip() for line in screen_text(app).splitlines()]
        text = " ".join(lines)
        assert "a format fieldcase cannot read" in text
        # every advice line reads whole: none loses words under the scrollbar
        assert text.count("save it as .docx or .txt") == text.count(".doc: old Word .doc format") > 0
