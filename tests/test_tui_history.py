"""The workspace with a colleague at work on the same file: my undo, their changes seen, the history."""

from __future__ import annotations

import subprocess
import sys

from conftest import INTERVIEW_TEXT
from fieldcase.store import codes, codings, history, pseudonyms
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.confirm_revert import ConfirmRevert
from fieldcase.tui.screens.history import HistoryScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.code_tree import CodeTree
from fieldcase.tui.widgets.reader import Reader


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def as_other(path):
    return open_project(path, user="other")


async def test_ctrl_z_undoes_my_coding_never_a_colleagues_pseudonym(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")
        await pilot.pause()
        with as_other(tui_project) as other:
            pseudonyms.add(other, "张三", "H")  # newer than my coding: the old workspace undid this
            codings.add(other, 1, "integration.land", 0, 3)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert messages(app)[-1] == "Undid: Coded 城市推力 in h"  # the code by name, the source by title
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert messages(app)[-1].startswith("nothing to undo: coder1 has no change in effect")
    with open_project(tui_project) as project:
        assert pseudonyms.mapping(project) == {"张三": "H"}
        assert [c["coder"] for c in codings.query(project)] == ["other"]


async def test_an_undo_that_would_take_a_colleagues_coding_is_refused_naming_it(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "w", "v")  # an in-vivo code of my own, named as offered
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        with as_other(tui_project) as other:
            key = codes.tree(other)[-1]["key"]
            codings.add(other, 1, key, 0, 3)
            theirs = history.history(other, 1)[0]["id"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        refused = messages(app)[-1]
        assert refused.startswith(f"cannot undo #{theirs - 1} (In-vivo code")
        assert f"other's change #{theirs} (Coded 2012 in h) depends on what it made" in refused
        assert refused.endswith(f"other can undo it, or you can revert it first (F7 history, r on #{theirs})")
    with open_project(tui_project) as project:
        assert sorted(c["coder"] for c in codings.query(project)) == ["coder1", "other"]


async def test_a_coding_made_by_another_process_shows_within_a_second(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        reloads = []
        original = screen.reload
        screen.reload = lambda: (reloads.append(1), original())[1]
        await pilot.press("n", "n", "t")  # a selection that must survive the refresh
        reader = screen.query_one(Reader)
        selected = reader.selected_span
        await pilot.pause(1.0)
        assert reloads == []  # nothing changed elsewhere: nothing read again
        start = INTERVIEW_TEXT.index("土地流转")
        subprocess.run([sys.executable, "-m", "fieldcase", "code", "1", "integration.land", "--start", str(start),
                        "--end", str(start + 4), "--user", "other", "-p", str(tui_project)], check=True,
                       capture_output=True)
        await pilot.pause(1.0)
        assert [(s["code_key"], s["coder"]) for s in screen.segments] == [("integration.land", "other")]
        assert reader.selected_span == selected
        tree_labels = [str(n.label) for n in screen.query_one(CodeTree).root.children]
        assert any("(1)" in label for label in tree_labels)  # the codebook counts it


async def test_the_history_lists_who_did_what_and_reverts_a_colleagues_change_after_asking(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")
        await pilot.pause()
        with as_other(tui_project) as other:
            codings.add(other, 1, "integration.land", 0, 3)
        await pilot.pause(1.0)
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert [(r["user"], r["summary"][:5]) for r in screen.rows[:2]] == [("other", "Coded"), ("coder1", "Coded")]
        await pilot.press("m")  # mine only
        await pilot.pause()
        assert {r["user"] for r in screen.rows} == {"coder1"}
        await pilot.press("m")  # everyone again, the cursor still on my change
        assert screen.current()["user"] == "coder1"
        await pilot.press("up", "r")  # revert the newest: other's coding
        await pilot.pause()
        assert isinstance(app.screen, ConfirmRevert)
        await pilot.press("n")
        await pilot.pause()
        assert len(stored(tui_project)) == 2  # kept
        await pilot.press("r", "y")
        await pilot.pause()
        assert stored(tui_project) == ["coder1"]
        assert screen.rows[0]["action"] == "revert" and screen.rows[1]["state"] == "undone"
        await pilot.press("u")  # undo mine: the revert
        await pilot.pause()
        assert sorted(stored(tui_project)) == ["coder1", "other"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert len(app.screen.segments) == 2


def stored(path) -> list[str]:
    with open_project(path) as project:
        return [c["coder"] for c in codings.query(project)]


async def test_a_text_corrected_by_another_process_reloads_at_the_same_place(tui_project):
    from fieldcase.store.texts import replace_text

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n")  # the cursor on the second question
        reader = app.screen.query_one(Reader)
        before = reader.cursor_offset
        with as_other(tui_project) as other:
            replace_text(other, 1, INTERVIEW_TEXT.replace("杭州", "杭州市"))
        await pilot.pause(1.0)
        assert "杭州市" in reader.source_text
        assert reader.cursor_offset == before


async def test_a_source_removed_by_another_process_leaves_the_reader(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.screen.source is not None
        with open_project(tui_project, user="tester") as importer:
            assert history.undo(importer)["summary"].startswith("Imported")
        await pilot.pause(1.0)
        assert app.screen.source is None and app.screen.query_one(Reader).source_text == ""
        await pilot.press("n", "n", "t", "c")  # nothing to code: a warning, not a crash
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_the_history_shows_times_in_the_local_zone_and_names_it(tui_project, monkeypatch):
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        app = FieldcaseApp(tui_project, user="coder1")
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await pilot.press("f7")
            await pilot.pause()
            screen = app.screen
            table = screen.query_one("DataTable")
            logged = datetime.fromisoformat(screen.rows[0]["at"])  # stored in UTC
            local = logged.astimezone().strftime("%Y-%m-%d %H:%M")
            assert (logged.utcoffset().total_seconds(), logged.astimezone().utcoffset().total_seconds()) == (0, 8 * 3600)
            assert table.get_row_at(0)[1] == local
            assert "when (CST)" in [str(c.label) for c in table.columns.values()]
            assert f"{local} CST" in str(screen.query_one("#detail").render())
    finally:
        monkeypatch.undo()
        time.tzset()
