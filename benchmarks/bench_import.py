"""Import speed: fieldcase's import against plain read + executemany of the same files.

Run by hand:  .venv/bin/python benchmarks/bench_import.py [--files 1000] [--chars 10000]
Prints characters per second for both, measured in the same run, and their ratio.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from fieldcase.importers import import_paths  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402


INDEX_TIMES: list[float] = []


def baseline(folder: Path, db_path: Path) -> float:
    """Read every file and insert its text with one executemany; returns seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT, text TEXT)")
    rows = [(p.name, p.read_text("utf-8")) for p in sorted(folder.glob("*.txt"))]
    with conn:
        conn.executemany("INSERT INTO sources (name, text) VALUES (?, ?)", rows)
    conn.close()
    return time.perf_counter() - start


def fieldcase_import(folder: Path, db_path: Path) -> tuple[float, int]:
    """Import the folder into a new project; returns seconds and the turns stored."""
    start = time.perf_counter()
    project = init_project(db_path, user="bench")
    results = import_paths(project, [folder], index=False)
    elapsed = time.perf_counter() - start
    from fieldcase.store import search_index

    begun = time.perf_counter()
    search_index.sync(project)
    INDEX_TIMES.append(time.perf_counter() - begun)
    assert all(r.status == "imported" for r in results), [r.error for r in results if r.error][:3]
    turns = project.db.execute("SELECT count(*) FROM turns").fetchone()[0]
    project.close()
    return elapsed, turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000, help="characters per file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "import")
    args = parser.parse_args()
    folder = args.data / f"{args.files}x{args.chars}"
    total = write_corpus(folder, args.files, args.chars)
    print(f"corpus: {args.files} files, {total:,} characters in {folder}")
    bases, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            bases.append(baseline(folder, Path(tmp) / f"baseline-{run}.db"))
            seconds, turns = fieldcase_import(folder, Path(tmp) / f"fc-{run}.fieldcase")
            ours.append(seconds)
    base, best = min(bases), min(ours)
    print(f"best of {args.runs} runs each")
    print(f"baseline (read + executemany): {base:6.2f} s  {total / base:12,.0f} chars/s")
    print(f"fieldcase import:              {best:6.2f} s  {total / best:12,.0f} chars/s  ({turns:,} turns)")
    print(f"ratio: {base / best:.2f} of baseline")
    print(f"then indexing the new texts for search (fieldcase import does it unless --no-index): "
          f"{min(INDEX_TIMES):.2f} s")


if __name__ == "__main__":
    main()
