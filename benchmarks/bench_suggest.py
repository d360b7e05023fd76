"""Suggestion speed: 50 keywords over generated transcripts (4M characters, "1×", by
default), beside one plain Aho–Corasick pass (pyahocorasick) over the same texts with the
same keywords, measured in the same run (the yardstick; aim: within 5×). Both are timed in
CPU seconds of this process (``time.process_time``): the matching is single-threaded and
CPU-bound, and on a shared machine wall-clock time swings with the neighbours' load.

Run by hand:  .venv/bin/python benchmarks/bench_suggest.py [--files 400] [--chars 10000]
``measure_suggest(rows, keywords)`` returns the figures for other scripts (bench_scale).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import WORDS, write_corpus  # noqa: E402

from fieldcase.analysis.suggest import suggest  # noqa: E402
from fieldcase.importers import import_paths  # noqa: E402
from fieldcase.store import codes, sources  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402
from fieldcase.text.fold import fold  # noqa: E402
from fieldcase.text.suggest import Matcher, suggest_text  # noqa: E402

EXTRA = ["土地经营权流转", "返乡创业", "乡贤理事会", "homestay", "village committee", "returnee",
         "集体经济组织", "宅基地改革", "直播带货", "数字乡村"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "search")
    args = parser.parse_args()
    folder = args.data / f"{args.files}x{args.chars}"
    total = write_corpus(folder, args.files, args.chars, english=0.02)
    import tomllib

    framework = tomllib.loads((Path(__file__).parents[1] / "fieldcase/coding/framework.toml").read_text("utf-8"))
    from_framework = [k for code in framework["codes"] for k in code["keywords_zh"][:2] + code["keywords_en"][:1]][:50]
    sets = {"50 framework keywords": from_framework, "50 keywords, 40 of them corpus words (dense)": WORDS[:40] + EXTRA}
    print(f"corpus: {args.files} files, {total:,} characters ({total / 4e6:.1f}× of 4M)")
    with tempfile.TemporaryDirectory() as tmp:
        project = init_project(Path(tmp) / "bench.fieldcase", user="bench", framework="none")
        import_paths(project, [folder])
        ids = [r[0] for r in project.conn.execute("SELECT id FROM sources ORDER BY id")]
        rows = sources.texts_and_turns(project, ids)
        for label, keywords in sets.items():
            compare(label, keywords, rows)
        for i in range(10):
            codes.add(project, name=f"code {i}", key=f"c{i}", keywords=from_framework[i * 5 : i * 5 + 5])
        start = time.perf_counter()
        found = suggest(project)
        print(f"fieldcase suggest end to end, framework keywords (read, match, store {len(found):,}): "
              f"{time.perf_counter() - start:.2f} s")
        project.close()


def measure_suggest(rows: list, keywords: list[str], runs: int = 5) -> dict[str, float]:  # noqa: ANN001
    """Best-of-``runs`` CPU seconds of suggestions over ``(id, text, turns)`` rows in memory and
    of one Aho–Corasick pass with the same keywords over the same texts, and their ratio."""
    import ahocorasick

    def yardstick() -> int:
        automaton = ahocorasick.Automaton()
        for k in keywords:
            automaton.add_word(k, k)
        automaton.make_automaton()
        return sum(1 for _, text, _ in rows for _ in automaton.iter(text))

    def ours() -> int:
        keyed: dict[str, list[int]] = {}
        for i, k in enumerate(keywords):
            keyed.setdefault(fold(k, variants=True), []).append(1 + i // 5)
        matcher = Matcher(keyed)
        names = {c: f"c{c}" for c in range(1, 12)}
        return sum(len(suggest_text(i, text, turns, matcher, names)) for i, text, turns in rows)

    best: dict[str, float] = {}
    for _ in range(runs):
        for name, run in (("yardstick", yardstick), ("suggest", ours)):
            start = time.process_time()
            best[name.replace("suggest", "found").replace("yardstick", "matches")] = run()
            took = time.process_time() - start
            best[name + "_s"] = min(best.get(name + "_s", took), took)
    return best | {"ratio": best["suggest_s"] / best["yardstick_s"]}


def compare(label: str, keywords: list[str], rows: list) -> None:  # noqa: ANN001
    m = measure_suggest(rows, keywords)
    print(label)
    print(f"  one Aho–Corasick pass (yardstick)    {m['yardstick_s']:6.2f} s  ({m['matches']:,.0f} matches)")
    print(f"  suggestions, texts in memory         {m['suggest_s']:6.2f} s  ({m['found']:,.0f} suggestions)")
    print(f"  ratio: {m['ratio']:.2f}× the plain pass (aim: within 5×)")


if __name__ == "__main__":
    main()
