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
import sys
from pathlib import Path
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.workspace import WorkspaceScreen

mounted = WorkspaceScreen.on_mount

def on_mount(self):
    mounted(self)
    self.app.call_after_refresh(self.app.exit)  # exit once the first workspace frame is drawn

WorkspaceScreen.on_mount = on_mount
FieldcaseApp(Path(sys.argv[1])).run(headless=True, size=(140, 40))
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
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", FIRST_FRAME, str(path)], check=True, capture_output=True, timeout=60)
            runs.append(time.perf_counter() - start)
        print(f"start-up to first frame (new process, headless, whole run): median {statistics.median(runs) * 1000:.0f} ms"
              f" (min {min(runs) * 1000:.0f})")
        bare = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - start)
        print(f"  of which a bare Python start: median {statistics.median(bare) * 1000:.0f} ms")
        opened, moves, units = asyncio.run(in_app(path, source_id))
        print(f"open the 50,000-character transcript with 500 codings: median {opened * 1000:.0f} ms")
        print(f"cursor key (down, page down), including the pilot's own round trip: median "
              f"{statistics.median(moves) * 1000:.1f} ms, max {max(moves) * 1000:.1f} ms")
        print(f"unit keys (next turn, select sentence/turn/paragraph, jumps): median "
              f"{statistics.median(units) * 1000:.1f} ms, max {max(units) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
