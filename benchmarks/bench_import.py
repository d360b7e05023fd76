"""Import and index speed at 200 interviews of 20,000 characters (4M, "1×") or any size,
each beside a floor measured in the same run.

Run by hand:  .venv/bin/python benchmarks/bench_import.py [--files 400] [--chars 10000] [--runs 3]

Floors: importing against reading the files and inserting them with one executemany;
the index build (``search_index.sync``) and import + index against the same texts
expanded into overlapping character pairs and inserted into a plain FTS5 ``unicode61``
table (issue 14's yardstick, as in bench_search). The texts inserted as they are into a
``unicode61`` table are printed too: it tokenises a Chinese run as one word, so it is a
floor no pair index can reach. ``measure_index`` and ``measure_import`` return the
figures for other scripts (bench_scale).
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
from fieldcase.store import search_index, sources  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402


def read_and_insert(folder: Path, db_path: Path) -> float:
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


def fts_floor(texts: list[str], db_path: Path, *, pairs: bool = True) -> float:
    """Insert the texts (as overlapping character pairs, or as they are) into a plain
    contentless FTS5 ``unicode61`` table in one transaction; returns seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE VIRTUAL TABLE pairs USING fts5(grams, content = '', tokenize = 'unicode61')")
    with conn:
        for text in texts:
            conn.execute("INSERT INTO pairs (grams) VALUES (?)",
                         [" ".join(a + b for a, b in zip(text, text[1:])) if pairs else text])
    conn.close()
    return time.perf_counter() - start


def measure_index(texts: list[str], runs: int = 1) -> dict[str, float]:
    """Seconds to index ``texts`` as sources of a new project (best of ``runs``), beside the
    pair floor and the raw-text floor measured in the same run, and the ratio to the first
    (in wall-clock and in CPU seconds)."""
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            project = init_project(Path(tmp) / f"index-{run}.fieldcase", user="bench", framework="none")
            for i, text in enumerate(texts):
                sources.add(project, {"title": f"text {i}", "text": text, "kind": "interview"})
            start, cpu = time.perf_counter(), time.process_time()
            search_index.sync(project)
            figures = {"index_s": time.perf_counter() - start, "index_cpu_s": time.process_time() - cpu}
            cpu = time.process_time()
            figures["floor_s"] = fts_floor(texts, Path(tmp) / f"pairs-{run}.db")
            figures["floor_cpu_s"] = time.process_time() - cpu
            figures["raw_floor_s"] = fts_floor(texts, Path(tmp) / f"raw-{run}.db", pairs=False)
            project.close()
            for key, value in figures.items():
                best[key] = min(best.get(key, value), value)
    return best | {"chars": float(sum(map(len, texts))), "ratio": best["index_s"] / best["floor_s"],
                   "cpu_ratio": best["index_cpu_s"] / best["floor_cpu_s"]}


def measure_import(folder: Path, runs: int = 1) -> dict[str, float]:
    """Seconds to import a folder into a new project and then index it (best of ``runs``),
    beside reading + executemany and the pair floor over the stored texts, in the same run."""
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            project = init_project(Path(tmp) / f"fc-{run}.fieldcase", user="bench", framework="none")
            start = time.perf_counter()
            results = import_paths(project, [folder], index=False)
            imported = time.perf_counter()
            search_index.sync(project)
            indexed = time.perf_counter()
            assert all(r.status == "imported" for r in results), [r.error for r in results if r.error][:3]
            texts = [r[0] for r in project.conn.execute("SELECT text FROM sources ORDER BY id")]
            project.close()
            figures = {"import_s": imported - start, "index_s": indexed - imported, "both_s": indexed - start,
                       "read_insert_s": read_and_insert(folder, Path(tmp) / f"baseline-{run}.db"),
                       "floor_s": fts_floor(texts, Path(tmp) / f"pairs-{run}.db")}
            for key, value in figures.items():
                best[key] = min(best.get(key, value), value)
    return best | {"chars": float(sum(map(len, texts))), "ratio": best["both_s"] / best["floor_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--chars", type=int, default=10_000, help="characters per file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "import")
    args = parser.parse_args()
    folder = args.data / f"{args.files}x{args.chars}"
    total = write_corpus(folder, args.files, args.chars)
    print(f"corpus: {args.files} files, {total:,} characters ({total / 4e6:.1f}× of 4M); best of {args.runs} runs")
    m = measure_import(folder, args.runs)
    print(f"import alone:   {m['import_s']:6.2f} s   floor read + executemany {m['read_insert_s']:6.2f} s"
          f"   ratio {m['import_s'] / m['read_insert_s']:.2f}")
    print(f"index alone:    {m['index_s']:6.2f} s   floor pairs into FTS5 unicode61 {m['floor_s']:6.2f} s"
          f"   ratio {m['index_s'] / m['floor_s']:.2f}  (aim ≤ 2)")
    print(f"import + index: {m['both_s']:6.2f} s   same floor"
          f"                      ratio {m['ratio']:.2f}  (aim ≤ 2.5)")
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
    i = measure_index(texts, args.runs)
    print(f"index of stored texts (measure_index): {i['index_s']:6.2f} s   pair floor {i['floor_s']:6.2f} s"
          f"   ratio {i['ratio']:.2f};  raw texts into unicode61 {i['raw_floor_s']:.2f} s"
          f" (ratio {i['index_s'] / i['raw_floor_s']:.2f})")
    print(f"  the same in CPU seconds (steadier on a shared machine): index {i['index_cpu_s']:.2f} s,"
          f" pair floor {i['floor_cpu_s']:.2f} s, ratio {i['cpu_ratio']:.2f}")


if __name__ == "__main__":
    main()
