"""The code × case matrix by speaker, at real size: 200 interviews of 20,000 characters,
one case each, 20,000 codings in the speakers' turns.

Run by hand:  .venv/bin/python benchmarks/bench_matrix.py [--sources 200] [--codings 20000]
Prints the median time of ``tables.matrix(by="case")`` (each coding placed in its turn and
counted for the speaker's case, parents rolled up) beside the same run's yardstick: one SQL
GROUP BY of codings per code and linked case over the codings index, the floor for any count.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from fieldcase.analysis import tables  # noqa: E402
from fieldcase.importers import ImportOptions, import_paths  # noqa: E402
from fieldcase.store import cases, codes, sources  # noqa: E402
from fieldcase.store.changes import new_uuid, now  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402

FLOOR = (
    "SELECT g.code_id, sc.case_id, count(*) FROM codings g JOIN source_cases sc ON sc.source_id = g.source_id"
    " WHERE g.status = 'active' GROUP BY g.code_id, sc.case_id"
)


def build(folder: Path, n_sources: int, n_codings: int, chars: int):  # noqa: ANN201
    write_corpus(folder / "corpus", n_sources, chars)
    project = init_project(folder / "bench.fieldcase", user="bench", durable=False)
    with project.change("bench", "cases"):
        for i in range(n_sources):
            cases.add(project, f"case{i:04d}", writer=None)
    files = sorted((folder / "corpus").glob("interview_*.txt"))
    for i, path in enumerate(files):
        import_paths(project, [path], ImportOptions(kind="interview", cases=[f"case{i:04d}"]), index=False)
    rng = random.Random(5)
    leaves = [c["id"] for c in codes.tree(project) if c["depth"] == 2]
    stamp = now()
    listing = [(s["id"], sources.get(project, s["id"])) for s in sources.list_all(project)]
    with project.change("bench", "codings"):
        for _ in range(n_codings):
            source_id, source = rng.choice(listing)
            turn = rng.choice(source["turns"])
            start = rng.randint(turn["speech"], max(turn["speech"], turn["end"] - 12))
            end = min(turn["end"], start + rng.randint(4, 40))
            project.conn.execute(
                "INSERT OR IGNORE INTO codings (uuid, source_id, code_id, start_offset, end_offset, coder, quote,"
                " created_at, created_by, modified_at, modified_by) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, 'b', ?, 'b')",
                [new_uuid(), source_id, rng.choice(leaves), start, end, source["text"][start:end], stamp, stamp],
            )
    return project


def timed(func, runs: int) -> list[float]:  # noqa: ANN001
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        func()
        out.append(time.perf_counter() - began)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        project = build(Path(tmp), args.sources, args.codings, args.chars)
        total = project.conn.execute("SELECT count(*) FROM codings").fetchone()[0]
        print(f"built {args.sources} sources, {total:,} codings in {time.perf_counter() - began:.1f} s")
        floor = timed(lambda: project.conn.execute(FLOOR).fetchall(), args.runs)
        ours = timed(lambda: tables.matrix(project, by="case"), args.runs)
        rows = tables.matrix(project, by="case")
        top = sum(r["total"] for r in rows if "." not in r["code"])
        assert top == total, (top, total)  # every coding counted once, under its top code
        f, o = statistics.median(floor), statistics.median(ours)
        print(f"yardstick, SQL GROUP BY code × linked case: {f * 1000:8.1f} ms")
        print(f"tables.matrix(by='case'), by speaker:       {o * 1000:8.1f} ms   ratio {o / f:.1f}x")


if __name__ == "__main__":
    main()
