"""Workspace speed: start-up to the first frame, opening a 50,000-character transcript with
500 codings, and moving the cursor in it.

Run by hand:  .venv/bin/python benchmarks/bench_tui.py

Key timings are taken on a real pseudo-terminal, from writing the key to the app's first
output after it, starting at the first frame, so that they include the first seconds in
which jieba's dictionary loads in the background.
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
from corpus import transcript

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

# The yardstick for keys: a bare TextArea holding the same transcript, wrapped, read-only.
BARE = """
import sys
from textual.app import App
from textual.widgets import TextArea

class Bare(App):
    def compose(self):
        yield TextArea(open(sys.argv[1], encoding="utf-8").read(), read_only=True, soft_wrap=True, id="bare-area")

    def on_mount(self):
        self.query_one(TextArea).focus()
        self.notify("bare-ready")

Bare().run()
"""


def _spawn(argv: list[str]) -> tuple[int, int]:
    """Start ``argv`` on a 140×40 pseudo-terminal; returns (pid, fd)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        # An installed fieldcase has its bytecode cached; without this, a sandbox that sets
        # PYTHONDONTWRITEBYTECODE would compile every module of ours on every start.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    return pid, fd


def _stop(pid: int, fd: int) -> None:
    import os
    import signal

    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


def _read_until(fd: int, marker: bytes, start: float, limit: float = 30) -> float:
    import os
    import select

    seen = b""
    while time.perf_counter() - start < limit:
        if select.select([fd], [], [], 0.05)[0]:
            seen += os.read(fd, 1 << 16)
            if marker in seen:
                return time.perf_counter() - start
    raise RuntimeError(f"{marker!r} never appeared on the terminal")


def first_frame(argv: list[str], marker: str) -> float:
    """Seconds from starting ``argv`` on a pseudo-terminal until ``marker`` is drawn."""
    start = time.perf_counter()
    pid, fd = _spawn(argv)
    try:
        return _read_until(fd, marker.encode(), start)
    finally:
        _stop(pid, fd)


def key_latencies(argv: list[str], marker: str, keys: list[bytes], gap: float = 0.03) -> list[tuple[float, float]]:
    """Press ``keys`` on a real terminal from the first frame on; for each, (seconds since the
    first frame, seconds until the app wrote the change). Textual's Pilot cannot measure
    this: it waits for the whole process to look idle, background threads included."""
    import os
    import select

    pid, fd = _spawn(argv)
    try:
        shown = time.perf_counter()
        shown += _read_until(fd, marker.encode(), shown)
        out = []
        for key in keys:
            while select.select([fd], [], [], gap)[0]:  # let the last change finish drawing
                os.read(fd, 1 << 16)
            pressed = time.perf_counter()
            os.write(fd, key)
            if not select.select([fd], [], [], 5)[0]:
                raise RuntimeError(f"nothing was drawn after {key!r}")
            out.append((pressed - shown, time.perf_counter() - pressed))
        return out
    finally:
        _stop(pid, fd)


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


async def open_time(path: Path, source_id: int) -> float:
    """Median seconds to open the transcript in the reader, with one Pilot pause after each."""
    from fieldcase.tui.app import FieldcaseApp

    app = FieldcaseApp(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        opens = []
        for _ in range(5):
            start = time.perf_counter()
            app.screen.open_source(source_id)
            await pilot.pause()
            opens.append(time.perf_counter() - start)
    return statistics.median(opens)


def report(label: str, timings: list[tuple[float, float]]) -> None:
    latencies = sorted(t for _, t in timings)
    early = [t for at, t in timings if at < 2.5]
    print(f"{label}: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"90% {latencies[int(len(latencies) * 0.9)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms; "
          f"max in the first 2.5 s (while jieba loads) {max(early, default=0) * 1000:.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.fieldcase"
        source_id = build(path)
        fieldcase = str(Path(sys.executable).with_name("fieldcase"))
        first_frame([fieldcase, "open", "-p", str(path)], "Codebook")  # writes the bytecode caches
        frames = [first_frame([fieldcase, "open", "-p", str(path)], "Codebook") for _ in range(21)]
        print(f"`fieldcase open` to the first workspace frame on a pseudo-terminal: median "
              f"{statistics.median(frames) * 1000:.0f} ms (min {min(frames) * 1000:.0f})")
        minimal = [first_frame([sys.executable, "-c", MINIMAL], "minimal-tree") for _ in range(21)]
        print(f"  yardstick, a minimal Textual app (header, tree, text area, footer): median "
              f"{statistics.median(minimal) * 1000:.0f} ms (min {min(minimal) * 1000:.0f})")
        opened = asyncio.run(open_time(path, source_id))
        print(f"open the 50,000-character transcript with 500 codings: median {opened * 1000:.0f} ms "
              "(including one Pilot pause)")
        argv = [fieldcase, "open", "-p", str(path)]
        cursor_keys = [b"\x1b[B"] * 60 + [b"\x1b[6~"] * 20
        ours = key_latencies(argv, "Codebook", cursor_keys)
        report("cursor key to screen (down, page down) on a real terminal", ours)
        bare = key_latencies([sys.executable, "-c", BARE, str(path.parent / "long.txt")], "bare-ready", cursor_keys)
        report("  yardstick, a bare TextArea with the same transcript, same keys", bare)
        ratio = statistics.median(t for _, t in ours) / statistics.median(t for _, t in bare)
        print(f"  ratio: {ratio:.2f}× the bare TextArea (median key to screen)")
        report("unit key to screen (next turn, select sentence/turn/paragraph, jumps)",
               key_latencies(argv, "Codebook", [b"n", b"s", b"t", b"p", b"]", b"}"] * 12))


if __name__ == "__main__":
    main()
