"""Workspace speed: start-up to the first frame, opening a 50,000-character transcript with
500 codings, and moving the cursor in it.

Run by hand:  .venv/bin/python benchmarks/bench_tui.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript  # noqa: E402

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, TextArea, Tree

class Minimal(App):
    def compose(self):
        yield Header()
        yield Tree("minimal-tree")
        yield TextArea("text")
        yield Footer()

Minimal().run()
"""


def first_frame(argv: list[str], marker: str) -> float:
    """Seconds from starting ``argv`` on a 140×40 pseudo-terminal until ``marker`` is drawn."""
    import fcntl
    import os
    import pty
    import select
    import signal
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    seen = b""
    try:
        while time.perf_counter() - start < 30:
            if select.select([fd], [], [], 0.05)[0]:
                seen += os.read(fd, 1 << 16)
                if marker.encode() in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} never appeared on the terminal")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def build(path: Path) -> int:
    """A project with one 50,000-character interview and 500 codings; returns its id."""
    from fieldcase.importers import import_paths
    from fieldcase.store import codes, codings
    from fieldcase.store.project import init_project

    rng = random.Random(5)
    text_path = path.parent / "long.txt"
    text_path.write_text(transcript(rng, 50_000), encoding="utf-8")
    with init_project(path, user="bench") as project:
        (result,) = import_paths(project, [text_path])
        keys = [c["key"] for c in codes.tree(project)]
        text = codings.sources.find(project, result.id)["text"]
        with project.change("bench", "500 codings"):
            made = 0
            while made < 500:
                start = rng.randrange(0, len(text) - 120)
                _, created = codings.add(project, result.id, rng.choice(keys), start, start + rng.randint(4, 120))
                made += created
        return result.id


async def in_app(path: Path, source_id: int) -> tuple[float, list[float], list[float]]:
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.widgets.reader import Reader

    app = FieldcaseApp(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        opens = []
        for _ in range(5):
            start = time.perf_counter()
            screen.open_source(source_id)
            await pilot.pause()
            opens.append(time.perf_counter() - start)
        reader = screen.query_one(Reader)
        reader.focus()
        moves = []
        for key in ["down"] * 40 + ["pagedown"] * 10:
            start = time.perf_counter()
            await pilot.press(key)
            moves.append(time.perf_counter() - start)
        units = []
        for key in ["n", "s", "t", "p", "]", "}"] * 8:
            start = time.perf_counter()
            await pilot.press(key)
            units.append(time.perf_counter() - start)
    return statistics.median(opens), moves, units


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.fieldcase"
        source_id = build(path)
        fieldcase = str(Path(sys.executable).with_name("fieldcase"))
        frames = [first_frame([fieldcase, "open", "-p", str(path)], "Codebook") for _ in range(11)]
        print(f"`fieldcase open` to the first workspace frame on a pseudo-terminal: median "
              f"{statistics.median(frames) * 1000:.0f} ms (min {min(frames) * 1000:.0f})")
        minimal = [first_frame([sys.executable, "-c", MINIMAL], "minimal-tree") for _ in range(11)]
        print(f"  yardstick, a minimal Textual app (header, tree, text area, footer): median "
              f"{statistics.median(minimal) * 1000:.0f} ms (min {min(minimal) * 1000:.0f})")
        opened, moves, units = asyncio.run(in_app(path, source_id))
        print(f"open the 50,000-character transcript with 500 codings: median {opened * 1000:.0f} ms")
        print(f"cursor key (down, page down), including the pilot's own round trip: median "
              f"{statistics.median(moves) * 1000:.1f} ms, max {max(moves) * 1000:.1f} ms")
        print(f"unit keys (next turn, select sentence/turn/paragraph, jumps): median "
              f"{statistics.median(units) * 1000:.1f} ms, max {max(units) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
