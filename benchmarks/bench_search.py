"""Search speed over a generated 10M-character Chinese corpus, beside same-run yardsticks.

Run by hand:  .venv/bin/python benchmarks/bench_search.py [--files 1000] [--chars 10000]
Prints the index build time against raw character-pair expansion plus insert, and the
median time of each kind of query for the matching source list and for all hits.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from fieldcase.analysis.search import search  # noqa: E402
from fieldcase.importers import import_paths  # noqa: E402
from fieldcase.store import search_index  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402

QUERIES = {
    "2-character word": "返乡",
    "4-character word": "土地流转",
    "rare word": "竹编抖音贷款",
    "phrase": '"材料 77）"',
    "English word": "homestay",
    "boolean": "合作社 NOT 电商",
}


def pair_yardstick(texts: list[str], db_path: Path) -> float:
    """Expand each text into overlapping character pairs and insert them into a plain
    FTS5 unicode61 table, the measured approach the issue names; returns seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE VIRTUAL TABLE pairs USING fts5(grams, content = '', tokenize = 'unicode61')")
    with conn:
        for text in texts:
            conn.execute("INSERT INTO pairs (grams) VALUES (?)",
                         [" ".join(a + b for a, b in zip(text, text[1:]))])
    conn.close()
    return time.perf_counter() - start


def median_ms(run, repeat: int = 21) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "search")
    args = parser.parse_args()
    folder = args.data / f"{args.files}x{args.chars}"
    total = write_corpus(folder, args.files, args.chars, english=0.02)
    print(f"corpus: {args.files} files, {total:,} characters")
    with tempfile.TemporaryDirectory() as tmp:
        project = init_project(Path(tmp) / "bench.fieldcase", user="bench", framework="none")
        import_paths(project, [folder])
        texts = [r[0] for r in project.conn.execute("SELECT text FROM sources")]
        builds = []
        for _ in range(3):
            start = time.perf_counter()
            search_index.rebuild(project)
            builds.append(time.perf_counter() - start)
        yard = min(pair_yardstick(texts, Path(tmp) / f"pairs-{i}.db") for i in range(3))
        print(f"index build: {min(builds):.2f} s; yardstick (pairs + insert): {yard:.2f} s "
              f"(ratio {min(builds) / yard:.2f})")
        print(f"{'query':<18} {'sources':>8} {'hits':>8} {'source list p50':>16} {'all hits p50':>14}")
        for label, text in QUERIES.items():
            result = search(project, text)
            listing = median_ms(lambda: search(project, text, with_hits=False))
            every = median_ms(lambda: search(project, text))
            print(f"{label:<18} {len(result.sources):>8} {len(result.hits):>8} {listing:>13.1f} ms {every:>11.1f} ms")
        colds = []
        for _ in range(5):
            search_index._CACHES.clear()  # as in a new process: no text in memory yet
            start = time.perf_counter()
            search(project, QUERIES["2-character word"])
            colds.append(time.perf_counter() - start)
        print(f"all hits of the 2-character word with no text in memory yet (a new process): "
              f"p50 {statistics.median(colds) * 1000:.0f} ms")
        project.close()


if __name__ == "__main__":
    main()
