"""Merging two copies of a project, beside copying the same rows with plain SQL.

Run by hand:  .venv/bin/python benchmarks/bench_merge.py [--sources 1000] [--codings 200000] [--repeat 3]

Builds a base project of SOURCES interviews and half of CODINGS codings, copies it, adds
the other half as new codings on the copy, then times ``fieldcase merge`` of the copy into
the base. The yardstick, measured in the same run on another copy of the base: the same
new coding rows copied with one ``INSERT … SELECT`` from the attached other file (no
change log, no matching, no checks). Prints both, their ratio, and the peak RSS. With
``--repeat N`` each is timed N times, alternately, on fresh copies, and the best of each is
compared; CPU time is shown beside wall time (on a shared machine it varies less).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript  # noqa: E402

from fieldcase.exchange.merge import merge  # noqa: E402
from fieldcase.store import search_index, sources  # noqa: E402
from fieldcase.store.codings import context  # noqa: E402
from fieldcase.store.project import init_project, open_project  # noqa: E402


def add_codings(project: object, count: int, seed: int, user: str) -> None:
    """``count`` random codings in one change, written as the store writes codings."""
    rng = random.Random(seed)
    texts = dict(project.conn.execute("SELECT id, text FROM sources").fetchall())  # type: ignore[attr-defined]
    code_ids = [r[0] for r in project.conn.execute("SELECT id FROM codes")]  # type: ignore[attr-defined]
    ids = list(texts)
    with project.change("bench", f"{count} codings") as w:  # type: ignore[attr-defined]
        for _ in range(count):
            source = rng.choice(ids)
            start = rng.randrange(0, len(texts[source]) - 200)
            end = start + rng.randint(5, 200)
            w.insert("codings", {"source_id": source, "code_id": rng.choice(code_ids), "start_offset": start,
                                 "end_offset": end, "coder": user, "memo": None,
                                 **context(texts[source], start, end)})


def build(folder: Path, n_sources: int, n_codings: int, chars: int) -> tuple[Path, Path]:
    base = folder / "base.fieldcase"
    project = init_project(base, user="lead", durable=False)
    rng = random.Random(5)
    with project.bulk():
        for i in range(n_sources):
            sources.add(project, {"title": f"访谈 {i}", "text": transcript(rng, chars), "kind": "interview"})
    add_codings(project, n_codings // 2, 1, "lead")
    search_index.sync(project)
    project.close()
    other = folder / "other.fieldcase"
    shutil.copyfile(base, other)
    project = open_project(other, user="qian", durable=False)
    add_codings(project, n_codings - n_codings // 2, 2, "qian")
    project.close()
    return base, other


def yardstick(base: Path, other: Path, folder: Path) -> tuple[float, float]:
    """Copy the other side's new coding rows with one INSERT … SELECT; wall and CPU seconds."""
    target = folder / "yardstick.fieldcase"
    shutil.copyfile(base, target)
    conn = sqlite3.connect(target)
    conn.execute("ATTACH ? AS other", [str(other)])
    started, cpu = time.perf_counter(), time.process_time()
    with conn:
        conn.execute("INSERT INTO codings SELECT * FROM other.codings WHERE uuid NOT IN (SELECT uuid FROM codings)")
    took = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    target.unlink()
    return took


def timed_merge(base: Path, other: Path, folder: Path) -> tuple[float, float, int, int]:
    """``fieldcase merge`` of ``other`` into a fresh copy of ``base``: wall and CPU seconds,
    the new codings and the change groups new to it."""
    target = folder / "mine.fieldcase"
    shutil.copyfile(base, target)
    project = open_project(target, user="lead", durable=False)
    started, cpu = time.perf_counter(), time.process_time()
    report = merge(project, other)
    took = time.perf_counter() - started, time.process_time() - cpu
    project.close()
    shutil.rmtree(folder / "mine.fieldcase-backups", ignore_errors=True)
    target.unlink()
    return *took, report.added.get("codings", 0), report.groups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    try:
        started = time.perf_counter()
        base, other = build(folder, args.sources, args.codings, args.chars)
        print(f"built {args.sources} sources, {args.codings} codings in {time.perf_counter() - started:.1f} s")
        floors, merges = [], []
        for _ in range(args.repeat):
            floors.append(yardstick(base, other, folder))
            merges.append(timed_merge(base, other, folder))
        floor, floor_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
        took, took_cpu = min(m[0] for m in merges), min(m[1] for m in merges)
        added, groups = merges[0][2], merges[0][3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"merge: {took:.2f} s ({took_cpu:.2f} s CPU) for {added} new codings ({groups} change groups new),"
              f" best of {args.repeat}")
        print(f"INSERT … SELECT of the same rows: {floor:.2f} s ({floor_cpu:.2f} s CPU)")
        print(f"ratio: {took / floor:.1f}x wall, {took_cpu / floor_cpu:.1f}x CPU   peak RSS {peak:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
