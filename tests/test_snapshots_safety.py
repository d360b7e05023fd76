"""Snapshots of the question asked when a kept edit began from a text someone has changed since."""

from __future__ import annotations

import time

import pytest
from test_snapshots import SIZE, _keys, demo  # noqa: F401 - fixtures

from fieldcase.store import drafts, sources
from fieldcase.store.project import open_project
from fieldcase.store.texts import replace_text
from fieldcase.tui.app import FieldcaseApp

SMALL = (80, 24)


@pytest.fixture
def changed_under_edit(demo, monkeypatch):
    """The demo with a kept edit of its first source, whose text zhao has corrected since."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    with open_project(demo, user="tester") as project:
        first = sources.list_all(project)[0]
        text = sources.get(project, first["id"])["text"]
        drafts.save(project, None, text + "\n补记：下次再访。", {"title": first["title"], drafts.BASE: first["text_sha256"]},
                    source_id=first["id"])
    with open_project(demo, user="zhao") as project, monkeypatch.context() as fixed:
        fixed.setattr("fieldcase.store.changes.now", lambda: "2025-07-13T06:05:00.000Z")
        replace_text(project, first["id"], text.replace("Thursday", "Friday", 1))
    yield demo
    monkeypatch.delenv("TZ")
    time.tzset()


def test_stale_edit_dialog(snap_compare, changed_under_edit):
    app = FieldcaseApp(changed_under_edit, user="tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("e"))


def test_stale_edit_dialog_small(snap_compare, changed_under_edit):
    app = FieldcaseApp(changed_under_edit, user="tester")
    assert snap_compare(app, terminal_size=SMALL, run_before=_keys("e"))
