"""Agreement speed: two coders over sources of 20,000 characters, by character and by
sentence, beside an honest floor measured in the same run on the same project: reading the
two coders' codings and the sources' texts from the store (what any agreement must read)
and one pass of plain Python over the codings.

Run by hand:  .venv/bin/python benchmarks/bench_agreement.py [--sources 40] [--codings 200]

By character, counting is span arithmetic (never one object per character), so its ratio
to the floor should stay near that of sentences however long the texts grow.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from fieldcase.analysis.agreement import Settings, compute
from fieldcase.store import codes, codings, layers, sources
from fieldcase.store.project import init_project, open_project

SENTENCE = "那时候杭州的生意不好做，父母年纪也大了，我就回来搞土地流转。"
CODES = 30


def build(path: Path, n_sources: int, per_coder: int) -> None:
    """A project of ``n_sources`` sources of about 20,000 characters and ``per_coder``
    codings of 10–200 characters by each of li and wang in each."""
    rng = random.Random(7)
    text = "\n".join(SENTENCE * 8 for _ in range(84))  # about 20,000 characters in 84 paragraphs
    with init_project(path, user="bench", framework="none") as project:
        keys = [codes.add(project, key=f"c{i}", name_en=f"Code {i}")["key"] for i in range(CODES)]
        for n in range(n_sources):
            source_id = sources.add(project, {"title": f"s{n}", "text": f"第{n}号访谈\n{text}", "kind": "interview"})
            with project.change("bench", "codings") as w:
                for coder in ("li", "wang"):
                    for _ in range(per_coder):
                        start = rng.randrange(len(text) - 200)
                        codings.add(project, source_id, rng.choice(keys), start, start + rng.randrange(10, 200),
                                    coder=coder, writer=w)


def floor(path: Path) -> float:
    """Read what an agreement must read, and pass over the codings once."""
    with open_project(path, user="bench") as project:
        began = time.perf_counter()
        ids = layers.coded_by_each(project, ["li", "wang"])
        spans = layers.spans(project, ["li", "wang"], ids)
        size = sum(len(text) for _, text, _ in sources.texts_and_turns(project, ids))
        covered = sum(s.end - s.start for s in spans)
        assert size and covered
        return time.perf_counter() - began


def timed(path: Path, unit: str) -> tuple[float, int]:
    with open_project(path, user="bench") as project:
        began = time.perf_counter()
        result = compute(project, Settings(("li", "wang"), unit=unit))
        return time.perf_counter() - began, result.overall.units


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=40)
    parser.add_argument("--codings", type=int, default=200, help="per coder per source")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.fieldcase"
        build(path, args.sources, args.codings)
        base = min(floor(path) for _ in range(3))
        print(f"{args.sources} sources, {2 * args.sources * args.codings:,} codings, {CODES} codes")
        print(f"floor (read codings and texts, one pass): {base * 1000:8.1f} ms")
        for unit in ("char", "sentence", "paragraph"):
            took, pairs = min(timed(path, unit) for _ in range(3))
            print(f"agreement by {unit:9}: {took * 1000:8.1f} ms  {took / base:5.1f}× floor  "
                  f"({pairs:,} unit-code pairs)")


if __name__ == "__main__":
    main()
