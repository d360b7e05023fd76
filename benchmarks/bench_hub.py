"""The first push of a project to a new hub, and a later sync of new codings, each beside
COPY of the same rows into PostgreSQL with psycopg, measured in the same run.

Run by hand:  .venv/bin/python benchmarks/bench_hub.py [--sources 1000] [--codings 200000]
Needs the PostgreSQL at $FIELDCASE_TEST_PG (default postgresql://postgres@127.0.0.1/postgres):
it makes a database for the run and drops it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_merge import add_codings  # noqa: E402
from corpus import transcript  # noqa: E402

from fieldcase.exchange.hub import connect_project, sync_project  # noqa: E402
from fieldcase.hubstore.schema import init_hub  # noqa: E402
from fieldcase.store import search_index, sources  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402

SERVER = os.environ.get("FIELDCASE_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/postgres"


def build(path: Path, n_sources: int, n_codings: int, chars: int) -> object:
    project = init_project(path, user="lead", durable=False)
    rng = random.Random(5)
    with project.bulk():
        for i in range(n_sources):
            sources.add(project, {"title": f"访谈 {i}", "text": transcript(rng, chars), "kind": "interview"})
    add_codings(project, n_codings, 1, "lead")
    search_index.sync(project)
    return project


def copy_yardstick(url: str, project: object, since_id: int = 0) -> float:
    """COPY the project's coding rows (those above ``since_id``) and its texts into plain tables."""
    rows = project.conn.execute(  # type: ignore[attr-defined]
        "SELECT g.uuid, s.uuid, c.uuid, g.start_offset, g.end_offset, g.coder, g.quote, g.created_at"
        " FROM codings g JOIN sources s ON s.id = g.source_id JOIN codes c ON c.id = g.code_id WHERE g.id > ?",
        [since_id]).fetchall()
    texts = project.conn.execute("SELECT text_sha256, text FROM sources").fetchall() if not since_id else []  # type: ignore[attr-defined]
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE k (uuid text, source text, code text, s int, e int, coder text,"
                     " quote text, at text)")
        conn.execute("CREATE TEMP TABLE t (sha text, body text)")
        started = time.perf_counter()
        with conn.cursor() as cursor:
            with cursor.copy("COPY k FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.copy("COPY t FROM STDIN") as copy:
                for row in texts:
                    copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--later", type=int, default=1000)
    args = parser.parse_args()
    name = f"fcbench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(SERVER, dbname=name)
    folder = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    try:
        init_hub(url)
        started = time.perf_counter()
        project = build(folder / "p.fieldcase", args.sources, args.codings, args.chars)
        print(f"built {args.sources} sources, {args.codings} codings in {time.perf_counter() - started:.1f} s")
        floor = copy_yardstick(url, project)
        connect_project(project, url)  # type: ignore[arg-type]
        started = time.perf_counter()
        first = sync_project(project)  # type: ignore[arg-type]
        took = time.perf_counter() - started
        print(f"first push: {took:.2f} s ({first.pushed_groups} groups, {sum(first.pushed_rows.values())} rows);"
              f" COPY of the same codings and texts: {floor:.2f} s; ratio {took / floor:.1f}x")
        top = project.conn.execute("SELECT max(id) FROM codings").fetchone()[0]  # type: ignore[attr-defined]
        add_codings(project, args.later, 9, "zhao")
        later_floor = copy_yardstick(url, project, top)
        started = time.perf_counter()
        later = sync_project(project)  # type: ignore[arg-type]
        took = time.perf_counter() - started
        print(f"later sync of {args.later} new codings: {took:.2f} s ({sum(later.pushed_rows.values())} rows);"
              f" COPY of the same rows: {later_floor:.3f} s; ratio {took / later_floor:.1f}x")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB")
        project.close()  # type: ignore[attr-defined]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
