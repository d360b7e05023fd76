"""Snapshots of two coders compared in the workspace (both, A only, B only), wide and small."""

from __future__ import annotations

from test_snapshots import SIZE, _keys, demo  # noqa: F401 - fixtures

from fieldcase.tui.app import FieldcaseApp

SMALL = (80, 24)
COMPARE = ("L", "down", "enter", "right_square_bracket")  # tester with li; the first disagreement


def _two_coders(path) -> None:
    """tester and li code Li Ling's interview (source 1): some passages alike, some not."""
    from fieldcase.store import codings
    from fieldcase.store.project import open_project

    with open_project(path, user="tester") as project:
        text = project.query("SELECT text FROM sources WHERE id = 1")[0]["text"]
        for coder, code, quote in [
            ("tester", "talent.motive.push", "After the pandemic the wedding business got really bad"),
            ("li", "talent.motive.push", "After the pandemic the wedding business got really bad. Fewer people"),
            ("tester", "talent.motive.family", "our daughter, she's five now"),
            ("li", "talent.resources.capital", "we had a little car"),
            ("tester", "talent.motive.push", "Honestly? Tiring."),
            ("li", "talent.motive.push", "Honestly? Tiring."),
        ]:
            codings.add(project, 1, code, *codings.locate_quote(text, quote), coder=coder)


def test_compare_view(snap_compare, demo):
    _two_coders(demo)
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SIZE, run_before=_keys(*COMPARE))


def test_compare_view_small(snap_compare, demo):
    _two_coders(demo)
    assert snap_compare(FieldcaseApp(demo, user="tester"), terminal_size=SMALL, run_before=_keys(*COMPARE))
