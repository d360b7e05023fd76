"""fieldcase.tui.compat is the one place that touches Textual's private API: each touch has a
test here that fails if Textual changes the thing it relies on, and a scan keeps every
other module of the TUI off Textual's private names."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Document, Selection, WrappedDocument

import fieldcase
import fieldcase.tui
from fieldcase.tui import compat
from fieldcase.tui.kinsoku import NO_LINE_START, kinsoku
from fieldcase.tui.widgets.reader import Reader

PACKAGE = Path(fieldcase.__file__).parent
TUI = PACKAGE / "tui"
TEXT = "访谈者：我们村的返乡青年越来越多，土地流转以后，合作社也办起来了。\n" * 6 + "H：是的。\n" * 3


class TwoAreas(App[None]):
    """Textual's text area and ours side by side, each 30 cells wide, over the same text."""

    CSS = "TextArea { width: 30; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield TextArea(TEXT, soft_wrap=True, id="textual")
            yield compat.IndexedTextArea(TEXT, soft_wrap=True, id="ours")


def drawn(area: TextArea) -> list[str]:
    return [area.render_line(y).text for y in range(area.size.height)]


async def test_the_indexed_text_area_draws_what_textuals_draws_and_follows_edits():
    app = TwoAreas()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        textual, ours = app.query_one("#textual", TextArea), app.query_one("#ours", TextArea)
        assert isinstance(ours.document, compat.JoinedOnceDocument)
        assert isinstance(ours.wrapped_document, compat.CountedWrappedDocument)
        steps = [
            lambda area: area.move_cursor((4, 3)),
            lambda area: setattr(area, "selection", Selection((1, 2), (5, 9))),
            lambda area: area.scroll_to(y=7, animate=False),
            lambda area: area.insert("新的一行。\n再一行", (2, 5)),
            lambda area: area.delete((0, 0), (3, 0)),
            lambda area: area.load_text("短。\n" * 30),
        ]
        for step in steps:
            for area in (textual, ours):
                step(area)
            await pilot.pause()
            assert ours.text == textual.text
            assert ours.wrapped_document.height == WrappedDocument.height.fget(textual.wrapped_document)
            assert ours.virtual_size == textual.virtual_size
            assert drawn(ours) == drawn(textual)


def test_the_indexed_text_area_replaces_what_textual_builds_in_set_document():
    """IndexedTextArea overrides ``TextArea._set_document(text, language)`` and calls
    ``_rewrap_and_refresh_virtual_size``; ``load_text`` and the constructor go through it."""
    assert list(inspect.signature(TextArea._set_document).parameters) == ["self", "text", "language"]
    assert callable(TextArea._rewrap_and_refresh_virtual_size)
    area = compat.IndexedTextArea("一\n二")
    area.load_text("三\n四\n五")
    assert isinstance(area.document, compat.JoinedOnceDocument)
    assert area.document.text == "三\n四\n五"
    assert area.wrapped_document.height == 3


def test_the_counted_height_is_textuals_height_after_wrapping_and_edits():
    document = compat.JoinedOnceDocument("甲乙丙丁戊己庚辛壬癸" * 5 + "\n短\n")
    wrapped = compat.CountedWrappedDocument(document, width=12)
    assert wrapped.height == WrappedDocument.height.fget(wrapped) > 3
    result = document.replace_range((1, 0), (1, 1), "长长长长长长长长长长长长长长长长")
    assert document.text == Document("甲乙丙丁戊己庚辛壬癸" * 5 + "\n长长长长长长长长长长长长长长长长\n").text
    wrapped.wrap_range((1, 0), (1, 1), result.end_location)
    assert wrapped.height == WrappedDocument.height.fget(wrapped)
    wrapped.wrap(40)
    assert wrapped.height == WrappedDocument.height.fget(wrapped)


async def test_forgetting_rendered_lines_draws_new_coding_colours():
    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Reader()

    app = One()
    async with app.run_test(size=(60, 10)) as pilot:
        reader = app.query_one(Reader)
        reader.show_source(1, TEXT, [])
        await pilot.pause()
        before = reader.render_line(0)
        reader.set_codings([{"start": 0, "end": 3, "color": "#61AFEF"}])  # calls forget_rendered_lines
        await pilot.pause()
        after = reader.render_line(0)
        assert before.text == after.text
        colours = {str(seg.style.bgcolor.name) for seg in after if seg.style and seg.style.bgcolor}
        assert "#61afef" in colours
        assert not any(seg.style and seg.style.bgcolor and seg.style.bgcolor.name == "#61afef" for seg in before)


async def test_kinsoku_is_in_front_of_the_wrapping_of_text_areas_once():
    assert compat.wrap_offsets_through(kinsoku) is False  # the reader's import installed it
    app = TwoAreas()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        area = app.query_one("#ours", TextArea)
        lines = [section for index in range(area.document.line_count)
                 for section in area.wrapped_document.get_sections(index)]
        assert len(lines) > area.document.line_count  # it did wrap
        assert not any(line[:1] in NO_LINE_START for line in lines)


async def test_the_keymap_and_a_class_bindings_read_as_textual_sets_them():
    assert [b.id for b in compat.class_bindings(Reader)["w"]] == ["select-word"]
    assert "ctrl+a" in compat.class_bindings(TextArea)  # bases' bindings are merged in
    app = TwoAreas()
    async with app.run_test(size=(80, 12)):
        app.set_keymap({"select-word": "x"})
        assert compat.keymap(app) == {"select-word": "x"}


class Covered(App[None]):
    """A screen with a label, and over it an opaque screen or a modal one."""

    def compose(self) -> ComposeResult:
        yield Static("below", id="below")


async def test_a_screen_hidden_under_an_opaque_one_does_not_repaint_the_terminal():
    from textual._compositor import Compositor
    from textual.screen import ModalScreen, Screen

    import fieldcase.tui.app  # noqa: F401 - installs the patches, as the app does

    full: list[int] = []
    render_full_update = Compositor.render_full_update

    def counted(self: Compositor, *args: object, **kwargs: object) -> object:
        full.append(1)
        return render_full_update(self, *args, **kwargs)

    app = Covered()
    async with app.run_test(size=(60, 10)) as pilot:
        below = app.screen
        app.push_screen(Screen())
        await pilot.pause()
        assert app._background_screens == []  # nothing shows through an opaque screen
        Compositor.render_full_update = counted  # type: ignore[method-assign]
        try:
            for n in range(5):  # the hidden screen keeps changing and getting idle
                below.query_one("#below", Static).update(f"below {n}")
                await pilot.pause()
                app.screen.refresh(app.screen.region.crop_size((10, 1)))
                await pilot.pause()
        finally:
            Compositor.render_full_update = render_full_update  # type: ignore[method-assign]
        assert full == []
        app.pop_screen()
        app.push_screen(ModalScreen())
        await pilot.pause()
        assert app._background_screens == [below]  # a modal screen's backdrop shows what is under it


def test_compat_patches_only_the_textual_it_was_written_for():
    import textual

    assert compat.PATCHED_FOR == textual.__version__, "upgrade Textual: review every function in tui/compat.py"


# The scans: no private Textual access outside compat.py


def _tui_files() -> list[Path]:
    return [path for path in sorted(TUI.rglob("*.py")) if path.name != "compat.py"]


def _names_of_ours() -> set[str]:
    """Every name fieldcase defines or assigns anywhere (its own private names are its own)."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


STDLIB_PRIVATE = {("os", "_exit"), ("sys", "_getframe")}


def test_no_module_of_the_tui_but_compat_imports_or_reads_a_private_name():
    ours = _names_of_ours()
    found = []
    for path in _tui_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("textual", "rich"):
                if any(part.startswith("_") for part in node.module.split(".")) or any(
                        alias.name.startswith("_") for alias in node.names):
                    found.append(f"{where} imports from {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{where} imports {alias.name}" for alias in node.names
                          if alias.name.split(".")[0] in ("textual", "rich")
                          and any(part.startswith("_") for part in alias.name.split("."))]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                  and node.attr not in ours):
                base = node.value.id if isinstance(node.value, ast.Name) else ""
                if (base, node.attr) not in STDLIB_PRIVATE:
                    found.append(f"{where} reads .{node.attr}")
    assert found == [], "private Textual access belongs in fieldcase/tui/compat.py"


def test_no_widget_of_the_tui_but_compat_overrides_a_private_textual_method():
    found = []
    for info in pkgutil.walk_packages(fieldcase.tui.__path__, "fieldcase.tui."):
        if info.name == "fieldcase.tui.compat":
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            textual_bases = [base for base in cls.__mro__ if base.__module__.startswith("textual.")]
            for name, value in vars(cls).items():
                if (name.startswith("_") and not name.startswith("__") and inspect.isfunction(value)
                        and any(name in vars(base) for base in textual_bases)):
                    found.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert found == [], "overriding Textual's private methods belongs in fieldcase/tui/compat.py"
