"""REFI-QDA from the workspace: Q opens the dialog, an export runs in a worker with progress
and shows its report; a project exported and imported back into another comes out alike."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from qdpx_projects import NS, schema
from textual.widgets import Checkbox, Input, ProgressBar, RichLog, Select

from conftest import INTERVIEW_TEXT
from fieldcase.store import codings, pseudonyms
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.qdpx import QdpxDialog


def _log(dialog: QdpxDialog) -> str:
    return "\n".join(str(line.text) for line in dialog.query_one(RichLog).lines)


async def _open(app, pilot) -> QdpxDialog:
    await pilot.pause()
    await pilot.press("Q")
    await pilot.pause()
    assert isinstance(app.screen, QdpxDialog)
    return app.screen


async def _handed_to_q(app, pilot) -> QdpxDialog:
    """Enter in the import dialog (ctrl+o): the REFI-QDA dialog it opens, its import done."""
    await pilot.press("enter")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, QdpxDialog)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return dialog


async def _run(app, pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_for_nvivo_with_pseudonyms_shows_the_report(tui_project, tmp_path):
    with open_project(tui_project, user="coder1") as project:
        codings.add(project, 1, "integration.land", *codings.locate_quote(INTERVIEW_TEXT, "先搞土地流转"))
        pseudonyms.add(project, "杭州", "某市")
    out = tmp_path / "exports" / "study"
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot)
        dialog.query_one("#file", Input).value = str(out)
        dialog.query_one("#target", Select).value = "nvivo"
        names = dialog.query_one("#pseudonyms", Checkbox)
        assert names.value and str(names.label).startswith("on: pseudonyms")  # on unless turned off
        names.value = False
        await pilot.pause()
        assert str(names.label).startswith("OFF: the file will hold the real names")  # said in words, not colour
        names.value = True
        await pilot.pause()
        await _run(app, pilot)
        log = _log(dialog)
        assert "Written, with pseudonyms" in log and "codings: 1" in log and "sources: 1" in log, log
        bar = dialog.query_one(ProgressBar)
        assert bar.progress == bar.total == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QdpxDialog)
    written = out.with_name("study.qdpx")
    with zipfile.ZipFile(written) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = [archive.read(n).decode("utf-8-sig") for n in archive.namelist() if n.startswith("sources/")]
    assert schema().validate(root)
    assert "NVivo" in root.get("origin")
    assert texts and all("杭州" not in t and "\r\n" in t for t in texts)
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 1


async def test_a_bad_file_is_one_line_and_import_greys_out_the_export_fields(tui_project, tmp_path):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot)
        dialog.query_one("#file", Input).value = str(tmp_path / "no-such-folder" / "x.qdpx" / "deeper")
        (tmp_path / "no-such-folder").write_text("a file where a folder should be")
        await _run(app, pilot)
        assert "error:" in _log(dialog)
        dialog.query_one("#action", Select).value = "import"
        await pilot.pause()
        assert dialog.query_one("#target").disabled and dialog.query_one("#pseudonyms").disabled


async def test_import_brings_an_exported_project_into_another(tui_project, tmp_path):
    from fieldcase.reports.exporting import export_qdpx
    from fieldcase.store.project import init_project

    with open_project(tui_project, user="coder1") as project:
        codings.add(project, 1, "integration.land", *codings.locate_quote(INTERVIEW_TEXT, "先搞土地流转"))
        export_qdpx(project, tmp_path / "in.qdpx")
    other = tmp_path / "other.fieldcase"
    init_project(other, user="coder2", framework="none").close()
    app = FieldcaseApp(other, user="coder2")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot)
        dialog.query_one("#action", Select).value = "import"
        dialog.query_one("#file", Input).value = str(tmp_path / "in.qdpx")
        await _run(app, pilot)
        assert "Imported " in _log(dialog) and "added: 38 codes, 1 source, 1 coding" in _log(dialog), _log(dialog)
        await pilot.press("escape")
        await pilot.pause()
    with open_project(other, user="coder2") as project:
        rows = project.query("SELECT quote, coder FROM codings")
        assert rows == [{"quote": "先搞土地流转", "coder": "coder1"}]


async def test_ctrl_o_hands_projects_to_this_dialog_which_imports_them(tui_project, tmp_path):
    """The import dialog (ctrl+o) given .qdpx files opens this dialog on them, which imports
    each at once and shows its report: one way a project comes in, one code path."""
    from fieldcase.tui.dialogs.import_files import ImportDialog

    samples = Path("/work/shared/refi/samples")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one("#paths", Input).value = (f"{samples / 'nvivo12' / 'oltas.qdpx'}; "
                                                       f"{samples / 'atlasti8_skyloom' / 'Project.qde'}")
        app.screen.query_one("#paths", Input).focus()
        dialog = await _handed_to_q(app, pilot)
        shown = _log(dialog)
        assert dialog.query_one("#action", Select).value == "import" and dialog.query_one("#target").disabled
        assert "added: 60 codes, 1 source, 97 codings" in shown and "graph 'Netzwerk'" in shown, shown
        assert shown.count("Imported ") == 2
    with open_project(tui_project) as project:
        imported = project.query("SELECT count(*) AS n FROM codings WHERE coder IN ('Gergo', 'floriansipos')")
        assert imported[0]["n"] == 97


async def test_ctrl_o_with_a_project_and_a_text_says_why_and_a_zip_project_goes_to_q(tui_project, tmp_path):
    """Fault 10: a .qdpx given with a .txt is not silently ignored (the log says why and what
    to do); a REFI-QDA project zipped as .zip (MAXQDA's) goes to the REFI-QDA dialog as a .qdpx does."""
    from fieldcase.reports.exporting import export_qdpx
    from fieldcase.tui.dialogs.import_files import ImportDialog

    with open_project(tui_project, user="coder1") as project:
        codings.add(project, 1, "integration.land", *codings.locate_quote(INTERVIEW_TEXT, "先搞土地流转"))
        export_qdpx(project, tmp_path / "mq.qdpx")
    zipped = (tmp_path / "mq.qdpx").rename(tmp_path / "mq.zip")
    text = tmp_path / "emoji.txt"
    text.write_text("访谈者：你好😀\n答：好。\n", encoding="utf-8")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        paths = app.screen.query_one("#paths", Input)
        paths.value = f"{zipped}; {text}"
        paths.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        said = "\n".join(str(line.text) for line in app.screen.query_one(RichLog).lines)
        assert "mq.zip" in said and "on its own" in said and str(text) in said, said
        paths.value = str(zipped)
        dialog = await _handed_to_q(app, pilot)
        assert "Imported " in _log(dialog) and "matched: " in _log(dialog), _log(dialog)


async def test_import_mode_hides_the_export_fields_and_the_intro_fits_80_columns(tui_project):
    """Fault 14: importing, the "for" target and the pseudonyms checkbox (export options) are
    not shown; at 80×24 the instruction line wraps rather than being cut."""
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open(app, pilot)
        intro = dialog.query_one("#intro")
        box = intro.parent.content_region
        assert intro.region.right <= box.right and intro.size.height >= 2
        assert dialog.query_one("#target").display and dialog.query_one("#pseudonyms").display
        dialog.query_one("#action", Select).value = "import"
        await pilot.pause()
        shown = [str(w.render()) for w in dialog.query("Grid > Label") if w.display]
        assert shown == ["do", "file"], shown
        assert not dialog.query_one("#target").display and not dialog.query_one("#pseudonyms").display
