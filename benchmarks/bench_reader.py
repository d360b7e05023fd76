"""Key latency in the source reader as the transcript grows: 20k, 200k and 800k characters of
Chinese interview with one coding per 100 characters highlighted, beside a bare Textual
TextArea (read-only, soft-wrapped) holding the same text, measured in the same run.

Run by hand:  .venv/bin/python benchmarks/bench_reader.py

Each figure is the median time from posting a key to the end of the frame that shows it,
on Textual's headless driver at 140×40 (Pilot): the key goes through the app's message
queue, the action runs, the screen is composited and rendered. Both the wall-clock time
and the process's CPU time over that interval are printed; on a machine shared with
other work the CPU time is the steadier of the two. Textual paints at most 60
frames a second, which would round every figure up to the next 16.7 ms; the frame rate is
raised (TEXTUAL_FPS) so that the figures are the work, not the wait for the next frame.
"""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_FPS", "1000")

import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript

SIZES = (20_000, 200_000, 800_000)
KEYS = {  # what is pressed, and how often (each run returns where it started)
    "cursor down": ["down"] * 20 + ["up"] * 20,
    "extend selection": ["shift+down"] * 20 + ["shift+up"] * 20,
    "page down": (["pagedown"] * 5 + ["pageup"] * 5) * 2,
}
COLOURS = ("#E06C75", "#98C379", "#61AFEF", "#C678DD", "#56B6C2", "#D19A66")


def codings(text: str, rng: random.Random) -> list[dict[str, Any]]:
    """One coding per 100 characters, 4 to 120 characters long, in six colours."""
    spans = []
    for _ in range(len(text) // 100):
        start = rng.randrange(0, len(text) - 121)
        spans.append({"start": start, "end": start + rng.randint(4, 120), "color": rng.choice(COLOURS)})
    return spans


async def latencies(make_area: Any, text: str, spans: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Median seconds from a key to its frame (wall clock, CPU), for each group of :data:`KEYS`."""
    from textual.app import App

    class Bench(App[None]):
        def compose(self) -> Any:
            yield make_area(text, spans)

    app = Bench()
    frames: list[tuple[float, float]] = []
    display = app._display  # noqa: SLF001 - the one place a frame is handed to the terminal

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), time.process_time()))

    app._display = timed_display  # type: ignore[method-assign]  # noqa: SLF001
    out: dict[str, tuple[float, float]] = {}
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        area = app.query_one("TextArea")
        area.focus()
        area.move_cursor((len(area.document.lines) // 2, 0))  # the middle of the text
        await pilot.pause()
        for label, keys in KEYS.items():
            times, cpu = [], []
            for key in keys:
                await pilot.pause(0.002)
                frames.clear()
                pressed, pressed_cpu = time.perf_counter(), time.process_time()
                await pilot.press(key)
                waited = time.perf_counter()
                while not frames:
                    if time.perf_counter() - waited > 5:
                        raise RuntimeError(f"no frame after {key!r}")
                    await asyncio.sleep(0)
                times.append(frames[0][0] - pressed)
                cpu.append(frames[0][1] - pressed_cpu)
            out[label] = (statistics.median(times), statistics.median(cpu))
    return out


def bare(text: str, spans: list[dict[str, Any]]) -> Any:
    from textual.widgets import TextArea

    return TextArea(text, read_only=True, soft_wrap=True)


def reader(text: str, spans: list[dict[str, Any]]) -> Any:
    from fieldcase.text.turns import find_turns
    from fieldcase.tui.widgets.reader import Reader

    area = Reader()

    def loaded() -> None:
        area.show_source(1, text, [t._asdict() for t in find_turns(text)])
        area.set_codings(spans)

    area.call_after_refresh(loaded)
    return area


def main() -> None:
    rng = random.Random(14)
    texts = {size: transcript(rng, size) for size in SIZES}
    spans = {size: codings(texts[size], rng) for size in SIZES}
    # the bare text areas first, before fieldcase patches Textual's wrapping for Chinese
    floor = {size: asyncio.run(latencies(bare, texts[size], spans[size])) for size in SIZES}
    ours = {size: asyncio.run(latencies(reader, texts[size], spans[size])) for size in SIZES}
    for kind, which in (("wall clock", 0), ("CPU time", 1)):
        print(f"key to frame at 140×40, median ms of {kind}: reader | bare TextArea (yardstick) | ratio")
        for label in KEYS:
            for size in SIZES:
                r, b = ours[size][label][which] * 1000, floor[size][label][which] * 1000
                print(f"  {label:17} {size:>7,} chars: {r:7.1f} | {b:7.1f} | {r / b:5.2f}×")
            r_grow = ours[SIZES[-1]][label][which] / ours[SIZES[0]][label][which]
            b_grow = floor[SIZES[-1]][label][which] / floor[SIZES[0]][label][which]
            print(f"  {label:17} 800k/20k: reader {r_grow:.2f}×, bare TextArea {b_grow:.2f}× (aim: reader ≤ 1.5×)")


if __name__ == "__main__":
    main()
