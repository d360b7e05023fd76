"""Snapshots of the history screen and the revert question (pytest-textual-snapshot)."""

from __future__ import annotations

import itertools
import time

import pytest

from conftest import INTERVIEW_TEXT, write
from test_snapshots import _keys
from fieldcase.importers import import_paths
from fieldcase.store import codings, history, pseudonyms
from fieldcase.store.project import init_project, open_project
from fieldcase.tui.app import FieldcaseApp

SIZE = (140, 40)


@pytest.fixture
def team_project(tmp_path, monkeypatch):
    """Two people's changes at fixed times (UTC, shown in UTC), one of them undone."""
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", "/nonexistent/fieldcase-snapshots/config")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    minutes = itertools.count()
    monkeypatch.setattr("fieldcase.store.changes.now", lambda: f"2025-07-14T08:{next(minutes):02d}:00.000Z")
    path = tmp_path / "team.fieldcase"
    with init_project(path, user="zhao") as project:
        import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)])
        codings.add(project, 1, "talent.motive.push", 14, 43)
        with open_project(path, user="li") as li:
            pseudonyms.add(li, "张三", "H")
            codings.add(li, 1, "integration.land", 61, 65)
        codings.add(project, 1, "talent.motive.family", 27, 43)
        history.undo(project)
    yield path
    monkeypatch.delenv("TZ")
    time.tzset()


def test_history_screen(snap_compare, team_project):
    assert snap_compare(FieldcaseApp(team_project, user="zhao"), terminal_size=SIZE, run_before=_keys("f7", "down"))


def test_history_screen_small_terminal(snap_compare, team_project):
    assert snap_compare(FieldcaseApp(team_project, user="zhao"), terminal_size=(80, 24), run_before=_keys("f7"))


def test_revert_question(snap_compare, team_project):
    keys = ("f7", "down", "down", "down", "r")
    assert snap_compare(FieldcaseApp(team_project, user="zhao"), terminal_size=SIZE, run_before=_keys(*keys))
