"""Suggestion speed: 50 keywords over a generated 10M-character corpus, beside one plain
Aho–Corasick pass over the same texts with the same keywords (the yardstick).

Run by hand:  .venv/bin/python benchmarks/bench_suggest.py [--files 1000] [--chars 10000]
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
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "_data" / "search")
    args = parser.parse_args()
    folder = args.data / f"{args.files}x{args.chars}"
    total = write_corpus(folder, args.files, args.chars, english=0.02)
    import tomllib

    framework = tomllib.loads((Path(__file__).parents[1] / "fieldcase/coding/framework.toml").read_text("utf-8"))
    from_framework = [k for code in framework["codes"] for k in code["keywords_zh"][:2] + code["keywords_en"][:1]][:50]
    sets = {"50 framework keywords": from_framework, "50 keywords, 40 of them corpus words (dense)": WORDS[:40] + EXTRA}
    print(f"corpus: {args.files} files, {total:,} characters")
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


def compare(label: str, keywords: list[str], rows: list) -> None:  # noqa: ANN001
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

    print(label)
    results = {}
    for name, run in (("one Aho–Corasick pass (yardstick)", yardstick), ("suggestions, texts in memory", ours)):
        times, count = [], 0
        for _ in range(3):
            start = time.perf_counter()
            count = run()
            times.append(time.perf_counter() - start)
        results[name] = min(times)
        print(f"  {name:<36} {min(times):6.2f} s  ({count:,} matches or suggestions)")
    yard, mine = results.values()
    print(f"  ratio: {mine / yard:.2f}× the plain pass (aim: within 2.5×)")


if __name__ == "__main__":
    main()
