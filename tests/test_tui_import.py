"""The import dialog names each document of a folder it cannot read, and counts it."""

from __future__ import annotations

from conftest import write
from tui_helpers import import_in_dialog, log_text

from fieldcase.tui.app import FieldcaseApp


async def test_the_import_dialog_lists_an_old_doc_and_counts_it_as_not_imported(tui_project, tmp_path):
    folder = tmp_path / "batch"
    write(folder / "a.txt", "访谈者：第一次？\nH：是的。\n")
    write(folder / "王阿姨.doc", "\xd0\xcf")
    write(folder / ".DS_Store", "Finder")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        shown = log_text(await import_in_dialog(app, pilot, str(folder)))
        assert "not imported" in shown and "王阿姨.doc: old Word .doc format: save it as .docx or .txt" in shown
        assert ".DS_Store" not in shown
        assert "1 imported, 1 not imported (a format fieldcase cannot read)" in shown
