"""Word cross-case chapter speed (``fieldcase export comparison``) on the bundled sample,
coded from every keyword suggestion and with a drafted summary in every cell that has
segments, beside its yardstick measured in the same run: python-docx and matplotlib by
themselves writing the same chapter's tables and paragraphs into a blank document, with a
heat map of the same counts drawn and saved at the same size and resolution.

Two measures of each: warm (in this process, imports done; median of 5) and cold (a fresh
interpreter, imports and all, as a person running the command meets it; median of 3).

Run by hand:  .venv/bin/python benchmarks/bench_comparison.py
"""

from __future__ import annotations

import json
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fieldcase.analysis import framework
from fieldcase.analysis.suggest import suggest
from fieldcase.errors import InputError
from fieldcase.importers.sample import build_sample
from fieldcase.reports.chart import cjk_font
from fieldcase.reports.comparison import build, write
from fieldcase.store import cells, codings
from fieldcase.store.project import Project, open_project

YARDSTICK = r'''
import io, json, sys, warnings
import docx
from matplotlib import font_manager
from matplotlib.figure import Figure

data = json.load(open(sys.argv[1], encoding="utf-8"))
document = docx.Document()
document.add_heading(data["title"], level=0)
for table in data["tables"]:
    made = document.add_table(rows=len(table), cols=max(len(r) for r in table))
    for row, cells in zip(table, made.rows):
        for text, cell in zip(row, cells.cells):
            cell.paragraphs[0].add_run(text)
for heading, paragraphs in data["sections"]:
    document.add_heading(heading, level=2)
    for text in paragraphs:
        document.add_paragraph(text)
figure = Figure(figsize=data["figsize"], dpi=200, layout="constrained")
axes = figure.add_subplot()
axes.imshow(data["counts"], cmap="Blues", aspect="auto")
if data["font_file"]:  # the same CJK font, even where matplotlib's font cache predates it
    font_manager.fontManager.addfont(data["font_file"])
family = [data["font"], "DejaVu Sans"] if data["font"] else ["DejaVu Sans"]
axes.set_xticks(range(len(data["columns"])), labels=data["columns"], rotation=45, ha="right", fontsize=7,
                family=family)
axes.set_yticks(range(len(data["rows"])), labels=data["rows"], fontsize=7, family=family)
buffer = io.BytesIO()
warnings.filterwarnings("ignore", message="Glyph .* missing from font")
figure.savefig(buffer, format="png")
buffer.seek(0)
document.add_picture(buffer)
document.save(sys.argv[2])
'''


def prepare(path: Path) -> tuple[Project, list[str]]:
    """The sample coded from its suggestions, every cell with segments given its draft."""
    project, _ = build_sample(path, user="bench")
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for found in suggest(project, store=False):
        spans.setdefault(found.code_key, []).append((found.source_id, found.start, found.end))
    for key, places in sorted(spans.items()):
        codings.add_many(project, key, places, coder="bench")
    sites = sorted({c.site for c in framework.build(project).cases if c.site})
    matrix = framework.build(project, sites=sites)
    for case in matrix.cases:
        for theme in matrix.themes:
            try:
                text = framework.draft(project, case.name, theme.key)
            except InputError:
                continue
            cells.write(project, case.name, theme.key, text)
    return project, sites


def yardstick_data(context: dict[str, Any]) -> dict[str, Any]:
    """What the yardstick writes: the chapter's tables, its summaries and quotes, the chart's counts."""
    tables = [[t["columns"], *t["rows"]] for t in context["profile_tables"]]
    table = context["table"]
    tables.append([["", *table["themes"]], *[[r["case"], *map(str, r["counts"])] for r in table["rows"]]])
    sections = [(theme["name"], [text for case in theme["cases"]
                                 for text in (case["summary"], *(q["text"] for q in case["quotes"])) if text])
                for dimension in context["dimensions"] for theme in dimension["themes"]]
    rows, columns = table["themes"], [r["case"] for r in table["rows"]]
    counts = [[r["counts"][i] for r in table["rows"]] for i in range(len(rows))]
    height = min(9.0, 1.2 + 0.3 * len(rows))  # a page-wide figure, a row of cells a theme
    font = cjk_font()
    font_file = None
    if font is not None:
        from matplotlib import font_manager

        font_file = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    return {"font": font, "font_file": font_file, "title": context["title"], "tables": tables, "sections": sections, "rows": rows,
            "columns": columns, "counts": counts, "figsize": [6.3, height]}


def timed(run: Any, times: int) -> float:
    taken = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        taken.append(time.perf_counter() - start)
    return statistics.median(taken)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, sites = prepare(folder / "sample.fieldcase")
        context = build(project, sites=sites)
        data = folder / "data.json"
        data.write_text(json.dumps(yardstick_data(context), ensure_ascii=False), encoding="utf-8")
        script = folder / "yardstick.py"
        script.write_text(YARDSTICK, encoding="utf-8")
        project.close()
        with open_project(folder / "sample.fieldcase", user="bench") as project:
            warm = timed(lambda: write(project, folder / "chapter.docx", "docx", sites=sites), 5)

        def bare() -> None:
            saved = sys.argv
            sys.argv = ["yardstick", str(data), str(folder / "bare.docx")]
            try:
                runpy.run_path(str(script))
            finally:
                sys.argv = saved

        floor_warm = timed(bare, 5)
        command = [sys.executable, "-m", "fieldcase", "export", "comparison", "-p", str(folder / "sample.fieldcase"),
                   *[a for s in sites for a in ("--site", s)], "--out", str(folder / "cold.docx")]
        cold = timed(lambda: subprocess.run(command, check=True, capture_output=True), 3)
        floor_cold = timed(lambda: subprocess.run([sys.executable, str(script), str(data), str(folder / "b.docx")],
                                                  check=True, capture_output=True), 3)
        themes, cases = len(context["table"]["themes"]), len(context["table"]["rows"])
        size = (folder / "chapter.docx").stat().st_size
        print(f"Word comparison of the sample ({cases} cases × {themes} themes, every cell drafted; "
              f"{size / 1024:.0f} KiB)")
        print(f"  warm (in process): export {warm:.2f} s; yardstick (python-docx + matplotlib, same tables, "
              f"text and chart) {floor_warm:.2f} s; ratio {warm / floor_warm:.2f}×")
        print(f"  cold (fresh interpreter): export {cold:.2f} s; yardstick {floor_cold:.2f} s; "
              f"ratio {cold / floor_cold:.2f}×")


if __name__ == "__main__":
    main()
