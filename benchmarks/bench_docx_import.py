"""Word import speed by size: 10k, 100k and 1M paragraphs, against lxml reading the same XML.

Run by hand:  .venv/bin/python benchmarks/bench_docx_import.py [--sizes 10000 100000 1000000]
For each size it prints, best of ``--runs``: the floor (unzip word/document.xml and walk it
with lxml's iterparse, the least any reader must do), fieldcase reading the document
(``read_docx``), and the whole import (read, normalise, find turns, store, index), each as
seconds, microseconds per paragraph and a ratio to the floor. Linear time shows as a
per-paragraph cost and ratios that stay put as the size grows tenfold.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_docx  # noqa: E402

from fieldcase.importers import import_paths  # noqa: E402
from fieldcase.importers.docx import read_docx  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402

PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def floor(path: Path) -> None:
    """Unzip and parse word/document.xml as a stream, letting each paragraph go (the
    usual iterparse idiom: clear it and drop the ones before it)."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as stream:
        for _, element in etree.iterparse(stream, events=("end",), tag=PARAGRAPH):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]


def read_only(path: Path) -> None:
    read_docx(path.read_bytes())


def whole_import(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = init_project(Path(tmp) / "bench.fieldcase", user="bench", framework="none")
        result = import_paths(project, [path])[0]
        assert result.status == "imported", result.error
        project.close()


def best(work: Callable[[Path], None], path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (1 for sizes over 100k)")
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "docx")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"{'paragraphs':>10}  {'MiB':>5}  {'floor (lxml)':>20}  {'read_docx':>26}  {'whole import':>26}")
    for size in args.sizes:
        path = args.data / f"interview-{size}.docx"
        if not path.exists():
            write_docx(path, size)
        runs = args.runs if size <= 100_000 else 1
        base = best(floor, path, runs)
        read = best(read_only, path, runs)
        full = best(whole_import, path, runs)
        us = 1e6 / size
        print(f"{size:>10,}  {path.stat().st_size / 2**20:5.1f}  {base:6.2f} s {base * us:5.2f} µs/p  "
              f"{read:6.2f} s {read * us:5.2f} µs/p {read / base:5.1f}x  "
              f"{full:6.2f} s {full * us:5.1f} µs/p {full / base:5.1f}x")


if __name__ == "__main__":
    main()
