"""The workspace driven by keys through Textual's Pilot, checked against the store."""

from __future__ import annotations


from conftest import INTERVIEW_TEXT, write
from fieldcase.store import codings, codes, history
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.code_picker import CodePicker
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.reader import Reader
from tui_helpers import wait_until


def stored_codings(path):
    with open_project(path) as project:
        return codings.query(project)


async def test_picker_by_pinyin_initials_applies_the_code(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t")  # the second turn: H's first answer, its words
        reader = app.screen.query_one(Reader)
        assert reader.selected_text == "2012年。那时候杭州的生意不好做，父母年纪也大了。"
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"cstl", "enter")  # 城市推力 by its pinyin initials
        await pilot.pause()
        here = app.screen.segments
        assert [s["code_key"] for s in here] == ["talent.motive.push"]
    rows = stored_codings(tui_project)
    assert len(rows) == 1 and rows[0]["coder"] == "coder1"
    assert rows[0]["text"] == "2012年。那时候杭州的生意不好做，父母年纪也大了。"


async def test_recent_code_digit_uncode_and_undo(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "s", "c", *"land", "enter")  # first sentence of H's answer
        await pilot.pause()
        await pilot.press("n", "n", "s", "1")  # the next answer's first sentence, recent code 1
        await pilot.pause()
        assert [s["code_key"] for s in app.screen.segments] == ["integration.land", "integration.land"]
        await pilot.press("x")  # uncode at the cursor
        await pilot.pause()
        assert len(app.screen.segments) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(app.screen.segments) == 2
    assert [r["text"] for r in stored_codings(tui_project)] == ["2012年。", "先搞土地流转，后来办了合作社，村民都来入股。"]


async def test_in_vivo_memo_and_help(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(Reader)
        start = INTERVIEW_TEXT.index("村民都来入股")
        reader.select_span(start, start + 6)
        await pilot.press("v", "enter")  # the dialog offers the words as the name
        await pilot.pause()
        await pilot.press("m", *"shares", "ctrl+s")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        ids = {row[3] for row in app.screen.rows}
        assert {"apply-code", "uncode", "in-vivo", "select-turn", "undo", "help", "recent-code-1"} <= ids
        await pilot.press("escape")
    rows = stored_codings(tui_project)
    assert rows[0]["text"] == "村民都来入股" and rows[0]["memo"] == "shares"
    with open_project(tui_project) as project:
        assert codes.find(project, "村民都来入股")["origin"] == "in-vivo"
        assert history.history(project, 1)[0]["action"] == "coding.memo"


async def test_no_selection_warns_instead_of_coding(tui_project):
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    assert stored_codings(tui_project) == []


async def test_type_a_source_autosave_and_finish(tui_project):
    from fieldcase.store import drafts, sources
    from fieldcase.tui.dialogs.new_name import NewNameDialog
    from fieldcase.tui.screens.new_source import NewSourceScreen

    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewSourceScreen)
        screen.autosave = 0.2
        await pilot.press(*"Zhang household", "tab", *"X village", "tab", *"张大伯 household")
        screen.query_one("#text").focus()
        # Pilot types keys; full-width punctuation comes from an input method, so half-width here.
        await pilot.press(*"访谈者:你家几口人?", "enter", *"张大伯:五口.", "enter", *"访谈者:地流转了吗?", "enter", *"张大伯:流转了.")
        screen.save_draft()
        # While the app still runs (as if it were killed now), the draft is in the file.
        with open_project(tui_project) as other:
            kept = drafts.list_all(other)
            assert kept and "张大伯:流转了." in kept[0]["text"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        for _ in ("case", "site"):  # neither is in the project yet: each is asked about, then made
            assert isinstance(app.screen, NewNameDialog)
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert drafts.list_all(project) == []
        typed = [s for s in sources.list_all(project) if s["title"] == "Zhang household"][0]
        assert typed["site"] == "X village" and typed["cases"] == ["张大伯 household"] and typed["turns"] == 4
        assert typed["encoding"] == "typed"


async def test_draft_survives_an_abrupt_end_and_is_offered_back(tui_project):
    from fieldcase.store import drafts
    from fieldcase.tui.screens.new_source import NewSourceScreen

    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.autosave = 0.1
        app.screen.set_interval(0.1, app.screen.save_draft)
        app.screen.query_one("#text").focus()
        await pilot.press(*"今天下午在竹编车间十二个人在编宠物窝")
        with open_project(tui_project) as other:  # the autosave timer, not a clean exit, saves it
            def saved() -> list[str]:
                return [d["text"] for d in drafts.list_all(other)]

            await wait_until(pilot, lambda: saved() == ["今天下午在竹编车间十二个人在编宠物窝"])
            assert saved() == ["今天下午在竹编车间十二个人在编宠物窝"]
    app = FieldcaseApp(tui_project, user="fieldworker")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewSourceScreen)
        assert app.screen.text() == "今天下午在竹编车间十二个人在编宠物窝"


async def test_import_dialog_runs_in_a_worker_with_progress(tui_project, tmp_path):
    from fieldcase.store import sources
    from fieldcase.tui.dialogs.import_files import ImportDialog

    folder = tmp_path / "batch"
    for i in range(5):
        write(folder / f"{i}.txt", f"访谈者：第{i}次？\nH：回答{i}。\n")
    write(folder / "empty.txt", "")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#paths").value = str(folder)
        dialog.query_one("#site").value = ""
        dialog.query_one("#paths").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert dialog.imported == 5
        assert dialog.query_one("ProgressBar").progress == 6
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert len(sources.list_all(project)) == 6


async def test_editing_text_keeps_codings_and_reports_orphans(tui_project):
    from fieldcase.tui.screens.edit_source import EditSourceScreen

    with open_project(tui_project) as project:
        text = INTERVIEW_TEXT.rstrip()
        kept, _ = codings.add(project, 1, "integration.land", *codings.locate_quote(text, "办了合作社"))
        lost, _ = codings.add(project, 1, "talent.motive", *codings.locate_quote(text, "父母年纪也大了"))
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditSourceScreen)
        area = app.screen.query_one("TextArea")
        area.text = "补充：2024年校对。\n" + text.replace("父母年纪也大了。", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))  # the text is stored in a worker
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        assert codings.get(project, kept["id"])["text"] == "办了合作社"
        assert codings.find(project, lost["id"])["status"] == "orphaned"


async def test_sites_and_cases_screen_adds_edits_and_links(tui_project):
    from fieldcase.store import cases, sources
    from fieldcase.tui.dialogs.form import FormDialog
    from fieldcase.tui.screens.sites_cases import SitesCasesScreen

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#name").value = "X village"
        app.screen.query_one("#attrs").value = "population=1860"
        app.screen.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one("#name").value = "H"
        app.screen.query_one("#attrs").value = "gender=male; birth_year=1971"
        app.screen.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#cases").focus()  # (the open source's speaker H linked it to the new case H)
        await pilot.press("enter")  # Enter on a case edits it
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#notes").value = "returned 2012"
        app.screen.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with open_project(tui_project) as project:
        h = cases.get(project, "H")
        assert h["site"] == "X village" and h["attributes"] == {"gender": "male", "birth_year": 1971}
        assert h["notes"] == "returned 2012"
        assert sources.get(project, 1, with_text=False)["cases"] == ["H"]


async def test_every_binding_is_in_the_command_palette(tui_project):
    from fieldcase.tui.commands import ActionsProvider

    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        provider = ActionsProvider(app.screen)
        helps = " ".join([hit.help or "" async for hit in provider.search("code")])
        assert "apply-code" in helps and "uncode" in helps
        assert "in-vivo" in " ".join([hit.help or "" async for hit in provider.search("vivo")])


async def test_keys_can_be_remapped_by_binding_id(tui_project):
    from fieldcase.tui.app import keymap_path

    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('apply-code = "k"\n', encoding="utf-8")
    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t", "k")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)


async def test_a_file_that_is_not_a_project_ends_with_one_error(tmp_path):
    bad = tmp_path / "notes.fieldcase"
    bad.write_text("not a database", encoding="utf-8")
    app = FieldcaseApp(bad)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert app.return_code == 1 and app.project is None
    assert app.error == f"error: {bad}: not a fieldcase project (not an SQLite database)"
    assert bad.read_text(encoding="utf-8") == "not a database"


async def test_mouse_drag_selects_and_c_codes_it(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(Reader)
        # Press on the first line's text, move along it with the button held, release.
        await pilot.mouse_down(reader, offset=(6, 1))
        await pilot.hover(reader, offset=(12, 1))
        await pilot.mouse_up(reader, offset=(12, 1))
        await pilot.pause()
        span = reader.selected_span
        # Six cells of Chinese text are three characters (each is two cells wide).
        assert span is not None and reader.selected_text == INTERVIEW_TEXT[span[0] : span[1]]
        assert span[1] - span[0] == 3
        await pilot.press("c", *"land", "enter")
        await pilot.pause()
    rows = stored_codings(tui_project)
    assert len(rows) == 1 and rows[0]["text"] == INTERVIEW_TEXT[span[0] : span[1]]


async def test_the_command_palette_finds_and_runs_workspace_actions(tui_project):
    from textual.command import CommandPalette

    from fieldcase.tui.screens.matrix import MatrixScreen

    app = FieldcaseApp(tui_project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"matrix")
        from textual.command import CommandList

        hits = app.screen.query_one(CommandList)
        # the palette searches in the background
        await wait_until(pilot, lambda: hits.option_count and hits.highlighted is not None)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)


async def test_the_reader_keeps_room_to_read_on_narrow_terminals(tui_project):
    from fieldcase.tui.widgets.details import DetailsPane

    for width, details_shown in ((140, True), (120, True), (100, False), (80, False), (60, False)):
        app = FieldcaseApp(tui_project)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.pause()
            reader = app.screen.query_one(Reader)
            assert reader.size.width >= min(46, width - 26), (width, reader.size.width)
            assert app.screen.query_one(DetailsPane).display is details_shown, width


async def test_trees_keep_open_branches_and_cursor_when_the_project_changes(tui_project):
    from fieldcase.tui.screens.retrieval import RetrievalScreen
    from fieldcase.tui.widgets.code_tree import CodeTree
    from fieldcase.tui.widgets.navigator import Navigator

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        codes_tree = app.screen.query_one(CodeTree)
        top = codes_tree.root.children[0]
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")  # a coding: both trees are filled again
        await pilot.pause()
        await pilot.press("f4")
        codes_tree.move_cursor(codes_tree.root.children[0])
        await pilot.pause()
        await pilot.press("space")  # close the first top-level code
        navigator = app.screen.query_one(Navigator)
        await pilot.press("f2")
        navigator.move_cursor(navigator.root.children[-1])
        await pilot.pause()
        await pilot.press("space")  # and the last site
        await pilot.pause()
        assert not codes_tree.root.children[0].is_expanded and not navigator.root.children[-1].is_expanded
        await pilot.press("f3", "n", "s", "1")  # code again with recent code 1: only counts change
        await pilot.pause()
        assert codes_tree.root.children[0] is top and not top.is_expanded
        await pilot.press("ctrl+z")  # undone: both trees are filled again
        await pilot.pause()
        first = codes_tree.root.children[0]
        assert first is not top and not first.is_expanded  # rebuilt, and still closed
        assert codes_tree.cursor_node is first
        assert not navigator.root.children[-1].is_expanded and navigator.cursor_node is navigator.root.children[-1]
        await pilot.press("f4", "enter")  # Enter lists the segments and leaves the branch as it is
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        assert not first.is_expanded


async def test_a_bad_value_in_a_form_keeps_the_form_and_what_was_typed(tui_project):
    from fieldcase.store import cases, sources
    from fieldcase.tui.dialogs.form import FormDialog
    from fieldcase.store import attributes
    from fieldcase.tui.screens.sites_cases import SitesCasesScreen

    with open_project(tui_project) as project:
        attributes.define(project, "case", "birth_year", "integer")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5", "A")
        await pilot.pause()
        form = app.screen
        form.query_one("#name").value = "王会计"
        form.query_one("#attrs").value = "gender=female; birth_year=一九六八"
        form.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and isinstance(form, FormDialog)
        assert "birth_year" in str(form.query_one("#error").render())
        assert form.query_one("#name").value == "王会计"
        form.query_one("#attrs").value = "gender=female; birth_year=1968"
        form.query_one("#name").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        app.screen.query_one("#sites").focus()
        await pilot.press("l")  # the sites table has focus: nothing is linked, and it says so
        await pilot.pause()
        assert any("cases table" in n.message for n in app._notifications)
    with open_project(tui_project) as project:
        assert cases.get(project, "王会计")["attributes"]["birth_year"] == 1968
        assert sources.get(project, 1, with_text=False)["cases"] == []


async def test_keys_typed_ahead_of_the_code_picker_reach_it(tui_project):
    """c then cstl Enter arriving together, as from a fast typist or a slow machine."""
    from textual import events

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t")
        for key, character in [("c", "c"), ("c", "c"), ("s", "s"), ("t", "t"), ("l", "l"), ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert [s["code_key"] for s in app.screen.segments] == ["talent.motive.push"]


async def test_a_text_changed_while_the_code_picker_is_open_is_not_coded_at_stale_offsets(tui_project):
    from fieldcase.store import sources, texts

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t")
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        watch = app.screen_stack[-2].store_watch
        seen = watch.seen
        with open_project(tui_project, user="colleague") as other:  # a colleague corrects the text meanwhile
            texts.replace_text(other, 1, "前言：多加了一句话。\n" + sources.get(other, 1)["text"])
        await wait_until(pilot, lambda: watch.seen != seen)  # the workspace under the picker has noticed
        assert watch.seen != seen
        await pilot.press(*"cstl", "enter")
        await pilot.pause()
        assert any("was changed since these words were selected" in n.message for n in app._notifications)
    with open_project(tui_project) as project:
        assert codings.query(project) == []  # nothing coded on the wrong words


async def test_next_sentence_after_selecting_one_is_the_very_next_in_chinese(tui_project):
    """`s` then `]` walks sentence by sentence: in Chinese a sentence ends where the next starts, no space."""
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "s")
        reader = app.screen.query_one(Reader)
        assert reader.selected_text == "2012年。"
        walked = []
        for _ in range(2):
            await pilot.press("]", "s")
            walked.append(reader.selected_text)
        assert walked == ["那时候杭州的生意不好做，父母年纪也大了。", "回来以后做了什么？"]
        await pilot.press("[", "s")  # and back from a selection: the one before it
        assert reader.selected_text == "那时候杭州的生意不好做，父母年纪也大了。"
