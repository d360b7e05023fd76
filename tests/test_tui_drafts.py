"""Kept drafts: the start-up notice names each one and how to continue it; ctrl+n is for new
sources only."""

from __future__ import annotations

from fieldcase.store import drafts, sources
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.kept_drafts import notice
from fieldcase.tui.screens.new_source import NewSourceScreen


def keep_two(path) -> None:
    """A new-source draft and an edit draft of source 1, as a crash would leave them."""
    with open_project(path, user="fieldworker") as project:
        base = sources.get(project, 1)["text_sha256"]
        drafts.save(project, None, "今天下午在竹编车间", {"title": "竹编车间观察"})
        drafts.save(project, None, "改过的文字", {"title": "h", drafts.BASE: base}, source_id=1)


async def test_the_restart_notice_names_every_kept_draft_and_its_key(tui_project):
    keep_two(tui_project)
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        (shown,) = [n.message for n in app._notifications]
        assert "2 unfinished drafts were kept" in shown
        assert "new source “竹编车间观察” (9 characters): ctrl+n continues it" in shown
        assert "edit of “h” (source 1, 5 characters): open that source (F2) and press e" in shown


def test_one_kept_draft_is_named_in_one_sentence():
    kept = [{"source_id": None, "fields": {}, "text": "abc"}]
    assert notice(kept) == "An unfinished draft was kept: new source “untitled” (3 characters): ctrl+n continues it."
    assert notice([]) is None


async def test_ctrl_n_with_only_a_kept_edit_opens_a_new_source_not_the_edit(tui_project):
    with open_project(tui_project, user="fieldworker") as project:
        drafts.save(project, None, "改过的文字", {"title": "h"}, source_id=1)
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen) and app.screen.text() == ""


async def test_the_restart_notice_names_a_summary_draft_whose_code_was_deleted(tui_project):
    from fieldcase.store import cases, codes

    with open_project(tui_project, user="fieldworker") as project:
        case = cases.add(project, "H")
        code = codes.find(project, "talent.motive.push")
        drafts.save_cell(project, None, case["id"], code["id"], "城市病，没存", "")
        codes.delete(project, code["id"])
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        (shown,) = [n.message for n in app._notifications]
        assert f"summary of H × {code['name_zh']} (6 characters), whose code was deleted" in shown
        assert "fieldcase summary kept shows it; undoing the delete puts it back in its cell" in shown
