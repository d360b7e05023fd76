"""Workspace speed: start-up to the first frame, opening a 50,000-character transcript with
500 codings, and moving the cursor in it.

Run by hand:  .venv/bin/python benchmarks/bench_tui.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript  # noqa: E402

FIRST_FRAME = """
import time
t0 = time.perf_counter()
import sys
from pathlib import Path
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.workspace import WorkspaceScreen

mounted = WorkspaceScreen.on_mount

def on_mount(self):
    mounted(self)

    def drawn():  # the first workspace frame is on screen
        print(f"{time.perf_counter() - t0:.4f} {imported - t0:.4f}")
        self.app.exit()

    self.app.call_after_refresh(drawn)

imported = time.perf_counter()

WorkspaceScreen.on_mount = on_mount
FieldcaseApp(Path(sys.argv[1])).run(headless=True, size=(140, 40))
"""

MINIMAL = """
import time
t0 = time.perf_counter()
from textual.app import App
from textual.widgets import Footer, Header, TextArea, Tree

class Minimal(App):
    def compose(self):
        yield Header()
        yield Tree("tree")
        yield TextArea("text")
        yield Footer()

    def on_mount(self):
        def drawn():
            print(f"{time.perf_counter() - t0:.4f}")
            self.exit()
        self.call_after_refresh(drawn)

Minimal().run(headless=True, size=(140, 40))
"""


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
        frames, imports = [], []
        for _ in range(7):
            out = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(path)], check=True, capture_output=True,
                                 text=True, timeout=60).stdout.split()
            frames.append(float(out[-2]))
            imports.append(float(out[-1]))
        print(f"start-up to the first workspace frame (new process, headless): median "
              f"{statistics.median(frames) * 1000:.0f} ms (min {min(frames) * 1000:.0f}), "
              f"of which imports {statistics.median(imports) * 1000:.0f} ms")
        minimal = [
            float(subprocess.run([sys.executable, "-c", MINIMAL], check=True, capture_output=True, text=True,
                                 timeout=60).stdout.split()[-1])
            for _ in range(7)
        ]
        print(f"  yardstick, a minimal Textual app (header, tree, text area, footer): median "
              f"{statistics.median(minimal) * 1000:.0f} ms")
        opened, moves, units = asyncio.run(in_app(path, source_id))
        print(f"open the 50,000-character transcript with 500 codings: median {opened * 1000:.0f} ms")
        print(f"cursor key (down, page down), including the pilot's own round trip: median "
              f"{statistics.median(moves) * 1000:.1f} ms, max {max(moves) * 1000:.1f} ms")
        print(f"unit keys (next turn, select sentence/turn/paragraph, jumps): median "
              f"{statistics.median(units) * 1000:.1f} ms, max {max(units) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
