"""Closing the terminal loses no typing: a real ``fieldcase open`` on a pseudo-terminal saves
every open draft when it is hung up on (the terminal closed) or sent SIGTERM."""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from fieldcase.store import drafts, sources
from fieldcase.store.project import open_project

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals and ptys")

CTRL_N = b"\x0e"
# terminal control sequences: CSI (cursor moves, colours), OSC, and two-byte escapes
DRAWING_CODES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class Terminal:
    """``fieldcase open`` on a 120×36 pseudo-terminal, read as it draws."""

    def __init__(self, path: Path) -> None:
        import fcntl
        import pty
        import struct
        import termios

        argv = [sys.executable, "-m", "fieldcase", "open", "-p", str(path), "--user", "fieldworker"]
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: its own session, the pty its controlling terminal
            os.environ["TERM"] = "xterm-256color"
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.seen = b""

    def wait_for(self, marker: str, limit: float = 20) -> None:
        """Read what the app draws until ``marker`` appears. Textual redraws only what
        changed, so the words typed may come in pieces with cursor moves between them: the
        marker is looked for in the characters drawn, escape sequences left out."""
        end = time.monotonic() + limit
        while marker.encode() not in DRAWING_CODES.sub(b"", self.seen):
            if time.monotonic() > end:
                drawn = DRAWING_CODES.sub(b"", self.seen).decode("utf-8", "replace")
                raise AssertionError(f"{marker!r} never appeared on the terminal; it drew last: {drawn[-400:]!r}")
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.seen += os.read(self.fd, 1 << 16)
                except OSError:
                    break

    def type(self, keys: bytes, shown: str) -> None:
        """Send keys and wait until ``shown`` is drawn."""
        self.seen = b""
        os.write(self.fd, keys)
        self.wait_for(shown)

    def ended(self, limit: float = 30) -> int:
        """Wait for the process to end; its exit status."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            if self.fd >= 0 and select.select([self.fd], [], [], 0.05)[0]:
                try:
                    os.read(self.fd, 1 << 16)
                except OSError:
                    pass
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not end")

    def hang_up(self) -> None:
        """Close the terminal: the kernel hangs up on the app's session (SIGHUP)."""
        os.close(self.fd)
        self.fd = -1

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)

    def stop(self) -> None:
        """Close the terminal and end the app if it is still running."""
        self.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


@pytest.fixture
def terminal(tui_project):
    opened: list[Terminal] = []

    def start() -> Terminal:
        opened.append(Terminal(tui_project))
        opened[-1].wait_for("h  F3", limit=60)  # the workspace, its source open in the reader
        return opened[-1]

    yield start
    for term in opened:
        term.stop()


def test_closing_the_terminal_keeps_what_was_just_typed_in_a_new_source(terminal, tui_project):
    with open_project(tui_project, user="fieldworker") as project:
        drafts.save(project, None, "下午两点到竹编车间。", {"title": "竹编车间观察"})
    term = terminal()
    # the form of the draft (its title alone may be the start-up notice naming the kept draft)
    term.type(CTRL_N, "type or paste")  # the draft goes on, the cursor at the end of its text
    term.type("十二个人在编宠物窝".encode(), "宠物窝")
    term.hang_up()  # at once: well inside the 3 seconds between autosaves
    term.ended()
    with open_project(tui_project) as project:
        (kept,) = drafts.list_all(project)
    assert kept["source_id"] is None and kept["fields"]["title"] == "竹编车间观察"
    assert kept["text"] == "下午两点到竹编车间。十二个人在编宠物窝"


def test_words_typed_ahead_of_the_new_source_form_keep_their_order(terminal, tui_project):
    """ctrl+n and the first words in one burst: the first keys reach the workspace before the
    form is there and are sent on to it; the ones after must wait for them."""
    with open_project(tui_project, user="fieldworker") as project:
        drafts.save(project, None, "下午两点到竹编车间。", {"title": "竹编车间观察"})
    term = terminal()
    term.type(CTRL_N + "十二个人在编宠物窝".encode(), "宠物窝")
    term.hang_up()
    term.ended()
    with open_project(tui_project) as project:
        (kept,) = drafts.list_all(project)
    assert kept["text"] == "下午两点到竹编车间。十二个人在编宠物窝"


def test_sigterm_keeps_a_text_edit_under_way(terminal, tui_project):
    term = terminal()
    term.type(b"e", "codings follow their words")
    term.type("补记".encode(), "补记")  # typed where the cursor stands: the text's start
    os.kill(term.pid, signal.SIGTERM)
    status = term.ended()
    with open_project(tui_project) as project:
        (kept,) = drafts.list_all(project)
        original = sources.get(project, 1)
    assert kept["source_id"] == 1 and kept["text"] == "补记" + original["text"]
    assert kept["fields"][drafts.BASE] == original["text_sha256"]
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGTERM  # ended, saying why


def test_closing_the_terminal_keeps_a_cell_summary_being_typed(sample):
    """The framework matrix (F), Enter on its first cell, words typed in the summary editor,
    then the terminal closed: the words are kept as the cell's draft."""
    from framework_fixture import code_sample

    code_sample(sample, names=False)
    term = Terminal(sample)
    try:
        term.wait_for("F3", limit=60)
        term.type(b"F", "Framework matrix:")
        time.sleep(1.0)  # the table takes the focus once filled
        term.type(b"\r", " linked")  # the cell's segments read (in a thread), the list has the focus
        time.sleep(0.3)
        os.write(term.fd, b"\t")  # from the segments to the summary editor
        time.sleep(0.5)
        term.type("补记一句".encode(), "补记一句")
        term.hang_up()  # well inside the 3 seconds between autosaves
        term.ended()
    finally:
        term.stop()
    with open_project(sample) as project:
        kept = [r for r in project.query("SELECT * FROM drafts") if '"cell"' in r["fields"]]
        assert drafts.list_all(project) == []  # a summary's draft is not offered as a new source
    assert len(kept) == 1 and kept[0]["text"].endswith("补记一句")
