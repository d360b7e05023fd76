"""Snapshots of each screen and dialog (pytest-textual-snapshot); see the SVGs in __snapshots__."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldcase.tui.app import FieldcaseApp

SIZE = (140, 40)


@pytest.fixture
def demo(sample, monkeypatch) -> Path:
    """A fresh copy of the sample project for each snapshot, at a stable file name."""
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", "/nonexistent/fieldcase-snapshots/config")
    return sample


def _keys(*keys: str):
    """Let the workspace settle (its first source opens just after the first frame), then press keys."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_workspace(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("n", "n", "t"))


def test_code_picker_filtered(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("n", "n", "t", "c", *"cstl"))


def test_coded_span_shows_in_its_colour(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "n", "n", "s", "c", *"family", "enter"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*keys))


def test_help_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("f1"))


def test_memo_prompt(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "m", *"rent", "enter", *"parents ageing"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*keys))


def test_retrieval_screen(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "f4", "down", "enter"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*keys))


def test_new_source_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("ctrl+n", *"Evening notes"))


def test_edit_source_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("e"))


def test_import_dialog(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("ctrl+o", *"/nowhere"))


def test_sites_and_cases_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys("f5"))


def test_new_case_form(snap_compare, demo):
    # F5 settles (its cases table takes focus) before A opens the form over it
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE,
                        run_before=_then_wait("f5", after=("A", *"新农人")))


async def _settled(pilot, tries: int = 40) -> None:
    """Pause until the screen draws the same twice in a row: on a loaded machine a table's
    resize (and the refill it causes) can come several refreshes after its worker ended."""
    from tui_helpers import screen_text

    from textual.widgets import DataTable

    def measured() -> bool:  # every table has taken in its new rows' widths (done when it is idle)
        return not any(t._require_update_dimensions or t._updated_cells for t in pilot.app.screen.query(DataTable))

    await pilot.pause()
    before = screen_text(pilot.app)
    for _ in range(tries):
        await pilot.pause(0.05)
        now = screen_text(pilot.app)
        if now == before and measured():
            return
        before = now


def _then_wait(*keys: str, after: tuple[str, ...] = ()):
    """Press keys, wait for the screen's thread workers, press ``after`` keys."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await _settled(pilot)  # a table filled by the worker sizes its columns on a later refresh
        await pilot.press(*after)
        await _settled(pilot)

    return run_before


def test_search_screen(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("slash", *"返乡 NOT 民宿", "enter"))


def test_words_screen_with_kwic(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("f8", after=("down", "down", "enter")))


def test_suggestion_review_queue(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("f9"))


async def open_export_dialog(pilot) -> None:
    """ctrl+r once the workspace has opened its first source (the dialog's case is the open
    source's: pressed earlier, it would show none, and the picture would depend on timing)."""
    from tui_helpers import wait_until

    from fieldcase.tui.dialogs.export import ExportDialog

    await wait_until(pilot, lambda: getattr(pilot.app.screen, "source", None) is not None)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))


def test_export_dialog(snap_compare, demo):
    async def run_before(pilot) -> None:
        await open_export_dialog(pilot)
        pilot.app.screen.query_one("#folder").value = "/tmp/fieldcase-exports"
        await pilot.pause()

    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=run_before)


def test_matrix_screen(snap_compare, demo):
    from fieldcase.store import suggestions
    from fieldcase.store.project import open_project
    from fieldcase.analysis.suggest import suggest

    with open_project(demo, user="tester") as project:
        suggest(project)
        for row in suggestions.list_all(project)[::7]:
            suggestions.accept(project, row["id"])
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("f10"))


def test_recent_codes_legend_at_80x24(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "n", "n", "s", "c", *"family", "enter"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=(80, 24), run_before=_keys(*keys))


def test_search_hits_coded_and_marked(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    keys = ("c", *"cstl", "enter", "down", "w", "w", "1", "down", "space", "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("slash", *"返乡", "enter", after=keys))


def test_export_dialog_names_a_bad_reference_at_80x24(snap_compare, demo):
    async def run_before(pilot) -> None:
        from tui_helpers import screen_text, wait_until

        await open_export_dialog(pilot)
        pilot.app.screen.query_one("#folder").value = "/tmp/fieldcase-exports"
        pilot.app.screen.query_one("#reference").value = "/nowhere/journal.docx"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "no such file" in screen_text(pilot.app))
        await pilot.pause()

    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=(80, 24), run_before=run_before)


def _with_names(demo):
    from fieldcase.store import pseudonyms, words
    from fieldcase.store.project import open_project

    with open_project(demo, user="tester") as project:
        pseudonyms.add(project, "刘霞", "L")
        pseudonyms.add(project, "张大伯", "Z伯")
        pseudonyms.add(project, "老刘", "老L", variant_of="刘霞")
        words.add(project, "新乡贤", "new rural elites")
        words.add(project, "土地流转")


def test_pseudonyms_and_glossary_screen_with_variants(snap_compare, demo):
    _with_names(demo)
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_then_wait("f6", "f"))


def test_pseudonyms_and_glossary_screen_at_80x24(snap_compare, demo):
    _with_names(demo)
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_then_wait("f6"))


SMALL = (80, 24)


def test_search_screen_small(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SMALL, run_before=_then_wait("slash", *"返乡", "enter"))


def test_suggestion_review_queue_small(snap_compare, demo):
    app = FieldcaseApp(demo, user="tester")
    assert snap_compare(app, terminal_size=SMALL, run_before=_then_wait("f9"))


def test_workspace_small(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys("n", "n", "t"))


def test_workspace_small_with_details(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "d"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys(*keys))


def test_new_case_name_asked_about(snap_compare, demo):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        pilot.app.screen.query_one("#cases").value = "张大伯 househld"
        pilot.app.screen.query_one("#text").focus()
        await pilot.press(*"Notes", "ctrl+s")
        await pilot.pause()

    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=run_before)
