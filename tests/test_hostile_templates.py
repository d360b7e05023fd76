"""Hostile report templates: every failure is one line naming the template and its line,
nothing is written, and renders end within their time, output and size limits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldcase.reports.template_limits import LimitedEnvironment, LimitError, Limits, pieces, uncounted


def export_with(cli, tmp_path: Path, body: str, name: str = "hostile.md.j2"):
    """``fieldcase export summary`` through the template ``body``; returns the result and
    the folder the export was to go to."""
    template = tmp_path / "templates" / name
    template.parent.mkdir(exist_ok=True)
    template.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    return cli("export", "summary", "--template", str(template), "--out", str(out / "summary.md")), out


@pytest.fixture
def cli_project(cli):
    assert cli("init", "--framework", "builtin").exit_code == 0
    return cli


HOSTILE = [
    ("title\n\n{{ 1/0 }}\n", 3, "division by zero"),
    ("{{ 'a' }}\n{{ 1 + 'a' }}\n", 2, "unsupported operand type(s) for +: 'int' and 'str'"),
    ("{% for i in range(10**9) %}{% endfor %}", 1, "range of 1,000,000,000 steps; a template's ranges take at most 100,000"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}", 1, "a macro calls itself without end"),
    ("\n\n\n{{ 'x' * 10**10 }}", 4, "str * 10,000,000,000 would make 10,000,000,000 characters or items;"
                                    " templates may make at most 10,000,000"),
    ("{{ [0] * 10**10 }}", 1, "list * 10,000,000,000 would make"),
    ("{{ 10 ** (10 ** 10) }}", 1, "10 ** 10,000,000,000 is too large a number for a template"),
    ("{{ 'x' | center(10**10) }}", 1, "center would make 10,000,000,000"),
    ("{{ 'x'.ljust(10**10) }}", 1, "str.ljust(10,000,000,000) would make"),
    ("{{ '%9999999999d' % 1 }}", 1, "a % format width would make 9,999,999,999"),
    ("{{ '{:>{w}}'.format(1, w=10**10) }}", 1, "a format width would make 10,000,000,000"),
    ("{% set ns = namespace(s='x') %}\n{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     2, "~ would make 16,777,216 characters"),
    ("{{ ('x' * 10**6) | replace('', 'y' * 20) }}", 1, "replace would make 21,000,020"),
    ("{{ range(10) | batch(10**10, 'x') | list }}", 1, "batch would make 10,000,000,000"),
    ("{{ range(10) | slice(10**10) | list }}", 1, "slice would make 10,000,000,000"),
    ("{{ ([[1]] * 10**6) | sum(start=[]) }}", 1, "sum adds numbers"),
    ("{{ lipsum(10**9) }}", 1, "'lipsum' is undefined"),
    ("{{ ''.__class__.__mro__ }}", 1, "access to attribute '__class__' of 'str' object is unsafe"),
    ("ok\n{{ project.nothing.deeper }}", 2, "'dict object' has no attribute 'nothing'"),
    ("{% for c in codes %}\n{{ c.key }\n", 2, "unexpected '}'"),
]


@pytest.mark.parametrize(("body", "line", "problem"), HOSTILE, ids=[h[2][:30] for h in HOSTILE])
def test_a_hostile_template_is_one_line_with_its_name_and_line_and_writes_nothing(cli_project, tmp_path, body,
                                                                                  line, problem):
    result, out = export_with(cli_project, tmp_path, body)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: template hostile.md.j2, line {line}: {problem}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert list(out.iterdir()) == []  # neither the export nor its partial file


def test_an_error_in_an_included_template_names_that_template(cli_project, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "part.md.j2").write_text("one\ntwo {{ 1 // 0 }}\n", "utf-8")
    result, _ = export_with(cli_project, tmp_path, "{% include 'part.md.j2' %}")
    assert result.stderr == "error: template part.md.j2, line 2: integer division or modulo by zero\n"


def test_output_past_the_limit_stops_at_the_line_writing_it(cli_project, tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDCASE_TEMPLATE_CHARS", "100000")
    body = "head\n{% for i in range(100000) %}\n{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
    result, out = export_with(cli_project, tmp_path, body)
    assert result.stderr == ("error: template hostile.md.j2, line 3: more than 100,000 characters of output,"
                             " the limit ($FIELDCASE_TEMPLATE_CHARS sets it)\n")
    assert list(out.iterdir()) == []


def test_a_bad_limit_setting_is_one_line(cli_project, tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDCASE_TEMPLATE_SECONDS", "soon")
    result, _ = export_with(cli_project, tmp_path, "fine")
    assert result.stderr == "error: $FIELDCASE_TEMPLATE_SECONDS: write a positive number, not 'soon'\n"


def test_every_loop_body_and_macro_ticks_the_clock():
    """The time limit rests on the compiler putting a tick in each loop and macro; if a new
    Jinja stopped doing so, this says it at once (instead of the tests below running forever)."""
    source = LimitedEnvironment().compile(
        "{% macro m() %}x{% endmacro %}{% for i in a if i %}{% for j in b %}{% endfor %}{% endfor %}", raw=True)
    assert source.count("environment.tick()") >= 5  # the template, a macro, a loop filter, two loop bodies


SLOW = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",  # 10^10 steps, no output
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n\n{{ f(60) }}",  # 2^60 calls
    "{% set l = [] %}{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% if l.append(j) %}{% endif %}{% endfor %}{% endfor %}",
]


@pytest.mark.parametrize("body", SLOW, ids=["double-loop", "macro-fan-out", "growing-list"])
def test_a_template_that_would_run_forever_stops_at_the_time_limit(project_path, tmp_path, body):
    """Run as a user runs it, in its own process (so that a regression fails instead of hanging)."""
    template = tmp_path / "slow.md.j2"
    template.write_text(body, encoding="utf-8")
    env = {**os.environ, "FIELDCASE_TEMPLATE_SECONDS": "1"}
    run = [sys.executable, "-m", "fieldcase"]
    subprocess.run([*run, "init", "-p", str(project_path)], env=env, check=True, capture_output=True)
    out = tmp_path / "out" / "slow.md"
    done = subprocess.run([*run, "export", "summary", "-p", str(project_path), "--template", str(template),
                           "--out", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("error: template slow.md.j2, line 1: still running after 1 seconds, the limit")
    assert done.stderr.count("\n") == 1
    assert list(out.parent.iterdir()) == []


async def test_the_export_dialog_shows_one_line_and_esc_stops_a_runaway_template(tui_project, tmp_path, monkeypatch):
    """In the workspace: a template error is the dialog's one line; a template that would run
    for its whole time limit stops when the export is cancelled."""
    from textual.widgets import Input, Select

    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.dialogs.export import ExportDialog

    monkeypatch.setenv("FIELDCASE_TEMPLATE_SECONDS", "120")  # were Esc not heard, the limit's message would show
    bad, slow = tmp_path / "bad.md.j2", tmp_path / "slow.md.j2"
    bad.write_text("fine\n{{ 1/0 }}", "utf-8")
    slow.write_text(SLOW[0], "utf-8")
    out = tmp_path / "out"
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#what", Select).value = "summary"
        await pilot.pause()
        dialog.query_one("#folder", Input).value = str(out)
        dialog.query_one("#template", Input).value = str(bad)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(dialog.query_one("#result").render()) == "error: template bad.md.j2, line 2: division by zero"
        dialog.query_one("#template", Input).value = str(slow)
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(dialog.query_one("#result").render()) == "Cancelled; nothing was written."
    assert not out.exists() or list(out.iterdir()) == []


def _slowly(n: int, wait: float):
    """``n`` items, each made in ``wait`` seconds (as quotes read from a large store are)."""
    for i in range(n):
        time.sleep(wait)
        yield i


def test_reading_what_a_template_walks_is_not_held_against_its_time_limit():
    """A summary's quotes are read as its template walks them; the limit is on the template's
    own work, so a large study's reading does not stop the render."""
    env = LimitedEnvironment(limits=Limits(seconds=0.3))
    template = env.from_string("{% for q in quotes %}{{ q }};{% endfor %}")
    assert "".join(pieces(template, {"quotes": uncounted(_slowly(4, 0.15))})) == "0;1;2;3;"
    with pytest.raises(LimitError, match="still running after 0.3 seconds"):
        "".join(pieces(template, {"quotes": _slowly(4, 0.15)}))


def test_a_slow_template_over_uncounted_items_still_stops():
    env = LimitedEnvironment(limits=Limits(seconds=0.3))
    template = env.from_string(
        "{% for q in quotes %}{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        "{% endfor %}")
    with pytest.raises(LimitError, match="still running after 0.3 seconds"):
        "".join(pieces(template, {"quotes": uncounted(range(3))}))
