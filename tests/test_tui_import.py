"""The import dialog names each document of a folder it cannot read, and counts it; it backs
the project up before importing a folder."""

from __future__ import annotations

import sqlite3

from conftest import write
from tui_helpers import import_in_dialog

from fieldcase.store.backups import list_backups


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
