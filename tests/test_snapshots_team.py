"""Snapshots of the team screens: conflicts (a name and a text) and agreement, at 140×40 and 80×24."""

from __future__ import annotations

import shutil

import pytest
from test_snapshots import SIZE, _keys, demo  # noqa: F401 - fixtures

from fieldcase.tui.app import FieldcaseApp

SMALL = (80, 24)


@pytest.fixture
def conflicted(demo, tmp_path, monkeypatch):
    """The sample with a code renamed and a text edited on both sides, the other copy merged in."""
    from fieldcase.exchange.merge import merge
    from fieldcase.store import codes
    from fieldcase.store.project import open_project
    from fieldcase.store.texts import replace_text

    other = tmp_path / "colleague.fieldcase"
    shutil.copyfile(demo, other)
    for path, user, name, lead in ((demo, "tester", "人才回流（甲）", "甲的补充。"), (other, "qian", "人才回流（乙）", "乙的补充。")):
        with open_project(path, user=user) as project:
            codes.update(project, "talent", {"name_zh": name})
            text = project.query("SELECT text FROM sources WHERE id = 9")[0]["text"]
            replace_text(project, 9, lead + text)
    monkeypatch.chdir(tmp_path)  # the other copy named as a relative path: the same in every run
    with open_project(demo, user="tester") as project:
        merge(project, "colleague.fieldcase")
    return demo


@pytest.fixture
def two_coders(demo):
    """Source 8 coded by tester and by qian, agreeing in part."""
    from fieldcase.store import codings
    from fieldcase.store.project import open_project

    spans = {"tester": [("talent.motive.push", 0, 40), ("land", 200, 260), ("land", 900, 960)],
             "qian": [("talent.motive.push", 0, 40), ("land", 400, 460), ("talent", 900, 960)]}
    for user, coded in spans.items():
        with open_project(demo, user=user) as project:
            for code, start, end in coded:
                codings.add(project, 8, code, start, end)
    return demo


def _settled(*keys: str):
    """Press keys, then wait for the workers (the agreement's figures) and let the screen settle."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    return run_before


def test_conflicts_screen_with_a_text_difference(snap_compare, conflicted):
    assert snap_compare(FieldcaseApp(conflicted, user="tester"), terminal_size=SIZE, run_before=_keys("C", "down"))


def test_conflicts_screen_small(snap_compare, conflicted):
    assert snap_compare(FieldcaseApp(conflicted, user="tester"), terminal_size=SMALL, run_before=_keys("C"))


def test_agreement_screen(snap_compare, two_coders):
    assert snap_compare(FieldcaseApp(two_coders, user="tester"), terminal_size=SIZE, run_before=_settled("A"))


def test_agreement_screen_small(snap_compare, two_coders):
    assert snap_compare(FieldcaseApp(two_coders, user="tester"), terminal_size=SMALL, run_before=_settled("A"))


def test_agreement_disagreements(snap_compare, two_coders):
    assert snap_compare(FieldcaseApp(two_coders, user="tester"), terminal_size=SIZE,
                        run_before=_settled("A", "down", "enter"))
