"""A kept or open edit never silently replaces a text that someone changed after the edit
began: continuing or saving it says who changed it and when, and lets the user choose."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, TextArea

from conftest import INTERVIEW_TEXT
from fieldcase.store import codings, drafts, history, sources
from fieldcase.store.project import open_project
from fieldcase.store.texts import StaleTextError, changed_since, replace_text
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.stale_edit import StaleEditDialog
from fieldcase.tui.screens.edit_source import EditSourceScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen
from tui_helpers import screen_text, wait_until

TEXT = INTERVIEW_TEXT.rstrip()
ZHAO = TEXT.replace("2012年。", "2012年腊月。")  # zhao's correction, made from the command line


def zhao_corrects(path) -> None:
    """What ``fieldcase source edit 1 --from-file fixed.txt --user zhao`` does, from another connection."""
    with open_project(path, user="zhao") as other:
        replace_text(other, 1, ZHAO)


async def keep_an_edit(pilot, app, typed: str) -> None:
    """e, type at the end of the text, Esc: the edit is kept as a draft."""
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditSourceScreen)
    area = app.screen.query_one(TextArea)
    area.move_cursor(area.document.end)
    await pilot.press(*typed)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)


async def the_question(pilot, app, path) -> None:
    """The repro: an edit kept, zhao's correction from the command line, then e again."""
    await pilot.pause()
    await keep_an_edit(pilot, app, "END")
    zhao_corrects(path)
    await pilot.press("e")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, StaleEditDialog)


async def test_continuing_an_old_edit_says_who_changed_the_text_and_can_start_from_it(tui_project):
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await the_question(pilot, app, tui_project)
        shown = screen_text(app)
        assert "was changed after your edit of it began: by zhao on" in shown
        assert "What changed: “2012年。那时候” → “2012年腊月。那时候”" in app.screen.query_one("#changed").render().plain
        await pilot.press("enter")  # the first choice: start from the current text
        await pilot.pause()
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditSourceScreen)
        assert editor.text() == ZHAO
        kept = next(tui_project.parent.glob("tui-kept-edits/source-1-*.txt"))
        assert kept.read_text("utf-8") == TEXT + "END"  # the old edit, to copy from
        assert (kept.stat().st_mode & 0o777, kept.parent.stat().st_mode & 0o777) == (0o600, 0o700)  # only its owner reads it
        assert str(kept) in screen_text(app).replace("\n", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))  # the text is stored in a worker
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert sources.get(project, 1)["text"] == ZHAO  # zhao's correction stands
        assert drafts.list_all(project) == []


async def test_continuing_it_knowingly_replaces_the_newer_text_as_an_undoable_edit(tui_project):
    with open_project(tui_project, user="fieldworker") as project:
        start, end = codings.locate_quote(TEXT, "办了合作社")
        coding, _ = codings.add(project, 1, "integration.land", start, end)
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await the_question(pilot, app, tui_project)
        await pilot.press("down", "enter")  # continue my edit
        await pilot.pause()
        assert isinstance(app.screen, EditSourceScreen) and app.screen.text() == TEXT + "END"
        await pilot.press("ctrl+s")  # asked once already: saved without asking again
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))  # the text is stored in a worker
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project, user="fieldworker") as project:
        assert sources.get(project, 1)["text"] == TEXT + "END"
        assert codings.get(project, coding["id"])["text"] == "办了合作社"  # re-anchored through the diff
        assert drafts.list_all(project) == []
        history.undo(project)  # the fieldworker's own edit, undone
        assert sources.get(project, 1)["text"] == ZHAO


async def test_escape_on_the_question_leaves_the_kept_edit_as_it_was(tui_project):
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await the_question(pilot, app, tui_project)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert sources.get(project, 1)["text"] == ZHAO
        (kept,) = drafts.list_all(project)
        assert kept["text"] == TEXT + "END"


async def test_a_change_while_the_editor_is_open_is_shown_and_saving_asks(tui_project):
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        area = editor.query_one(TextArea)
        area.move_cursor(area.document.end)
        await pilot.press(*"END")
        zhao_corrects(tui_project)
        await pilot.pause(1.2)  # the data_version watch looks twice a second
        assert "Changed meanwhile by zhao on" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StaleEditDialog)
        assert "Save my edit over it" in screen_text(app)
        await pilot.press("escape")  # back to editing; nothing written
        await pilot.pause()
        assert app.screen is editor and editor.text() == TEXT + "END"
        with open_project(tui_project) as project:
            assert sources.get(project, 1)["text"] == ZHAO
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 1
        await pilot.press("enter")  # save mine over it
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))  # the text is stored in a worker
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert sources.get(project, 1)["text"] == TEXT + "END"


def test_an_edit_checked_against_its_starting_text_is_refused_once_that_changed(project, tmp_path):
    from conftest import write
    from fieldcase.importers import import_paths

    (result,) = import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)])
    base = sources.get(project, result.id)["text_sha256"]
    assert changed_since(project, result.id, base, "") is None
    replace_text(project, result.id, ZHAO)
    changes = changed_since(project, result.id, base, "")
    assert [c["user"] for c in changes] == ["tester"]
    with pytest.raises(StaleTextError, match="its text changed since the edit began"):
        replace_text(project, result.id, TEXT + "END", expected=base)
    assert sources.get(project, result.id)["text"] == ZHAO
    history.undo(project)  # the text is back where the edit began: nothing stands in its way
    assert changed_since(project, result.id, base, "") is None
    replace_text(project, result.id, TEXT + "END", expected=base)


@pytest.mark.parametrize("how", ["delete", "purge"])
async def test_an_edit_of_a_source_someone_deleted_or_purged_closes_without_keeping_it(tui_project, how):
    """Another process deletes or purges the source under an open edit: the edit closes
    with a notice (no crash, no draft tied to a source that is gone, no text shown)."""
    from fieldcase.store import purge
    from fieldcase.store.source_purge import plan_source

    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.move_cursor(area.document.end)
        await pilot.press(*"MINE")
        app.screen.save_draft()
        with open_project(tui_project, user="zhao") as other:
            if how == "delete":
                sources.delete(other, 1)
            else:
                purge.run(other, lambda project: plan_source(project, 1), backup=False)
        for _ in range(40):  # the workspace looks for others' changes every half second or so
            await pilot.pause(0.05)
            if not isinstance(app.screen, EditSourceScreen):
                break
        await pilot.press(*"MORE")
        await pilot.pause()
        assert not isinstance(app.screen, EditSourceScreen)
        assert app.is_running
    with open_project(tui_project) as project:
        assert drafts.list_all(project) == []
