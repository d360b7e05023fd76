"""A purge through the hub: the purging member's sync (which scrubs the hub) beside the same
sync of a plain delete of a source of the same size; another member's sync (which carries
the purge out in their copy) beside the purge run by hand plus that delete's sync; all
measured in the same run on the same hub.

Run by hand:  .venv/bin/python benchmarks/bench_hub_purge.py [--sources 200] [--codings 20000]
Needs the PostgreSQL at $FIELDCASE_TEST_PG (default postgresql://postgres@127.0.0.1/postgres):
it makes a database for the run and drops it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import build  # noqa: E402
from hubdb import scratch_hub  # noqa: E402

from fieldcase.exchange.hub import clone, connect_project, sync_project  # noqa: E402
from fieldcase.store import purge, sources  # noqa: E402
from fieldcase.store.source_purge import plan_source  # noqa: E402


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--chars", type=int, default=5000)
    args = parser.parse_args()
    with scratch_hub("bench-hub-purge-") as (url, folder):
        lead = build(folder / "lead.fieldcase", args.sources, args.codings, args.chars)
        connect_project(lead, url)  # type: ignore[arg-type]
        sync_project(lead)  # type: ignore[arg-type]
        member, _ = clone(url, folder / "member.fieldcase", "zhao")
        deleted, purged = (f"访谈 {i}" for i in (0, 1))
        per_source = [lead.conn.execute(  # type: ignore[attr-defined]
            "SELECT count(*) FROM codings WHERE source_id = (SELECT id FROM sources WHERE title = ?)", [t]
        ).fetchone()[0] for t in (deleted, purged)]
        print(f"{args.sources} sources, {args.codings} codings on the hub; the two sources hold "
              f"{per_source[0]} and {per_source[1]} codings")
        sources.delete(lead, deleted)  # type: ignore[arg-type]
        floor_push = timed(lambda: sync_project(lead))  # type: ignore[arg-type]
        floor_pull = timed(lambda: sync_project(member))
        local = timed(lambda: purge.run(lead, lambda p: plan_source(p, purged), backup=False))  # type: ignore[arg-type]
        push = timed(lambda: sync_project(lead))  # type: ignore[arg-type]
        pull = timed(lambda: sync_project(member))
        print(f"purging member's sync (scrubs the hub): {push:.2f} s; the same sync of a delete: "
              f"{floor_push:.2f} s; ratio {push / floor_push:.1f}x")
        print(f"other member's sync (erases it here, compacts the file): {pull:.2f} s; the purge run by hand "
              f"({local:.2f} s) plus the same sync of a delete ({floor_pull:.2f} s): ratio "
              f"{pull / (local + floor_pull):.1f}x")
        lead.close()  # type: ignore[attr-defined]
        member.close()


if __name__ == "__main__":
    main()
