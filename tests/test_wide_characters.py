"""Wide (Chinese) characters in a toast survive the edges of the panes beneath it, as a
terminal shows them: Textual's compositor cut them in two there (fieldcase.tui.compat)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import get_character_cell_size
from textual._compositor import CompositorUpdate

from fieldcase.tui.app import FieldcaseApp

WIDE = "龘"  # in no pane of the workspace, so every one on screen is a toast's
MESSAGES = ["x" + WIDE * 22, WIDE * 22]  # both parities: some character straddles each pane edge


class Terminal:
    """Cells as a terminal such as tmux keeps them: a wide character takes two cells, and
    writing over either of them erases it."""

    SEQUENCE = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;?]*[A-Za-z]|\r|\n|.", re.S)

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.cells = [[" "] * width for _ in range(height)]
        self.row = self.column = 0

    def feed(self, data: str) -> None:
        for match in self.SEQUENCE.finditer(data):
            text = match.group()
            if match.group(1):
                self.row, self.column = int(match.group(1)) - 1, int(match.group(2)) - 1
            elif text == "\r":
                self.column = 0
            elif text == "\n":
                self.row, self.column = self.row + 1, 0
            elif not text.startswith("\x1b"):
                self.put(text)

    def put(self, char: str) -> None:
        size = get_character_cell_size(char)
        if size == 0 or self.column + size > self.width:
            return
        line = self.cells[self.row]
        for at in range(self.column, self.column + size):
            if line[at] == "":  # the right half of a wide character: the whole is gone
                line[at - 1] = " "
            elif at + 1 < self.width and line[at + 1] == "":
                line[at + 1] = " "
            line[at] = " "
        line[self.column] = char
        if size == 2:
            line[self.column + 1] = ""
        self.column += size

    def text(self) -> str:
        return "\n".join("".join(line) for line in self.cells)


def _record(app: FieldcaseApp) -> list[str]:
    """What the app writes to the terminal (Pilot's headless driver writes nothing)."""
    written: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            written.append(renderable.render_segments(app.console))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return written


async def test_a_toast_over_the_panes_keeps_its_chinese(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    written = _record(app)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause()
        for message in MESSAGES:
            app.notify(message, timeout=60)
        await pilot.pause(0.2)
        full = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert full.count(WIDE) == 44
        await pilot.press("down", "down", "n", "t", "end")  # the reader beneath repaints, in part
        await pilot.pause(0.2)
    terminal = Terminal(140, 40)
    for data in written:
        terminal.feed(data)
    shown = terminal.text()
    assert shown.count(WIDE) == 44, shown


TOAST_APP = """
from textual.containers import Horizontal
from textual.widgets import Static
from fieldcase.tui.app import FieldcaseApp  # installs the fix
from textual.app import App

class Panes(App):
    CSS = "Static { width: 1fr; border: round red; height: 1fr; }"

    def compose(self):
        with Horizontal():
            for _ in range(7):
                yield Static("")

    def on_mount(self):
        for message in MESSAGES:
            self.notify(message, timeout=60)
        self.ticks = 0
        self.set_interval(0.1, self.tick)

    def tick(self):
        self.ticks += 1
        self.query(Static)[4].update(f"repainted {self.ticks}" + "." * (self.ticks % 9))

Panes().run()
"""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_in_tmux_a_toast_keeps_its_chinese(tmp_path: Path):
    """The same in a real terminal: a toast over seven bordered panes, one of them repainting."""
    script = tmp_path / "toast_app.py"
    script.write_text(f"MESSAGES = {MESSAGES!r}\n" + TOAST_APP, "utf-8")
    session = f"fieldcase-test-{uuid.uuid4().hex[:8]}"
    # without COLUMNS and LINES, which a tmux server started from pytest hands its panes (80
    # and 24) and which Rich would take for the terminal's size
    command = f"env -u COLUMNS -u LINES {sys.executable} {script}; sleep 60"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "20", command], check=True)
    try:
        screen = ""
        for _ in range(150):
            time.sleep(0.1)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True).stdout
            if "repainted 12" in screen:  # toasts shown and a second of partial repaints beneath them
                break
        assert "repainted" in screen, screen
        assert screen.count(WIDE) == 44, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
