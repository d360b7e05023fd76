"""The pseudonyms and glossary screen (F6), driven by keys and checked against the store."""

from __future__ import annotations

from tui_helpers import screen_text

from conftest import write
from fieldcase.importers import import_paths
from fieldcase.store import pseudonyms, words
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.confirm import ConfirmDialog
from fieldcase.tui.dialogs.form import FormDialog
from fieldcase.tui.screens.names import NamesScreen
from fieldcase.tui.screens.workspace import WorkspaceScreen

GROUP = ("问：张三，您是哪年回来的？\n张三：2015年。老张我在外面干了十年。\n"
         "问：村里人怎么叫您？\n张三：有的叫老张，有的叫张书记，张书记这个叫法是后来的。\n")


def _entries(path):
    with open_project(path) as project:
        return {r["real"]: (r["pseudonym"], r["variant_of_real"]) for r in pseudonyms.list_all(project)}


async def _open(app, pilot):
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(app.screen, NamesScreen)
    return app.screen


async def _find_variants(app, pilot):
    """F6, then f on the entry under the cursor, waiting for the variants found."""
    screen = await _open(app, pilot)
    await pilot.press("f")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_add_edit_and_remove_pseudonyms_and_glossary_terms(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("a")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Zhang San", "tab", *"H", "enter")
        await pilot.pause()
        assert _entries(tui_project) == {"Zhang San": ("H", None)}
        assert "Zhang San" in screen_text(app)  # real names are shown here
        await pilot.press("enter")  # edits the entry under the cursor
        assert isinstance(app.screen, FormDialog)
        await pilot.press("tab", "backspace", *"HH", "enter")
        await pilot.pause()
        assert _entries(tui_project) == {"Zhang San": ("HH", None)}
        await pilot.press("a", *"Zhang", "tab", *"H", "enter")  # a second entry, then a bad one
        await pilot.press("a", *"Li", "tab", *"Li", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and "would stay as it is" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("tab")  # to the glossary
        await pilot.press("a", *"新乡贤", "enter")
        await pilot.pause()
        with open_project(tui_project) as project:
            assert [t["term"] for t in words.list_all(project)] == ["新乡贤"]
        await pilot.press("d")  # a glossary term goes at once (ctrl+z brings it back)
        await pilot.pause()
        with open_project(tui_project) as project:
            assert words.list_all(project) == []
        await pilot.press("shift+tab", "d")  # a pseudonym only after asking
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert len(_entries(tui_project)) == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert len(_entries(tui_project)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_find_variants_and_confirm_each_with_one_key(tui_project, tmp_path):
    with open_project(tui_project, user="coder1") as project:
        import_paths(project, [write(tmp_path / "group.txt", GROUP)])
        pseudonyms.add(project, "张三", "H")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _find_variants(app, pilot)
        proposed = [r["variant"] for r in screen.proposals]
        assert {"老张", "张书记"} <= set(proposed)
        assert screen.query_one("#proposals").has_focus
        await pilot.press("y")  # the first, with its suggested pseudonym
        await pilot.press("n")  # the second is left out
        await pilot.pause()
        entries = _entries(tui_project)
        assert entries[proposed[0]][1] == "张三" and entries[proposed[0]][0] in ("老H", "H书记")
        assert proposed[1] not in entries
        if not screen.proposals:  # all decided: the list closes, back on the names
            assert not screen.query_one("#proposals").display and screen.query_one("#names").has_focus


def test_editing_an_entry_keeps_its_variants_and_is_undone_in_one_step(project):
    from fieldcase.store import history

    pseudonyms.add(project, "张三", "H")
    pseudonyms.add(project, "老张", "老H", variant_of="张三")
    pseudonyms.add(project, "李四", "L")
    pseudonyms.edit(project, "张三", new_real="张叁", pseudonym="HH")
    rows = {r["real"]: r for r in pseudonyms.list_all(project)}
    assert rows["张叁"]["pseudonym"] == "HH" and rows["老张"]["variant_of_real"] == "张叁"
    for bad in ({"new_real": "李四"}, {"pseudonym": "张叁"}, {"pseudonym": " "}):
        try:
            pseudonyms.edit(project, "张叁", **bad)
        except Exception as err:  # noqa: BLE001
            assert type(err).__name__ == "InputError"
        else:
            raise AssertionError(bad)
    history.undo(project)
    assert {r["real"] for r in pseudonyms.list_all(project)} == {"张三", "老张", "李四"}


async def test_forms_that_may_be_someone_elses_are_named_but_never_proposed(tui_project, tmp_path):
    from fieldcase.store import cases

    with open_project(tui_project, user="coder1") as project:
        import_paths(project, [write(tmp_path / "group.txt", GROUP)])
        cases.add(project, "张伟")  # 老张 and 张书记 could be him as well
        pseudonyms.add(project, "张三", "H")
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await _find_variants(app, pilot)
        assert not {"老张", "张书记"} & {r["variant"] for r in screen.proposals}
        assert "not proposed, maybe someone else's: 老张、张书记" in screen_text(app).replace("\n", "")
