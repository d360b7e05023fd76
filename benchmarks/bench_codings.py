"""Retrieval of one code's segments, with their text, among 200,000 codings.

Run by hand:  .venv/bin/python benchmarks/bench_codings.py [--codings 200000]
Prints the median time of fieldcase's query (each coding's stored quote, kept equal
to its span by every write) beside its yardstick measured in the same run: a plain SELECT
of the same rows and stored quotes, fetched and nothing more (the floor of any retrieval;
SQLite's substr() over the source texts, an earlier yardstick, is slower than reading the
quotes and so flattered the query). The two must return the same texts.
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
from corpus import transcript  # noqa: E402

from fieldcase.store import codings  # noqa: E402
from fieldcase.store.changes import new_uuid, now  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402


def build(path: Path, sources: int, chars: int, total: int) -> tuple[object, str]:
    """A project with the framework codebook, generated sources and random codings."""
    rng = random.Random(11)
    project = init_project(path, user="bench")
    conn = project.db.conn
    stamp = now()
    with project.change("bench", "generated sources"):
        for i in range(sources):
            text = transcript(rng, chars)
            conn.execute(
                "INSERT INTO sources (uuid, kind, title, text, text_sha256, chars, created_at, created_by,"
                " modified_at, modified_by) VALUES (?, 'interview', ?, ?, ?, ?, ?, 'bench', ?, 'bench')",
                [new_uuid(), f"interview {i}", text, f"sha-{i}", len(text), stamp, stamp],
            )
    code_ids = [r[0] for r in conn.execute("SELECT id FROM codes")]
    texts = dict(conn.execute("SELECT id, text FROM sources").fetchall())
    ids = list(texts)
    rows = []
    for _ in range(total):
        source = rng.choice(ids)
        start = rng.randrange(0, len(texts[source]) - 200)
        end = start + rng.randint(5, 200)
        quote = texts[source][start:end]
        rows.append((new_uuid(), source, rng.choice(code_ids), start, end, "bench", quote, stamp, stamp))
    with project.change("bench", "generated codings"):
        conn.executemany(
            "INSERT INTO codings (uuid, source_id, code_id, start_offset, end_offset, coder, quote,"
            " created_at, created_by, modified_at, modified_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, 'bench')",
            rows,
        )
    conn.execute("ANALYZE")
    busiest = conn.execute(
        "SELECT c.key FROM codings g JOIN codes c ON c.id = g.code_id GROUP BY c.key ORDER BY count(*) DESC"
    ).fetchone()[0]
    return project, busiest


def plain_select(project, key: str) -> list:
    """The yardstick: the same rows and their stored quotes by a plain SELECT."""
    return project.db.conn.execute(
        "SELECT g.id, g.source_id, s.title, c.key, g.start_offset, g.end_offset, g.quote, g.coder, g.memo"
        " FROM codings g JOIN codes c ON c.id = g.code_id JOIN sources s ON s.id = g.source_id"
        " WHERE c.key = ? AND g.status = 'active' ORDER BY g.source_id, g.start_offset, g.end_offset, g.id",
        [key],
    ).fetchall()


def median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project, key = build(Path(tmp) / "bench.fieldcase", args.sources, args.chars, args.codings)
        rows = codings.query(project, code=key)
        check = plain_select(project, key)
        assert [r["text"] for r in rows] == [r[6] for r in check]
        ours = median_ms(lambda: codings.query(project, code=key), args.runs)
        theirs = median_ms(lambda: plain_select(project, key), args.runs)
        print(f"{args.codings:,} codings over {args.sources:,} sources; code {key!r} has {len(rows):,} segments")
        print(f"fieldcase codings query (stored quotes):   {ours:7.1f} ms median of {args.runs}")
        print(f"plain SELECT of stored quotes (yardstick): {theirs:7.1f} ms median of {args.runs}")
        print(f"ratio: {ours / theirs:.2f}× the plain SELECT")
        project.close()


if __name__ == "__main__":
    main()
