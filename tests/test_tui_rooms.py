"""The workspace's rooms driven by keys: the codebook, in-vivo naming, source details and
deleting a source, orphaned codings; each checked against the store and the screen."""

from __future__ import annotations

from conftest import INTERVIEW_TEXT
from tui_helpers import screen_text

from fieldcase.store import codes, codings, history, sources
from fieldcase.store.project import open_project
from fieldcase.store.texts import replace_text
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.code_form import CodeForm
from fieldcase.tui.dialogs.code_picker import CodePicker
from fieldcase.tui.dialogs.colour_picker import ColourPicker
from fieldcase.tui.dialogs.confirm import ConfirmDialog
from fieldcase.tui.dialogs.in_vivo import InVivoDialog
from fieldcase.tui.dialogs.source_details import SourceDetailsDialog
from fieldcase.tui.screens.codebook import CodebookScreen
from fieldcase.tui.screens.orphans import OrphansScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.code_tree import CodeTree
from fieldcase.tui.widgets.navigator import Navigator
from fieldcase.tui.widgets.reader import Reader


def shown(widget) -> str:
    """The text a Static shows (its Rich renderable, rendered wide)."""
    import io

    from rich.console import Console

    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def code(path, ref):
    with open_project(path) as project:
        return codes.find(project, ref)


def tree_keys(screen) -> list[str]:
    """The code keys of every node in a screen's code tree."""
    tree = screen.query_one(CodeTree)
    found, stack = [], list(tree.root.children)
    while stack:
        node = stack.pop(0)
        found.append(node.data["key"])
        stack[:0] = list(node.children)
    return found


def coded_push(path) -> int:
    """Code H's first answer with 城市推力; returns the coding's id."""
    with open_project(path, user="tester") as project:
        row, _ = codings.add(project, 1, "talent.motive.push", *codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做"))
        return row["id"]


async def test_codebook_adds_edits_colours_moves_reorders_and_refuses_a_bad_colour(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        assert "人才回流" in shown(screen.query_one("#properties"))  # the first code, shown at once
        await pilot.press("a")  # a subcode of 人才回流
        assert isinstance(app.screen, CodeForm)
        await pilot.press(*"网络资源", "tab", *"Networks", "enter")
        await pilot.pause()
        added = code(tui_project, "网络资源")
        assert added["parent_id"] == code(tui_project, "talent")["id"] and added["name_en"] == "Networks"
        assert screen.current()["key"] == added["key"]  # the cursor is on the new code
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CodeForm) and form.focused.id == "description"
        await pilot.press(*"ties that bring resources", "tab", *"names a helper")
        form.query_one("#keywords").value = "关系，人脉、guanxi"  # full-width marks come from an input method
        form.query_one("#color").focus()
        await pilot.press("ctrl+u", *"blue-ish", "ctrl+s")
        await pilot.pause()
        assert app.screen is form and "#RRGGBB" in str(form.query_one("#error").render())
        assert code(tui_project, "网络资源")["description"] is None  # nothing stored yet
        await pilot.press("ctrl+u", *"#59a14f", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        edited = code(tui_project, "网络资源")
        assert edited["description"] == "ties that bring resources" and edited["inclusion"] == "names a helper"
        assert edited["keywords"] == '["关系", "人脉", "guanxi"]' and edited["color"] == "#59A14F"
        assert "ties that bring resources" in shown(screen.query_one("#properties"))
        await pilot.press("c")
        assert isinstance(app.screen, ColourPicker)
        await pilot.press("down", "enter")  # the swatch after the current one
        await pilot.pause()
        assert code(tui_project, "网络资源")["color"] != "#59A14F"
        await pilot.press("m")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"top level", "enter")
        await pilot.pause()
        assert code(tui_project, "网络资源")["parent_id"] is None
        top = [r["key"] for r in codes.tree(open_project(tui_project)) if r["depth"] == 0]
        assert top[-1] == added["key"]
        await pilot.press("ctrl+up")
        await pilot.pause()
        top = [r["key"] for r in codes.tree(open_project(tui_project)) if r["depth"] == 0]
        assert top[-2] == added["key"]
        await pilot.press("r")
        app.screen.query_one("#name").value = "，"
        await pilot.press("enter")
        await pilot.pause()
        assert "not only '，'" in str(app.screen.query_one("#error").render())
        await pilot.press("ctrl+u", *"资源网络", "enter")
        await pilot.pause()
        assert code(tui_project, added["key"])["name_zh"] == "资源网络"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert added["key"] in tree_keys(app.screen)  # the workspace's codebook follows
        assert any(r["name_zh"] == "资源网络" for r in app.screen.code_rows)


async def test_codebook_delete_says_how_many_codings_go_asks_and_undoes_and_merge_moves_them(tui_project):
    coding_id = coded_push(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4", "down", "down", "space", "down")  # in the workspace's codebook: 城市推力
        await pilot.press("b")  # the codebook room opens on the same code
        await pilot.pause()
        assert app.screen.current()["key"] == "talent.motive.push"
        await pilot.press("delete")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "城市推力" in dialog.question
        assert "1 coding" in dialog.detail
        await pilot.press("enter")  # the default button keeps it
        await pilot.pause()
        assert code(tui_project, "talent.motive.push")
        await pilot.press("delete", "y")
        await pilot.pause()
        with open_project(tui_project) as project:
            assert codings.query(project) == [] and not project.query("SELECT 1 FROM codes WHERE key = 'talent.motive.push'")
        assert "talent.motive.push" not in tree_keys(app.screen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "talent.motive.push" in tree_keys(app.screen)
        with open_project(tui_project) as project:
            assert [c["id"] for c in codings.query(project)] == [coding_id]
        app.screen._select("talent.motive.push")
        await pilot.pause()
        await pilot.press("M", *"乡村拉力", "enter")
        assert isinstance(app.screen, ConfirmDialog) and "move to 乡村拉力" in app.screen.detail
        await pilot.press("y")
        await pilot.pause()
        with open_project(tui_project) as project:
            assert [c["code_key"] for c in codings.query(project)] == ["talent.motive.pull"]
        await pilot.press("escape")
        await pilot.pause()
        assert "talent.motive.push" not in tree_keys(app.screen)


async def test_in_vivo_dialog_names_the_code_from_trimmed_words_refuses_punctuation_and_escape_makes_nothing(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        before = len(app.screen.code_rows)
        reader = app.screen.query_one(Reader)
        start = INTERVIEW_TEXT.index("，后来办了合作社，")
        reader.select_span(start, start + 9)
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, InVivoDialog)
        assert dialog.query_one("#name").value == "后来办了合作社"
        await pilot.press("escape")
        await pilot.pause()
        assert len(codes.tree(open_project(tui_project))) == before
        reader.select_span(start, start + 9)
        await pilot.press("v")
        app.screen.query_one("#name").value = "，"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog and isinstance(app.screen, InVivoDialog)
        assert "not only '，'" in str(app.screen.query_one("#error").render())
        await pilot.press("ctrl+u", *"办合作社", "tab", *"integration.land", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        made = code(tui_project, "办合作社")
        assert made["origin"] == "in-vivo" and made["parent_id"] == code(tui_project, "integration.land")["id"]
        with open_project(tui_project) as project:
            (coding,) = codings.query(project)
        assert coding["code_key"] == made["key"] and coding["text"] == "，后来办了合作社，"
        assert made["key"] in tree_keys(app.screen) and app.screen.recent.get(1) == made["id"]


async def test_source_details_keep_a_bad_date_in_the_form_then_save_and_delete_with_undo(tui_project):
    coded_push(tui_project)
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, SourceDetailsDialog)
        await pilot.press("ctrl+u", *"H, first visit", "tab", "tab", *"2023-13-40", "enter")
        await pilot.pause()
        assert app.screen is dialog and "not a date" in str(dialog.query_one("#error").render())
        dialog.query_one("#date").focus()
        await pilot.press("ctrl+u", *"2023年7月14日", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        with open_project(tui_project) as project:
            row = sources.get(project, 1, with_text=False)
        assert (row["title"], row["date"]) == ("H, first visit", "2023-07-14")
        assert app.screen.query_one(Reader).border_title.startswith("H, first visit")
        await pilot.press("i", "ctrl+d")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog) and "1 coding" in confirm.detail
        await pilot.press("y")
        await pilot.pause()
        with open_project(tui_project) as project:
            assert sources.list_all(project) == [] and codings.query(project) == []
        assert app.screen.source is None and app.screen.query_one(Reader).source_text == ""
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen.source["title"] == "H, first visit" and len(app.screen.segments) == 1
        with open_project(tui_project) as project:
            assert history.history(project, 2)[1]["action"] == "source.delete"
        navigator = app.screen.query_one(Navigator)
        await pilot.press("f2")
        navigator.move_cursor(navigator.root.children[0])  # a site
        await pilot.pause()
        await pilot.press("delete")  # nothing to delete there
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        navigator.move_cursor(next(n for n in navigator.root.children[0].children if "source" in n.data))
        await pilot.pause()
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog) and "H, first visit" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        with open_project(tui_project) as project:
            assert len(sources.list_all(project)) == 1


async def test_orphaned_codings_are_listed_reanchored_in_the_reader_and_deleted(tui_project):
    coding_id = coded_push(tui_project)
    with open_project(tui_project, user="tester") as project:
        replace_text(project, 1, sources.get(project, 1)["text"].replace("那时候杭州的生意不好做，", "那时候城里"))
        assert codings.find(project, coding_id)["status"] == "orphaned"
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, OrphansScreen) and len(screen.rows) == 1
        rendered = str(screen.query_one("DataTable").get_row_at(0))
        assert "城市推力" in rendered and "杭州的生意不好做" in rendered
        assert screen.query_one("DataTable").get_row_at(0)[2] == "tester"  # whose coding lost its words
        assert "coder" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, WorkspaceScreen) and workspace.reanchoring["id"] == coding_id
        reader = workspace.query_one(Reader)
        assert reader.has_focus and "re-anchoring" in reader.border_subtitle
        start = reader.source_text.index("那时候城里")
        reader.select_span(start, start + 5)
        await pilot.press("enter")
        await pilot.pause()
        with open_project(tui_project) as project:
            row = codings.get(project, coding_id)
        assert (row["status"], row["text"]) == ("active", "那时候城里")
        assert workspace.reanchoring is None and reader.border_subtitle == ""
        await pilot.press("ctrl+z")  # orphaned again
        await pilot.pause()
        await pilot.press("o", "x")
        await pilot.pause()
        assert app.screen.rows == []
        with open_project(tui_project) as project:
            assert project.query("SELECT 1 FROM codings") == []
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(app.screen.rows) == 1
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")  # stop re-anchoring: it stays orphaned
        await pilot.pause()
        assert app.screen.reanchoring is None
        with open_project(tui_project) as project:
            assert codings.find(project, coding_id)["status"] == "orphaned"


async def test_the_rooms_are_in_help_with_their_ids(tui_project):
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        ids = {row[3] for row in app.screen.rows}
        assert {"codebook", "source-details", "orphaned-codings", "in-vivo"} <= ids
        await pilot.press("escape", "f2", "f1")  # in the sources pane, Delete deletes a source
        await pilot.pause()
        assert "delete-source" in {row[3] for row in app.screen.rows}


async def test_esc_in_the_code_form_asks_before_throwing_away_what_was_typed(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        room = app.screen
        await pilot.press("a", "escape")  # nothing typed: it closes at once
        await pilot.pause()
        assert app.screen is room
        await pilot.press("a", *"网络资源", "tab", "tab", *"ties that bring resources", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "Discard" in app.screen.question
        await pilot.press("n")  # keep typing
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeForm) and form.query_one("#name_zh").value == "网络资源"
        assert form.query_one("#description").text == "ties that bring resources"
        await pilot.press("escape", "y")  # now thrown away
        await pilot.pause()
        assert app.screen is room
        assert "网络资源" not in [r["name_zh"] for r in room.rows]


async def test_a_moved_code_keeps_the_cursor_under_its_new_parent_named_by_name(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4", "down", "down", "space", "down", "b")  # 城市推力, under 返乡动因
        await pilot.pause()
        room = app.screen
        assert room.current()["key"] == "talent.motive.push"
        assert "under 返乡动因 Return motives" in shown(room.query_one("#properties"))
        await pilot.press("m", *"参与村务", "enter")  # a code whose branch is closed
        await pilot.pause()
        await pilot.pause()
        moved = room.current()
        assert moved["key"] == "talent.motive.push" and moved["parent_key"] == code(tui_project, "参与村务")["key"]
        node = room.query_one(CodeTree).cursor_node
        assert node.data["key"] == "talent.motive.push" and node.parent.is_expanded
        assert "under 参与村务" in shown(room.query_one("#properties"))
        assert f"under {moved['parent_key']}" not in shown(room.query_one("#properties"))
