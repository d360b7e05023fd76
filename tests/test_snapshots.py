"""Snapshots of each screen and dialog (pytest-textual-snapshot); see the SVGs in __snapshots__."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldcase.sample import build_sample
from fieldcase.tui.app import FieldcaseApp

SIZE = (140, 40)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("snap") / "demo.fieldcase"
    project, _ = build_sample(path, user="tester")
    project.close()
    return path


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the sample project for each snapshot, at a stable file name."""
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", "/nonexistent/fieldcase-snapshots/config")
    target = tmp_path / "demo.fieldcase"
    shutil.copy(demo_template, target)
    return target


def test_workspace(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["n", "n", "t"])


def test_code_picker_filtered(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["n", "n", "t", "c", *"cstl"])


def test_coded_span_shows_in_its_colour(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "n", "n", "s", "c", *"family", "enter"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=keys)


def test_help_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["f1"])


def test_memo_prompt(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "m", *"rent"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=keys)


def test_retrieval_screen(snap_compare, demo):
    keys = ["n", "n", "t", "c", *"cstl", "enter", "f4", "down", "enter"]
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=keys)


def test_new_source_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["ctrl+n", *"Evening notes"])


def test_edit_source_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["e"])


def test_import_dialog(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["ctrl+o", *"/nowhere"])


def test_sites_and_cases_screen(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["f5"])


def test_new_case_form(snap_compare, demo):
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, press=["f5", "A", *"新农人"])
