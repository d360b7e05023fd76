"""Snapshots of the framework matrix (F) and of one of its cells, at 140×40."""

from __future__ import annotations

import pytest
from test_snapshots import SIZE, _then_wait, demo  # noqa: F401 - fixtures

from fieldcase.tui.app import FieldcaseApp
from framework_fixture import code_sample


@pytest.fixture
def summarised(demo):
    """The sample coded from its keywords, with two summaries (one still a draft)."""
    from fieldcase.store import cells
    from fieldcase.store.project import open_project

    code_sample(demo, names=False)
    with open_project(demo, user="tester") as project:
        cells.write(project, "H", "talent.motive", "H 因父母年迈、城市病而返乡，也看到了乡村的机会。")
        cells.write(project, "李玲", "value.heritage", "[草稿] 游客穿瑶族服装拍照。")
    return demo


def test_framework_matrix(snap_compare, summarised):
    assert snap_compare(FieldcaseApp(summarised, user="tester"), terminal_size=SIZE, run_before=_then_wait("F"))


def test_framework_cell(snap_compare, summarised):
    # 刘霞 (the seventh row) under 返乡动因: no summary yet, so nothing dated in its title
    keys = ("down",) * 6 + ("enter",)
    assert snap_compare(FieldcaseApp(summarised, user="tester"), terminal_size=SIZE,
                        run_before=_then_wait("F", after=keys))
