"""Workspace at size: one coding action (key to updated screen) and the first frame, at 1×,
3× and 10× of a study of 200 interviews × 20,000 Chinese characters with 100 codings each.

Run by hand:  .venv/bin/python benchmarks/bench_workspace.py [1 3 10] [--project PATH]

Projects are built once into /tmp/fieldcase-bench-workspace/ (``FIELDCASE_BENCH_CACHE``)
with the store's own calls (no search index: the workspace does not need it) and reused.
Each figure is printed beside a yardstick measured in the same run:

- a coding action (``1`` applies the most recent code to a selected sentence; timed from
  the key to the screen with the new count in the code tree and the colour in the reader)
  against the same action in a project holding only the one source;
- the first frame (from starting the app to the first frame of the workspace handed to
  the terminal driver) against a bare Textual app composed of the same widget types;
- then the time until the workspace is filled (navigator, codebook, first source, every
  count), and how long that fill held the UI thread (no aim: it tells how long a key
  pressed right after the first frame would wait).

Peak RSS is the process's, read at the end (every size runs in this one process).
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript

CACHE = Path(os.environ.get("FIELDCASE_BENCH_CACHE", "/tmp/fieldcase-bench-workspace"))
INTERVIEWS, CHARS, CODINGS_EACH = 200, 20_000, 100
SIZE = (140, 40)


def build(path: Path, interviews: int, codings_each: int, seed: int = 11) -> None:
    """A project of ``interviews`` generated transcripts in 20 cases, each with
    ``codings_each`` codings spread over the default codebook (built once, then reused)."""
    from fieldcase.store import cases, codes, codings, sources
    from fieldcase.store.project import init_project
    from fieldcase.text.turns import find_turns

    done = path.with_suffix(".complete")
    if done.exists():
        return
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    rng = random.Random(seed)
    with init_project(path, user="bench") as project:
        keys = [c["key"] for c in codes.tree(project)]
        spans: dict[str, list[tuple[int, int, int]]] = {}
        with project.change("bench", "sources") as w:
            case_ids = [cases.ensure(project, f"案例{i:02d}", site_id=None, writer=w)[0] for i in range(20)]
            for i in range(interviews):
                text = transcript(rng, CHARS)
                source_id = sources.add(project, {"title": f"访谈 {i:05d}", "kind": "interview", "text": text},
                                        case_ids=[case_ids[i % 20]], turns=find_turns(text), writer=w)
                for _ in range(codings_each):
                    start = rng.randrange(0, len(text) - 80)
                    spans.setdefault(rng.choice(keys), []).append((source_id, start, start + rng.randint(4, 80)))
        for key, places in spans.items():
            codings.add_many(project, key, places)
    done.touch()


def project_path(scale: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"workspace-{scale}x.fieldcase"
    started = time.perf_counter()
    build(path, INTERVIEWS * scale, CODINGS_EACH)
    spent = time.perf_counter() - started
    if spent > 1:
        print(f"  built {path} in {spent:.0f} s", flush=True)
    return path


def empty_project() -> Path:
    """The yardstick for a coding: one interview of the same length, no codings."""
    path = CACHE / "workspace-one.fieldcase"
    build(path, 1, 0)
    return path


async def coding_times(path: Path, rounds: int = 16) -> tuple[float, float]:
    """(median seconds from the key ``1`` to the updated screen, seconds to the first frame
    under Pilot). Each round selects the next sentence (``s`` after moving down) and codes it
    with recent code 1; the round ends when the code tree shows the new count and the
    reader's highlights include the new span."""
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.widgets.code_tree import CodeTree
    from fieldcase.tui.widgets.reader import Reader

    work = path.with_name("run-" + path.name)  # the cached project stays as built
    shutil.copyfile(path, work)
    app = FieldcaseApp(work, user="bench")
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        while not app.screen.query(Reader) or app.screen.query_one(Reader).source_id is None:
            await pilot.pause(0.01)
        first = time.perf_counter() - started
        screen: object = app.screen
        reader = app.screen.query_one(Reader)
        tree = app.screen.query_one(CodeTree)
        code = tree.root.children[0].data
        screen.recent.use(code["id"])  # type: ignore[attr-defined]
        times = []
        for i in range(rounds):
            reader.move_cursor((3 + i * 2, 0))
            await pilot.press("s")
            await pilot.pause()
            span = reader.selected_span
            before = _count(tree, code["id"])
            pressed = time.perf_counter()
            await pilot.press("1")
            while _count(tree, code["id"]) == before or not any(
                    s["start"] == span[0] and s["end"] == span[1] for s in screen.segments):  # type: ignore[attr-defined]
                await pilot.pause(0)
                if time.perf_counter() - pressed > 10:
                    raise RuntimeError(f"coding {span} never showed: {_count(tree, code['id'])} vs {before}")
            await pilot.pause(0)  # the frame that shows it
            times.append(time.perf_counter() - pressed)
    return statistics.median(times[2:]), first


def _count(tree: object, code_id: int) -> int:
    node = next(n for n in tree.root.children if n.data["id"] == code_id)  # type: ignore[attr-defined]
    return int(node.data["total_codings"])


BARE = """
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static, TextArea, Tree

class Bare(App):
    def compose(self):
        yield Static("title")
        with Horizontal():
            with Vertical():
                yield Tree("sources")
                yield Tree("codes")
            yield TextArea("文本" * 2000, read_only=True)
            yield Static("details")
        yield Static("recent")
        yield Static("keys")
"""


def _first_paint(app: object, screen_name: str) -> dict[str, float]:
    """Note when ``app`` first hands a frame of a screen named ``screen_name`` to its driver."""
    seen: dict[str, float] = {}
    display = app._display  # type: ignore[attr-defined]  # (the one place a frame is written)

    def noting(screen: object, renderable: object) -> None:
        if renderable is not None and "at" not in seen and type(screen).__name__ == screen_name:
            seen["at"] = time.perf_counter()
        display(screen, renderable)

    app._display = noting  # type: ignore[attr-defined]
    return seen


async def _time_to_paint(app: object, screen_name: str) -> float:
    seen = _first_paint(app, screen_name)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        while "at" not in seen:
            await pilot.pause(0.002)
        await pilot.pause()  # (what follows the first frame, before the app closes)
    return seen["at"] - started


async def bare_first_frame() -> float:
    namespace: dict[str, object] = {}
    exec(BARE, namespace)
    return await _time_to_paint(namespace["Bare"](), "Screen")  # type: ignore[operator]


async def fieldcase_first_frame(path: Path) -> float:
    from fieldcase.tui.app import FieldcaseApp

    return await _time_to_paint(FieldcaseApp(path, user="bench"), "WorkspaceScreen")


async def fieldcase_filled(path: Path) -> tuple[float, float]:
    """(seconds from starting the app until the workspace is filled, its first source open
    and every count shown; seconds the fill after the first frame held the UI thread)."""
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.workspace import WorkspaceScreen
    from fieldcase.tui.widgets.reader import Reader

    app = FieldcaseApp(path, user="bench")
    held: list[float] = []
    fill = WorkspaceScreen._fill

    def timed(screen: WorkspaceScreen) -> None:
        began = time.perf_counter()
        fill(screen)
        held.append(time.perf_counter() - began)

    WorkspaceScreen._fill = timed  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            while not (held and app.screen.query_one(Reader).source_id is not None
                       and getattr(app.screen, "_counted", True)):
                await pilot.pause(0.002)
            filled = time.perf_counter() - started
    finally:
        WorkspaceScreen._fill = fill  # type: ignore[method-assign]
    return filled, held[0]


def verdict(ratio: float, aim: float, why: str) -> str:
    return f"aim met ({ratio:.2f}× ≤ {aim:g}×)" if ratio <= aim else \
        f"aim MISSED by {ratio / aim:.2f}× ({ratio:.2f}× against {aim:g}×): {why}"


def main() -> None:
    args = sys.argv[1:]
    given = Path(args[args.index("--project") + 1]) if "--project" in args else None
    scales = [int(a) for a in args if a.isdigit()] or ([] if given else [1, 3, 10])
    empty = empty_project()
    paths = {f"{scale}x ({INTERVIEWS * scale} interviews, {INTERVIEWS * scale * CODINGS_EACH:,} codings)":
             project_path(scale) for scale in scales}
    if given is not None:
        paths[f"{given}"] = given
    asyncio.run(bare_first_frame())  # warm imports
    asyncio.run(fieldcase_first_frame(empty))
    for label, path in paths.items():
        # each figure beside its yardstick, measured just before it (the machine's load varies)
        base_coding, _ = asyncio.run(coding_times(empty))
        coding, _ = asyncio.run(coding_times(path))
        bare, first, filled, busy = [], [], [], []
        for _ in range(5):
            bare.append(asyncio.run(bare_first_frame()))
            first.append(asyncio.run(fieldcase_first_frame(path)))
            ready, held = asyncio.run(fieldcase_filled(path))
            filled.append(ready)
            busy.append(held)
        bare_s, first_s = statistics.median(bare), statistics.median(first)
        filled_s, busy_s = statistics.median(filled), statistics.median(busy)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label}: coding {coding * 1000:.1f} ms vs {base_coding * 1000:.1f} ms in a one-source project "
              f"= {coding / base_coding:.2f}x; first frame {first_s * 1000:.0f} ms vs bare Textual "
              f"{bare_s * 1000:.0f} ms = {first_s / bare_s:.2f}x; filled with every count "
              f"{filled_s * 1000:.0f} ms (the fill held the UI thread {busy_s * 1000:.0f} ms); "
              f"peak RSS {rss:.0f} MB", flush=True)
        print(f"  coding: {verdict(coding / base_coding, 1.5, 'the reload after a coding reads more than it touched')}"
              + ("" if coding < 0.1 else f"; MISSED the 100 ms bound ({coding * 1000:.0f} ms)"))
        print(f"  first frame: {verdict(first_s / bare_s, 1.5, 'the workspace mounts more than the bare app')}")


if __name__ == "__main__":
    main()
