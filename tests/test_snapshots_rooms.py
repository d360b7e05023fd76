"""Snapshots of the workspace's rooms: codebook, code form, in-vivo, source details, orphans."""

from __future__ import annotations

from test_snapshots import SIZE, _keys, demo, demo_template  # noqa: F401 - fixtures

from fieldcase.tui.app import FieldcaseApp

SMALL = (80, 24)
PUSH = ("b", "down", "space", "down")  # the codebook, on 城市推力 under 返乡动因


def test_codebook_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*PUSH))


def test_codebook_screen_small(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys(*PUSH))


def test_code_form(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*PUSH, "e"))


def test_code_form_small(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys(*PUSH, "e"))


def test_delete_code_asks_first(snap_compare, demo):
    from fieldcase.store import codings
    from fieldcase.store.project import open_project

    with open_project(demo, user="tester") as project:
        text = project.query("SELECT text FROM sources WHERE id = 4")[0]["text"]
        codings.add(project, 4, "talent.motive.push", *codings.locate_quote(text, "城市病"))
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*PUSH, "delete"))


def test_in_vivo_dialog(snap_compare, demo):
    keys = ["n", "n", "s", "v", "tab", *"motive"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*keys))


def test_in_vivo_dialog_small(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys("n", "n", "s", "v"))


def test_source_details_dialog(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("i"))


def test_source_details_dialog_small(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys("i"))


def test_delete_source_asks_first(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("i", "ctrl+d"))


def _orphan_two(path) -> None:
    """Code two passages of H's first interview, then delete their words from the text."""
    from fieldcase.store import codings
    from fieldcase.store.project import open_project
    from fieldcase.store.texts import replace_text

    with open_project(path, user="tester") as project:
        text = project.query("SELECT text FROM sources WHERE id = 4")[0]["text"]
        codings.add(project, 4, "talent.resources.capital", *codings.locate_quote(text, "两个仓库"))
        codings.add(project, 4, "talent.motive.push", *codings.locate_quote(text, "城市病"))
        replace_text(project, 4, text.replace("，两个仓库", "").replace("那个“城市病”，", ""))


def test_orphans_screen(snap_compare, demo):
    _orphan_two(demo)
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("o"))


def test_orphans_screen_small(snap_compare, demo):
    _orphan_two(demo)
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys("o"))


def test_reanchoring_in_the_reader(snap_compare, demo):
    _orphan_two(demo)
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("o", "enter", "s"))
