"""Faults found by a fieldworker's QA of working as a team (merge, conflicts, undo)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import INTERVIEW_TEXT
from test_merge import copies  # noqa: F401  (the fixture: two copies of one project)
from fieldcase.cli import cli
from fieldcase.exchange.merge import merge
from fieldcase.store import codings, drafts, history, sources
from fieldcase.store.project import init_project, open_project

EDIT = "【补记：他说话时很激动】" + INTERVIEW_TEXT


@pytest.fixture
def pair(copies):  # noqa: F811
    """zhao's and a colleague's (li: qian in ``copies``) copies of a project holding one
    coded interview."""
    zhao, li = copies
    return zhao, li, sources.all_ids(zhao)[0]


def _keep_an_edit(project, source: int) -> int:
    base = sources.get(project, source)["text_sha256"]
    return drafts.save(project, None, EDIT, {drafts.BASE: base}, source_id=source)


def test_a_kept_edit_of_a_source_a_merge_deletes_is_written_out_and_undo_brings_it_back(pair):
    zhao, li, source = pair
    draft = _keep_an_edit(zhao, source)
    sources.delete(li, source)
    li.close()
    dry = merge(zhao, li.path, dry_run=True)
    assert dry.kept_notes() == ["your kept edit of 刘霞访谈 would be set aside: the source is deleted there"]
    assert not drafts.kept_folder(zhao).exists()
    report = merge(zhao, li.path)
    assert report.deleted.get("sources") == 1
    kept = drafts.kept_files(zhao, source)
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == EDIT
    assert (kept[0].stat().st_mode & 0o777) == 0o600
    assert report.kept_edits == [str(kept[0])] and str(kept[0]) in report.kept_notes()[0]
    history.undo(zhao)
    assert sources.get(zhao, source)["title"] == "刘霞访谈"
    assert drafts.get(zhao, draft)["text"] == EDIT  # the draft itself is back with its source
    assert kept[0].exists()


def test_merge_on_the_command_line_names_the_kept_edit(pair):
    zhao, li, source = pair
    _keep_an_edit(zhao, source)
    sources.delete(li, source)
    li.close()
    zhao.close()
    done = CliRunner().invoke(cli, ["merge", str(li.path), "-p", str(zhao.path), "--user", "zhao"])
    assert done.exit_code == 0, done.output
    assert "your kept edit of a source deleted there is kept in" in done.output
    assert "a-kept-edits" in done.output


def test_conflicts_resolve_and_its_help_write_nothing_outside_the_project_named(pair, tmp_path):
    from fieldcase.config import default_project_path

    zhao, li, source = pair
    sources.update(zhao, source, {"title": "刘霞访谈（一）"})
    sources.update(li, source, {"title": "刘霞访谈（二）"})
    li.close()
    merge(zhao, li.path)
    conflict = zhao.query("SELECT id FROM conflicts")[0]["id"]
    zhao.close()
    assert not default_project_path().exists()
    helped = CliRunner().invoke(cli, ["conflicts", "resolve", "--help"])
    assert helped.exit_code == 0 and "--keep" in helped.output
    done = CliRunner().invoke(cli, ["conflicts", "resolve", str(conflict), "--keep", "theirs", "-p", str(zhao.path)])
    assert done.exit_code == 0, done.output
    assert not default_project_path().exists()
    with open_project(zhao.path, user="zhao") as again:
        assert sources.get(again, source)["title"] == "刘霞访谈（二）"


def test_a_text_edit_brought_by_a_merge_is_named_as_the_colleagues(pair):
    from fieldcase.store.texts import replace_text

    zhao, li, source = pair
    draft = _keep_an_edit(zhao, source)
    replace_text(li, source, INTERVIEW_TEXT.replace("土地流转", "土地流转（承包）", 1))
    li_at = history.history(li, 1)[0]["at"]
    li.close()
    merge(zhao, li.path)
    changes = drafts.changed_under(zhao, drafts.get(zhao, draft))
    assert [(c["user"], c["at"]) for c in changes] == [("qian", li_at)]
    newest = history.history(zhao, 1)[0]
    assert (newest["user"], newest["authors"]) == ("zhao", ["qian"])
    shown = CliRunner().invoke(cli, ["history", "-p", str(zhao.path), "--json"])
    assert shown.exit_code == 0 and '"authors": [\n      "qian"\n    ]' in shown.output.replace("\r", "")


async def test_the_stale_edit_box_and_f7_name_the_colleague_whose_edit_came_by_merge(tui_project, tmp_path):
    from test_tui_stale_edit import ZHAO, keep_an_edit

    from fieldcase.store.texts import replace_text
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.dialogs.stale_edit import StaleEditDialog
    from fieldcase.tui.screens.history import HistoryScreen
    from textual.widgets import DataTable
    from tui_helpers import screen_text

    copy = tmp_path / "li.fieldcase"
    shutil.copyfile(tui_project, copy)
    with open_project(copy, user="li") as li:
        replace_text(li, 1, ZHAO)
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await keep_an_edit(pilot, app, "END")
        with open_project(tui_project, user="fieldworker") as me:
            merge(me, copy)
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StaleEditDialog)
        assert "was changed after your edit of it began: by li on" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "li via you"


def test_conflicts_in_the_terminal_name_the_interview_and_the_words_that_differ(pair):
    import json

    from fieldcase.store.texts import replace_text

    zhao, li, source = pair
    replace_text(zhao, source, INTERVIEW_TEXT.replace("土地流转", "土地流转甲", 1))
    replace_text(li, source, INTERVIEW_TEXT.replace("土地流转", "土地流转乙", 1))
    li.close()
    merge(zhao, li.path)
    zhao.close()
    listed = CliRunner().invoke(cli, ["conflicts", "-p", str(zhao.path)])
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if "text" in x and "刘霞访谈" in x)
    assert "土地流转甲" in line and "土地流转乙" in line
    assert not any(len(w) == 64 and all(c in "0123456789abcdef" for c in w) for w in line.split())
    as_json = json.loads(CliRunner().invoke(cli, ["conflicts", "-p", str(zhao.path), "--json"]).output)
    assert as_json[0]["about"] == "source 刘霞访谈"
    assert "土地流转甲" in as_json[0]["differs"][0]["mine"] and "土地流转乙" in as_json[0]["differs"][0]["theirs"]
    versions = json.loads(CliRunner().invoke(cli, ["source", "versions", str(source), "-p", str(zhao.path),
                                                   "--json"]).output)
    texts = {v["text"].rstrip() for v in versions}
    assert {INTERVIEW_TEXT.rstrip(), INTERVIEW_TEXT.replace("土地流转", "土地流转乙", 1).rstrip()} <= texts


def test_a_delete_conflict_names_the_row_it_is_about(pair):
    zhao, li, source = pair
    sources.update(zhao, source, {"title": "刘霞访谈（补）"})
    sources.delete(li, source)
    li.close()
    merge(zhao, li.path)
    zhao.close()
    listed = CliRunner().invoke(cli, ["conflicts", "-p", str(zhao.path)])
    assert listed.exit_code == 0, listed.output
    assert any("source 刘霞访谈（补）" in x and "deleted" in x for x in listed.output.splitlines()), listed.output


TALK = "问：您好。\n李嫂：好。\n问：说说吧。\n李嫂：好的。\n"
VILLAGE = "问：您好。\n张大伯：我先说。\n村支书：我补充。\n问：请讲。\n张大伯：好的。\n"


def _imported(project_path: Path, tmp_path: Path, name: str, text: str) -> int:
    from fieldcase.importers import import_paths

    file = tmp_path / f"{name}.txt"
    file.write_text(text, encoding="utf-8")
    with open_project(project_path, user="zhao") as project:
        (result,) = import_paths(project, [file])
        return int(result.id)


def test_source_link_says_which_speaker_it_linked_to_the_case(tmp_path):
    from fieldcase.store import cases, speakers

    path = tmp_path / "fw.fieldcase"
    with init_project(path, user="zhao") as project:
        cases.add(project, "刘霞")
    source = _imported(path, tmp_path, "talk", TALK)
    done = CliRunner().invoke(cli, ["source", "link", str(source), "刘霞", "-p", str(path)])
    assert done.exit_code == 0, done.output
    assert "Source" in done.output and "speaker 李嫂 → 刘霞" in done.output
    with open_project(path) as project:
        assert speakers.find(project, source, "李嫂")["case_name"] == "刘霞"


def test_a_case_added_after_the_import_links_the_speakers_it_names(tmp_path):
    from fieldcase.store import speakers

    path = tmp_path / "fw.fieldcase"
    init_project(path, user="zhao").close()
    source = _imported(path, tmp_path, "village", VILLAGE)
    with open_project(path) as project:
        assert speakers.find(project, source, "张大伯")["case_id"] is None
    household = CliRunner().invoke(cli, ["case", "add", "张大伯 household", "-p", str(path), "--user", "zhao"])
    assert household.exit_code == 0 and "speaker 张大伯 → 张大伯 household" in household.output, household.output
    committee = CliRunner().invoke(cli, ["case", "add", "夏木村村委", "--alias", "村支书", "-p", str(path), "--user", "zhao"])
    assert committee.exit_code == 0 and "speaker 村支书 → 夏木村村委" in committee.output, committee.output
    with open_project(path, user="zhao") as project:
        assert speakers.find(project, source, "张大伯")["case_name"] == "张大伯 household"
        assert speakers.find(project, source, "村支书")["case_name"] == "夏木村村委"
        assert sorted(sources.get(project, source, with_text=False)["cases"]) == ["夏木村村委", "张大伯 household"]
        history.undo(project)  # the case and its links go together
        assert speakers.find(project, source, "村支书")["case_id"] is None


async def test_the_import_dialog_has_the_encoding_field_its_message_names(tui_project, tmp_path):
    import random

    from tui_helpers import import_in_dialog

    r = random.Random(7)
    odd = tmp_path / "odd.txt"
    odd.write_bytes(bytes(r.randrange(0xA1, 0xFF) for _ in range(40)))
    said = await import_in_dialog(tui_project, str(odd))
    assert "--encoding" not in said and "name its encoding in the encoding field above" in said, said
    said = await import_in_dialog(tui_project, str(odd), encoding="latin-1")
    assert "imported" in said and "iso8859-1" in said, said


async def test_esc_in_a_site_form_with_typed_changes_asks_before_dropping_them(tui_project):
    from test_tui_sites_cases import open_f5, with_cases
    from textual.widgets import DataTable

    from fieldcase.store import sites
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.dialogs.confirm import ConfirmDialog
    from fieldcase.tui.dialogs.form import FormDialog
    from fieldcase.tui.screens.sites_cases import SitesCasesScreen

    with_cases(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_f5(app, pilot)
        app.screen.query_one("#sites", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        app.screen.query_one("#sites", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#county").focus()
        await pilot.press(*"Lin'an")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        assert app.screen is form and form.query_one("#county").value == "Lin'an"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
    with open_project(tui_project) as project:
        assert sites.get(project, "X village")["county"] == "Lin'an"


async def test_starting_from_the_current_text_says_once_where_the_edit_is_kept_in_full(tui_project):
    from test_tui_stale_edit import the_question
    from tui_helpers import screen_text

    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.edit_source import EditSourceScreen

    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(80, 24)) as pilot:
        await the_question(pilot, app, tui_project)
        await pilot.press("enter")  # start from the current text
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EditSourceScreen)
        kept = next(tui_project.parent.glob("tui-kept-edits/source-1-*.txt"))
        shown = screen_text(app)
        assert shown.count("Your edit is kept in") == 1, shown
        status = app.screen.query_one("#status")
        said = "".join(line.text.strip() for line in status.render_lines(status.region.reset_offset))
        assert str(kept) in said, said


def test_settling_a_delete_conflict_by_deleting_the_source_keeps_its_kept_edit(pair):
    zhao, li, source = pair
    draft = _keep_an_edit(zhao, source)
    sources.update(zhao, source, {"title": "刘霞访谈（补）"})
    sources.delete(li, source)
    li.close()
    merge(zhao, li.path)
    conflict = next(r["id"] for r in zhao.query("SELECT id, what FROM conflicts") if r["what"] == "delete")
    assert drafts.get(zhao, draft)["text"] == EDIT  # the merge kept the source, and the edit with it
    zhao.close()
    done = CliRunner().invoke(cli, ["conflicts", "resolve", str(conflict), "--keep", "theirs", "-p", str(zhao.path),
                                    "--user", "zhao"])
    assert done.exit_code == 0, done.output
    assert "your kept edit of the source it deleted is kept in" in done.output
    with open_project(zhao.path, user="zhao") as again:
        assert sources.all_ids(again) == []
        kept = drafts.kept_files(again, source)
        assert [k.read_text(encoding="utf-8") for k in kept] == [EDIT] and str(kept[0]) in done.output
        history.undo(again)
        assert drafts.get(again, draft)["text"] == EDIT
