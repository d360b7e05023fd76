"""fieldcase demo keeps the practice work done in it; --reset rebuilds it only when asked to."""

from __future__ import annotations

import json

import pytest

from fieldcase.store import codings
from fieldcase.store.project import open_project


@pytest.fixture
def demo(cli, tmp_path):
    """Build the demo once, code one turn in it, return a runner of ``fieldcase demo -p …``."""
    target = tmp_path / "demo.fieldcase"
    assert cli("demo", "-p", str(target), project=False).exit_code == 0
    with open_project(target, user="tester") as project:
        codings.add(project, 1, "talent.motive.push", 0, 4)

    def run(*args: str, **kwargs):
        return cli("demo", "-p", str(target), *args, project=False, **kwargs)

    run.path = target
    return run


def coded(path) -> int:
    with open_project(path) as project:
        return len(codings.query(project))


def test_running_the_demo_again_opens_it_as_it_was(demo):
    result = demo()
    assert result.exit_code == 0
    assert result.output.startswith("The demo as you left it; fieldcase demo --reset builds it afresh.\n")
    assert coded(demo.path) == 1
    assert json.loads(demo("--json").output)["sources"] == 9 and coded(demo.path) == 1


def test_reset_without_a_terminal_or_yes_refuses_in_one_line(demo):
    result = demo("--reset")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {demo.path}: --reset replaces the demo and all work in it; "
                             "add --yes to do so without a terminal\n")
    assert coded(demo.path) == 1


def test_reset_with_yes_rebuilds_it_uncoded(demo):
    assert demo("--reset", "--yes").exit_code == 0
    assert coded(demo.path) == 0


def test_reset_asks_first_at_a_terminal(demo, monkeypatch):
    monkeypatch.setattr("fieldcase.cli.project._interactive", lambda: True)
    monkeypatch.setattr("fieldcase.cli.workspace.run_workspace", lambda *a, **k: None)
    kept = demo("--reset", input="\n")  # the default is No
    assert "fresh sample? [y/N]" in kept.output and f"Kept {demo.path} as it is." in kept.output
    assert kept.exit_code == 0 and coded(demo.path) == 1
    assert demo("--reset", input="y\n").exit_code == 0
    assert coded(demo.path) == 0


def test_reset_replaces_only_a_demo(cli, tmp_path):
    cli("init")
    study = tmp_path / "study.fieldcase"
    result = cli("demo", "-p", str(study), "--reset", "--yes", project=False)
    assert result.exit_code == 1
    assert result.stderr == f"error: {study}: not a demo project (it is 'study'); --reset replaces only a demo\n"
    assert study.exists()
