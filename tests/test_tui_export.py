"""The export dialog takes every option of fieldcase export; a bad value writes nothing."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from docx.shared import Cm
from textual.widgets import Input, Select

from conftest import INTERVIEW_TEXT
from fieldcase.store import cases, codings, sources
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.export import ExportDialog


def _prepare(path):
    """Case H linked to the interview; two codings under different codes."""
    with open_project(path, user="coder1") as project:
        cases.add(project, "H")
        sources.link(project, 1, ["H"])
        codings.add(project, 1, "integration.land", *codings.locate_quote(INTERVIEW_TEXT, "先搞土地流转"))
        codings.add(project, 1, "talent.motive.push", *codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做"))


async def _dialog(app, pilot, folder):
    await pilot.pause()
    await pilot.press("ctrl+r")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#folder", Input).value = str(folder)
    return dialog


def _result(dialog) -> str:
    return str(dialog.query_one("#result").render())


async def _run(app, pilot):
    await pilot.press("ctrl+s")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_bad_path_or_value_is_named_and_nothing_is_written(tui_project, tmp_path):
    _prepare(tui_project)
    out = tmp_path / "out"
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(app, pilot, out)
        dialog.query_one("#reference", Input).value = str(tmp_path / "missing.docx")
        await _run(app, pilot)
        assert _result(dialog) == f"error: reference .docx {tmp_path / 'missing.docx'}: no such file"
        (tmp_path / "notes.txt").write_text("x")
        dialog.query_one("#reference", Input).value = str(tmp_path / "notes.txt")
        await _run(app, pilot)
        assert "not a .docx file" in _result(dialog)
        dialog.query_one("#reference", Input).value = ""
        dialog.query_one("#case", Input).value = "Nobody"
        await _run(app, pilot)
        assert _result(dialog).startswith("error:") and "Nobody" in _result(dialog)
        dialog.query_one("#what", Select).value = "matrix"
        await pilot.pause()
        dialog.query_one("#by", Input).value = "village"
        await _run(app, pilot)
        assert "matrix columns 'village'" in _result(dialog)
        assert "\n" not in _result(dialog)
        dialog.query_one("#folder", Input).value = " "
        await _run(app, pilot)
        assert _result(dialog) == "error: folder: give the folder to write into"
    assert not out.exists()


async def test_title_fonts_and_file_name_reach_the_word_chapter(tui_project, tmp_path):
    _prepare(tui_project)
    reference = tmp_path / "journal.docx"
    document = docx.Document()
    document.sections[0].page_width = Cm(17)
    document.save(str(reference))
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(app, pilot, tmp_path / "out")
        assert dialog.query_one("#case", Input).value == "H"
        dialog.query_one("#title", Input).value = "新乡村人才H"
        dialog.query_one("#body-font", Input).value = "KaiTi"
        dialog.query_one("#name", Input).value = "chapter-one"
        await _run(app, pilot)
        written = tmp_path / "out" / "chapter-one.docx"
        assert _result(dialog) == f"Wrote {written}"
        chapter = docx.Document(str(written))
        assert chapter.paragraphs[0].text == "新乡村人才H"
        assert chapter.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "KaiTi"
        dialog.query_one("#reference", Input).value = str(reference)
        dialog.query_one("#name", Input).value = "chapter-two.docx"
        await _run(app, pilot)
        width = docx.Document(str(reference)).sections[0].page_width
        assert docx.Document(str(tmp_path / "out" / "chapter-two.docx")).sections[0].page_width == width


async def test_a_summary_of_picked_codes_and_one_kind(tui_project, tmp_path):
    _prepare(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        dialog = await _dialog(app, pilot, tmp_path)
        dialog.query_one("#what", Select).value = "summary"
        dialog.query_one("#case", Input).value = ""
        await pilot.pause()
        assert dialog.query_one("#title").disabled and not dialog.query_one("#codes").disabled
        dialog.query_one("#codes").focus()
        await pilot.press("enter", *"land", "enter")  # picked as in the code picker
        await pilot.pause()
        assert dialog.query_one("#codes").keys == ["integration.land"]
        dialog.query_one("#name", Input).value = "land.md"
        await _run(app, pilot)
        text = (tmp_path / "land.md").read_text("utf-8")
        assert "先搞土地流转" in text and "杭州的生意不好做" not in text
        dialog.query_one("#kind", Select).value = "observation"
        dialog.query_one("#name", Input).value = "notes.md"
        await _run(app, pilot)
        assert "先搞土地流转" not in (tmp_path / "notes.md").read_text("utf-8")


async def test_the_dialog_checks_for_real_names_before_writing(tui_project, tmp_path):
    from textual.widgets import Checkbox

    from fieldcase.reports.templating import user_templates_dir
    from fieldcase.store import pseudonyms

    _prepare(tui_project)
    with open_project(tui_project, user="coder1") as project:
        pseudonyms.add(project, "H", "甲")
    # a template of the user's that prints a real name as it is
    user_templates_dir().mkdir(parents=True, exist_ok=True)
    (user_templates_dir() / "summary.md.j2").write_text("# {{ project.name }}\n访谈对象：H先生\n", "utf-8")
    out = tmp_path / "out"
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _dialog(app, pilot, out)
        dialog.query_one("#what", Select).value = "summary"
        await pilot.pause()
        assert dialog.query_one("#check", Checkbox).value  # on unless asked otherwise
        await _run(app, pilot)
        assert "not written: a listed real name is still in 1 place" in _result(dialog)
        assert not out.exists() or not list(out.iterdir())
        dialog.query_one("#real", Checkbox).value = True  # real names kept on purpose: no check
        await pilot.pause()
        assert dialog.query_one("#check", Checkbox).disabled
        assert "Real names will be written" in _result(dialog)  # and the dialog says so
        await _run(app, pilot)
        assert _result(dialog).startswith("Wrote ")


async def test_the_dialog_opens_on_its_first_field_for_the_keyboard(tui_project, tmp_path):
    _prepare(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _dialog(app, pilot, tmp_path)
        assert app.focused is dialog.query_one("#what", Select)  # not the box the fields scroll in
        before = dialog.query_one("#what", Select).value
        await pilot.press("enter", "down", "enter")  # chosen at once, no click or Tab first
        await pilot.pause()
        assert dialog.query_one("#what", Select).value != before
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#format", Select)
        await pilot.press("shift+tab", "shift+tab")  # back past the first field: to the last, no stop between
        assert app.focused is dialog.query_one("#name")


async def test_the_dialog_warns_of_a_pinyin_name_no_one_listed(tui_project, tmp_path):
    _prepare(tui_project)
    with open_project(tui_project, user="coder1") as project:
        cases.update(project, "H", {"notes": "Her brother Wei Gang stayed in Hangzhou."})
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(app, pilot, tmp_path / "out")
        dialog.query_one("#format", Select).value = "md"
        await _run(app, pilot)
        assert _result(dialog).startswith("Wrote ")
        notes = [str(n.message) for n in app._notifications]
        assert any("not listed for pseudonyms" in n and "Wei Gang (" in n for n in notes), notes
