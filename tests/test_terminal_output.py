"""Stored words cannot steer the terminal: what commands print shows control characters
as visible signs, while --json keeps the data exact."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import write
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.store import cases, codes, codings, memos, sites, speakers
from fieldcase.text.controls import visible_controls

HOSTILE = "X\x1b]0;pwned\x07\x1b[2J\x9b31m\x7f\rY"
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def escapes(project, tmp_path):
    """A title, text, site, case, speaker, code, memo and coding all carrying escapes."""
    site = sites.add(project, f"site {HOSTILE}")
    case = cases.add(project, f"case {HOSTILE}", site=site["id"])
    padding = "村民都来入股。" * 200  # a text of a few controls among many words is text, not binary
    text = f"访谈者：你好{HOSTILE}？\nH：土地流转{HOSTILE}很好。{padding}\n"
    (result,) = import_paths(project, [write(tmp_path / "esc.txt", text)],
                             ImportOptions(title=f"title {HOSTILE}", cases=[case["name"]]))
    speakers.link(project, result.id, "H", case["id"])
    code = codes.add(project, name_en=f"code {HOSTILE}")
    stored = project.query("SELECT text FROM sources")[0]["text"]
    start = stored.index("土地流转")
    codings.add(project, result.id, code["key"], start, start + 12, memo=f"memo {HOSTILE}")
    memos.add(project, "project", None, f"body {HOSTILE}", title=f"memo title {HOSTILE}")
    return result.id


COMMANDS = [
    ["sources"], ["source", "show", "1"], ["source", "show", "1", "--turns"], ["codings"], ["codes"],
    ["history"], ["search", "土地流转"], ["kwic", "土地"], ["memo", "list"], ["case", "list"],
    ["site", "list"], ["speaker", "list", "1"], ["info"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_show_controls_as_signs(escapes, cli, args):
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert not CONTROLS.search(result.output)
    assert "␛]0;pwned␇" in result.output


def test_the_whole_hostile_word_is_shown_sign_for_control():
    assert visible_controls(HOSTILE) == "X␛]0;pwned␇␛[2J�31m␡␍Y"
    assert len(visible_controls(HOSTILE)) == len(HOSTILE)  # one sign where each control stood
    assert visible_controls("一\t二\n三") == "一\t二\n三"


def test_the_text_keeps_its_lines_and_tabs(project, cli, tmp_path):
    import_paths(project, [write(tmp_path / "t.txt", "第一行\t有制表符\n第二行\x1b[2J\n")])
    shown = cli("source", "show", "1").output
    assert "第一行\t有制表符\n第二行␛[2J\n" in shown


@pytest.mark.parametrize("args", [["sources"], ["source", "show", "1"], ["codings"]], ids=" ".join)
def test_json_output_is_the_exact_data(escapes, cli, args):
    result = cli(*args, "--json")
    assert not CONTROLS.search(result.output)  # JSON escapes them all, DEL and C1 included
    data = json.loads(result.output)
    rows = data if isinstance(data, list) else [data]
    assert any(row.get("title") == f"title {HOSTILE}" or row.get("source_title") == f"title {HOSTILE}"
               for row in rows)


def test_errors_and_import_lines_are_shown_too(project, cli, tmp_path):
    bad = tmp_path / "bad\x1b[2J.docx"
    bad.write_bytes(b"not a zip")
    result = cli("import", str(bad))
    assert result.exit_code == 1
    assert not CONTROLS.search(result.stderr) and "bad␛[2J.docx" in result.stderr
    result = cli("source", "show", "no\x1b]0;such")
    assert result.stderr.startswith("error: ") and not CONTROLS.search(result.stderr)


def test_a_terminal_gets_no_raw_control(escapes, project_path):
    """The installed command on a pseudo-terminal, where click strips nothing itself."""
    import os
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "fieldcase", "sources", "-p", str(project_path)],
                          stdout=follower, stderr=follower) as run:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert run.wait() == 0
    os.close(leader)
    out = b"".join(chunks).decode()
    assert "title X␛]0;pwned␇␛[2J�31m␡␍Y" in out
    assert not CONTROLS.search(out.replace("\r\n", "\n"))  # the terminal's own line ends aside


async def test_the_workspace_draws_control_characters_as_signs(tui_project):
    """A title and a text holding escape sequences reach the terminal as visible signs:
    Textual and Rich take out only BEL, BS, VT, FF and CR themselves."""
    import sqlite3

    from tui_helpers import screen_text

    from fieldcase.tui.app import FieldcaseApp

    conn = sqlite3.connect(tui_project)
    with conn:
        conn.execute("UPDATE sources SET title = ? WHERE id = 1", ["X\x1b]0;pwned\x07\x1b[2J\x9b31m"])
    conn.close()
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "X␛]0;pwned" in shown and "␛[2J" in shown
        assert not any(c in shown for c in "\x1b\x07\x9b")


async def test_the_reader_draws_control_characters_in_a_text_as_signs(tmp_path):
    from tui_helpers import screen_text

    from fieldcase.importers import import_paths
    from fieldcase.store.project import init_project
    from fieldcase.tui.app import FieldcaseApp

    path = tmp_path / "escapes.fieldcase"
    hostile = tmp_path / "escapes.txt"
    hostile.write_text("问：你好\n答：回来了\x1b]0;pwned\x07\x1b[2J之后\n", encoding="utf-8")
    with init_project(path, user="tester") as project:
        import_paths(project, [hostile])
    app = FieldcaseApp(path, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "回来了␛]0;pwned" in shown and "␛[2J之后" in shown
        assert "\x1b" not in shown


def test_an_argument_that_is_not_utf8_is_one_line(project, cli):
    """A title typed in another encoding (GBK bytes) arrives as surrogates; storing them
    cannot work, and the command says so in one line instead of a traceback."""
    result = cli("site", "add", "ab\udcd6\udcd0")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: 'ab��' is not UTF-8 text (shown with � for the bytes that are not); nothing was changed"]


PIECES = ["SECRETWORDS", "王阿姨的病历号"]


def _fails() -> None:
    words = " ".join(PIECES)  # the joined words exist only as a value, never in the source
    raise RuntimeError(f"failed near {len(words)} characters")


async def test_a_crash_report_shows_no_values_of_variables():
    """A workspace crash prints where it happened, never the values it held (a transcript,
    a draft, a purged participant's words would stay in the terminal's scrollback)."""
    from textual.app import App

    import fieldcase.tui.app  # noqa: F401 - installs the crash report of fieldcase.tui.compat

    app = App[None]()
    async with app.run_test():
        try:
            _fails()
        except RuntimeError:
            app._fatal_error()  # noqa: SLF001 - what Textual runs on an unhandled exception
        shown = "".join(segment.text for renderable in app._exit_renderables  # noqa: SLF001
                        for segment in renderable.segments)
    assert "RuntimeError" in shown and "failed near" in shown
    assert " ".join(PIECES) not in shown


def test_bidirectional_overrides_are_shown_not_obeyed():
    """U+202E reverses what follows on the line (``\\u202etxt.exe`` reads ``exe.txt``); the
    left-to-right and right-to-left marks, which only nudge, stay."""
    from fieldcase.text.controls import visible_controls

    assert visible_controls("a\u202etxt.exe b\u2067c\u200fd") == "a\ufffdtxt.exe b\ufffdc\u200fd"
