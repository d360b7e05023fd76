"""The import dialog names each document of a folder it cannot read, and counts it; it backs
the project up before importing a folder."""

from __future__ import annotations

import sqlite3

from conftest import write
from fieldcase.store.backups import list_backups
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.import_files import ImportDialog


async def import_in_dialog(project_path, paths: str) -> str:
    """Open the workspace on ``project_path``, import ``paths`` in its dialog, and return
    what the dialog's log shows, its lines joined."""
    app = FieldcaseApp(project_path, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#paths").value = paths
        dialog.query_one("#paths").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return " ".join(" ".join(strip.text.split()) for strip in dialog.query_one("RichLog").lines)


async def test_the_import_dialog_lists_an_old_doc_and_counts_it_as_not_imported(tui_project, tmp_path):
    folder = tmp_path / "batch"
    write(folder / "a.txt", "访谈者：第一次？\nH：是的。\n")
    write(folder / "王阿姨.doc", "\xd0\xcf")
    write(folder / ".DS_Store", "Finder")
    shown = await import_in_dialog(tui_project, str(folder))
    assert "not imported" in shown and "王阿姨.doc: old Word .doc format: save it as .docx or .txt" in shown
    assert ".DS_Store" not in shown
    assert "1 imported, 1 not imported (a format fieldcase cannot read)" in shown


async def test_the_import_dialog_backs_up_before_a_folder(tui_project, tmp_path):
    write(tmp_path / "batch" / "a.txt", "访谈者：第一次？\nH：是的。\n")
    shown = await import_in_dialog(tui_project, str(tmp_path / "batch"))
    (made,) = list_backups(tui_project)
    assert f"Backed the project up first: {made.name}" in shown
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT title FROM sources").fetchall() == [("h",)]  # as it was before the import
    conn.close()
