"""Word case chapter speed: a chapter of 1,000 quotes (aim: under 2 s), beside its
yardstick measured in the same run: python-docx itself writing the same quotes, a heading
per code and a paragraph per quote with its citation, into a blank document.

Run by hand:  .venv/bin/python benchmarks/bench_docx.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import transcript  # noqa: E402

from fieldcase.importers import ImportOptions, import_paths  # noqa: E402
from fieldcase.reports.case_report import write_case  # noqa: E402
from fieldcase.store import cases, codes, codings, sites  # noqa: E402
from fieldcase.store.project import init_project  # noqa: E402


def plain_docx(rows: list[dict], path: Path) -> None:
    """The same quotes as python-docx writes them with nothing of ours: a heading per code,
    a paragraph per quote and its citation."""
    import docx

    document = docx.Document()
    document.add_heading("H", level=1)
    last = None
    for row in sorted(rows, key=lambda r: (r["code_key"], r["source_id"], r["start"])):
        if row["code_key"] != last:
            document.add_heading(row["code_name_zh"] or row["code_key"], level=2)
            last = row["code_key"]
        document.add_paragraph(f"“{row['text']}”（{row['source_title']}）", style="Quote")
    document.save(path)


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = init_project(folder / "bench.fieldcase", user="bench")
        sites.add(project, "X village")
        cases.add(project, "H", site="X village", attrs={"gender": "male", "return_year": 2012})
        paths = []
        for i in range(10):
            path = folder / f"h{i}.txt"
            path.write_text(transcript(rng, 20_000), encoding="utf-8")
            paths.append(path)
        results = import_paths(project, paths, ImportOptions(site="X village", cases=["H"]))
        keys = [c["key"] for c in codes.tree(project) if c["depth"] > 0]
        made = 0
        with project.change("bench", "1,000 codings"):
            while made < 1000:
                result = rng.choice(results)
                text = codings.sources.find(project, result.id)["text"]
                start = rng.randrange(0, len(text) - 200)
                _, created = codings.add(project, result.id, rng.choice(keys), start, start + rng.randint(20, 160))
                made += created
        times = []
        for run in range(5):
            start = time.perf_counter()
            write_case(project, folder / f"chapter{run}.docx", "docx", case="H")
            times.append(time.perf_counter() - start)
        size = (folder / "chapter0.docx").stat().st_size
        print(f"Word chapter of 1,000 quotes (query, template, .docx): median {statistics.median(times):.2f} s, "
              f"best {min(times):.2f} s; {size / 1024:.0f} KiB (aim: under 2 s)")
        rows = codings.query(project)
        floor = []
        for run in range(5):
            start = time.perf_counter()
            plain_docx(rows, folder / f"plain{run}.docx")
            floor.append(time.perf_counter() - start)
        print(f"  yardstick, python-docx writing the same {len(rows):,} quotes: median "
              f"{statistics.median(floor):.2f} s; ratio {statistics.median(times) / statistics.median(floor):.2f}×")
        project.close()


if __name__ == "__main__":
    main()
