"""A change reaches what shows it: a coding updates its code's count, the source's count and
the reader's colours; ctrl+z on another screen shows in the workspace when it is back;
the import dialog still shows progress and what happened (its worker reports by messages)."""

from __future__ import annotations

import re

from fieldcase.coding.colours import drawable
from fieldcase.store import codes, codings
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.widgets.code_tree import CodeTree
from fieldcase.tui.widgets.navigator import Navigator
from conftest import write
from tui_helpers import wait_until


def _painted_in(app, colour: str) -> str:
    """The text on screen drawn on ``colour``."""
    return "".join(segment.text for strip in app.screen._compositor.render_strips()  # noqa: SLF001
                   for segment in strip
                   if segment.style and segment.style.bgcolor and segment.style.bgcolor.triplet
                   and segment.style.bgcolor.triplet.hex.lower() == colour.lower())


def _labels(tree) -> dict[str, str]:
    out, stack = {}, list(tree.root.children)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.data and "key" in node.data:
            out[node.data["key"]] = str(node.label)
    return out


def _source_label(navigator) -> str:
    stack = list(navigator.root.children)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.data and "source" in node.data:
            return str(node.label)
    raise AssertionError("no source in the navigator")


async def test_a_coding_updates_its_counts_and_the_readers_colours(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        from fieldcase.tui.screens.workspace import WorkspaceScreen

        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen._counted)
        screen = app.screen
        assert screen._counted  # the codebook's counts come from a thread
        tree, navigator = screen.query_one(CodeTree), screen.query_one(Navigator)
        nodes_before = {id(n) for n in tree.root.children}
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")
        await pilot.pause()
        await pilot.press("n", "n", "s", "1")  # the same code again, by its digit
        await pilot.pause()
        labels = _labels(tree)
        assert labels["talent.motive.push"].endswith("(2)")
        assert labels["talent.motive"].endswith("(2)") and labels["talent"].endswith("(2)")  # with descendants
        assert _source_label(navigator).endswith("(2)")
        assert {id(n) for n in tree.root.children} == nodes_before  # relabelled, not rebuilt
        with open_project(tui_project, user="coder1") as project:  # as a full read of the store says
            fresh = {c["key"]: (c["codings"], c["sources"], c["total_codings"]) for c in codes.tree(project)}
            quotes = [c["text"] for c in codings.query(project)]
        assert {c["key"]: (c["codings"], c["sources"], c["total_codings"]) for c in screen.code_rows} == fresh
        colour = drawable(next(c["color"] for c in screen.code_rows if c["key"] == "talent.motive.push"))
        painted = _painted_in(app, colour)
        assert all(quote[1:8] in painted for quote in quotes)  # (the cursor sits on the first character)
        await pilot.press("x")  # uncode at the cursor: one left
        await pilot.pause()
        assert _labels(tree)["talent"].endswith("(1)") and _source_label(navigator).endswith("(1)")



# A read of a whole table the coding did not change (the code tree, every source's count)
# names no row: each read of codings, codes or sources after the commit names the rows.
_NAMES_ROWS = re.compile(r"\b(?:id|source_id|code_id)\s*(?:=|IN\b)")
_TABLES = re.compile(r"\bFROM\s+\"?(?:codings|codes|sources)\b")


async def test_one_coding_reads_only_what_it_changed(tui_project):
    """One coding in the workspace: the store writes it, then the screen reads the open
    source's codings (and its memos and the hub state), not the codebook or the navigator
    again (it was 23 reads before the counts were worked out from the change)."""
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen._counted)
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")  # a first coding makes a recent code
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        statements: list[str] = []
        app.project.conn.set_trace_callback(statements.append)
        await pilot.press("s", "1")  # the next turn, coded with the recent code by its digit
        await pilot.pause()
        app.project.conn.set_trace_callback(None)
        tree = app.screen.query_one(CodeTree)
        assert _labels(tree)["talent.motive.push"].endswith("(2)")
    statements = [s for s in statements if not s.startswith("PRAGMA data_version")]  # the watch's timer
    reads = [s for s in statements if s.lstrip().startswith("SELECT")]
    assert "COMMIT" in statements and len(reads) < 23, statements
    refresh = statements[statements.index("COMMIT") + 1:]
    whole = [s for s in refresh if _TABLES.search(s) and not _NAMES_ROWS.search(s)]
    assert refresh and whole == [], whole

async def test_undo_on_another_screen_shows_in_the_workspace_when_back(tui_project):
    from fieldcase.tui.screens.names import NamesScreen
    from fieldcase.tui.screens.workspace import WorkspaceScreen

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")
        await pilot.pause()
        workspace = app.screen
        assert len(workspace.segments) == 1
        await pilot.press("f6")  # pseudonyms and glossary: a screen that hands nothing back
        await pilot.pause()
        assert isinstance(app.screen, NamesScreen)
        await pilot.press("ctrl+z")  # undo the coding while the workspace is underneath
        await pilot.pause()
        with open_project(tui_project, user="coder1") as project:
            assert codings.query(project) == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert workspace.segments == []
        assert not _labels(workspace.query_one(CodeTree))["talent"].endswith(")")
        assert not _source_label(workspace.query_one(Navigator)).endswith(")")


async def test_the_import_dialog_shows_progress_and_the_result(tui_project, tmp_path):
    from textual.widgets import ProgressBar, RichLog

    from fieldcase.tui.dialogs.import_files import ImportDialog

    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(3):
        write(folder / f"note{i}.txt", f"田野笔记第{i}篇：村里的合作社开会。\n")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#paths").value = str(folder)
        dialog.query_one("#paths").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        bar, log = dialog.query_one(ProgressBar), dialog.query_one(RichLog)
        await wait_until(pilot, lambda: not dialog.running)
        assert bar.total == 3 and bar.progress == 3
        shown = " ".join(" ".join(strip.text.split()) for strip in log.lines)
        assert shown.count("imported") >= 3 and "Esc closes." in shown
        assert dialog.imported == 3
        await pilot.press("escape")
        await pilot.pause()
        assert "note2" in _source_label_all(app.screen.query_one(Navigator))


def _source_label_all(navigator) -> str:
    labels, stack = [], list(navigator.root.children)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        labels.append(str(node.label))
    return " ".join(labels)


async def test_the_codebooks_counts_come_from_a_thread_and_a_stale_count_is_redone(tui_project):
    from fieldcase.tui.workers import WorkDone

    with open_project(tui_project, user="coder1") as project:
        codings.add(project, 1, "talent.motive.push", 0, 4)
        stale = codes.tree(project)  # counted before the coding below
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen._counted)
        tree = screen.query_one(CodeTree)
        assert _labels(tree)["talent.motive.push"].endswith("(1)")  # shown once counted in the thread
        screen.reload(counts=False)  # as the first fill leaves it
        assert not _labels(tree)["talent.motive.push"].endswith(")")
        await pilot.press("n", "n", "s", "c", *"cstl", "enter")  # a coding made before the count is back
        await pilot.pause()
        screen.post_message(WorkDone("counts", (screen._changes - 1, stale)))  # a count read before it
        await wait_until(pilot, lambda: screen._counted)
        assert _labels(tree)["talent.motive.push"].endswith("(2)")
        with open_project(tui_project, user="coder1") as project:
            fresh = {c["key"]: c["total_codings"] for c in codes.tree(project)}
        assert {c["key"]: c["total_codings"] for c in screen.code_rows} == fresh
