"""REFI-QDA at size (issue 17): a 1,000-source project with 200,000 codings exported as a
.qdpx and imported again, each beside its yardstick measured in the same run: writing the
same XML (and the same zip of texts) with lxml alone, and parsing it with lxml alone.
Every figure runs in a fresh process, so that its peak RSS is its own.

Run by hand:  .venv/bin/python benchmarks/bench_qdpx.py [--cache /tmp/fieldcase-bench] [--target nvivo]

The project is built once and kept under ``--cache`` (``qdpx/bench.fieldcase``).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scale import _peak_mb  # noqa: E402
from corpus import transcript  # noqa: E402

SOURCES = 1_000
CODINGS = 200  # per source: 200,000 in all
CHARS = 6_000  # per source
CASES = 20


def build(root: Path) -> Path:
    """The project (built once, then reused); returns its path."""
    folder = root / "qdpx"
    path = folder / "bench.fieldcase"
    if (folder / "build.json").exists():
        return path
    from fieldcase.store import cases, codes, sources
    from fieldcase.store.codings_bulk import Wanted, add_rows
    from fieldcase.store.project import init_project
    from fieldcase.text.normalize import normalize_text

    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("bench.fieldcase*"):
        stale.unlink()
    print(f"building: {SOURCES} sources × {CHARS:,} characters, {SOURCES * CODINGS:,} codings …", flush=True)
    rng = random.Random(17)
    project = init_project(path, user="bench", durable=False)
    with project.bulk():
        with project.change("bench", "cases and sources") as w:
            case_ids = [cases.add(project, f"受访者{i:02d}", writer=w)["id"] for i in range(CASES)]
            for i in range(SOURCES):
                text = normalize_text(transcript(rng, CHARS, english=0.1) + "\n表情😀与𠀋字。")
                sources.add(project, {"kind": "interview", "title": f"访谈 {i:04d}", "text": text},
                            case_ids=[case_ids[i % CASES]], writer=w)
        leaves = [c["key"] for c in codes.tree(project) if c["depth"] >= 1]
        for at in range(0, SOURCES, 100):
            wanted, line = [], 0
            for source_id in range(at + 1, at + 101):
                size = sources.get(project, source_id, with_text=False)["chars"]
                for k in range(CODINGS):
                    start = rng.randint(0, size - 70)
                    line += 1
                    wanted.append(Wanted(line, str(source_id), rng.choice(leaves), start, start + rng.randint(4, 60),
                                         coder=("bench", "赵")[k % 2]))
            add_rows(project, wanted, origin="bench")
    count = project.conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    project.close()
    (folder / "build.json").write_text(json.dumps({"sources": SOURCES, "codings": count}), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the measures
# Each takes the project and the folder of the run's files; returns a number to print.

def _export(path: Path, work: Path, target: str) -> int:
    from fieldcase.reports.exporting import export_qdpx
    from fieldcase.store.project import open_project

    with open_project(path, user="bench") as project:
        report = export_qdpx(project, work / "out.qdpx", target=target)
    return report.codings


def _zip_floor(work: Path, write_xml: Callable[[object, object], None]) -> float:
    """Seconds to write the archive's XML with ``write_xml(tree, stream)`` and zip the same
    texts alike (parsing the written archive first is not timed)."""
    from lxml import etree

    with zipfile.ZipFile(work / "out.qdpx") as archive:
        tree = etree.ElementTree(etree.fromstring(archive.read("project.qde"), etree.XMLParser(huge_tree=True)))
        texts = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
    start = time.perf_counter()
    with zipfile.ZipFile(work / "floor.qdpx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        with out.open("project.qde", "w", force_zip64=True) as raw:
            write_xml(tree, raw)
        for name, body in texts.items():
            out.writestr(name, body)
    return time.perf_counter() - start


def _write_floor(path: Path, work: Path, target: str) -> int:
    """The yardstick of export: the same XML written element by element with lxml's
    incremental writer (``xmlfile``), from the elements in memory, and the same texts zipped."""
    from lxml import etree

    def write(tree: object, raw: object) -> None:
        with etree.xmlfile(raw, encoding="utf-8") as xf:
            xf.write_declaration()
            root = tree.getroot()  # type: ignore[attr-defined]
            with xf.element(root.tag, dict(root.attrib), nsmap=root.nsmap):
                stack = [iter(root)]
                opened = []
                while stack:
                    child = next(stack[-1], None)
                    if child is None:
                        stack.pop()
                        if opened:
                            opened.pop().__exit__(None, None, None)
                        continue
                    context = xf.element(child.tag, dict(child.attrib))
                    context.__enter__()
                    if child.text:
                        xf.write(child.text)
                    opened.append(context)
                    stack.append(iter(child))

    _write_floor.took = _zip_floor(work, write)  # type: ignore[attr-defined]
    return 0


def _serialise_floor(path: Path, work: Path, target: str) -> int:
    """A lower bound below any writer: a finished tree serialised by lxml in one call."""
    _serialise_floor.took = _zip_floor(work, lambda tree, raw: tree.write(raw, encoding="utf-8",  # type: ignore[attr-defined]
                                                                          xml_declaration=True))
    return 0


def _import(path: Path, work: Path, target: str) -> int:
    """A new project made and the archive imported into it (the modules loaded first, as
    the floor loads lxml first)."""
    from fieldcase.exchange.qdpx.import_project import import_qdpx
    from fieldcase.store.project import init_project

    back = work / "back.fieldcase"
    for stale in work.glob("back.fieldcase*"):
        stale.unlink()
    start, cpu = time.perf_counter(), time.process_time()
    with init_project(back, user="bench", framework="none", durable=False) as project:
        report = import_qdpx(project, work / "out.qdpx")
    _import.took = time.perf_counter() - start  # type: ignore[attr-defined]
    _import.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return report.added.get("codings", 0)


# The import's parts, each timed around the function that does it (wall and CPU): label,
# module, class (or None) and function. The codings' placing is shown without their writing.
PHASES = (("open the archive", "fieldcase.exchange.qdpx.import_project", None, "open_package"),
          ("parse project.qde into the model", "fieldcase.exchange.qdpx.import_project", None, "parse"),
          ("read and map the texts", "fieldcase.exchange.qdpx.import_project", None, "read_texts"),
          ("sources: rows, turns, speakers", "fieldcase.exchange.qdpx.import_project", "_Import", "source"),
          ("codings: placing them (Python)", "fieldcase.exchange.qdpx.import_project", "_Import", "code_source"),
          ("codings: rows + log entries (SQLite)", "fieldcase.store.changes", "ChangeWriter", "insert_tuples"),
          ("fieldcase's own fields taken back", "fieldcase.exchange.qdpx.import_project", None, "take_back"),
          ("the search index of the texts", "fieldcase.store.search_index", None, "sync"))


def _import_phases(path: Path, work: Path, target: str) -> dict[str, list[float]]:
    """:func:`_import` with each of ``PHASES`` timed; returns each phase's [wall, CPU] and
    the whole import's under ``total``."""
    import functools
    import importlib

    spent: dict[str, list[float]] = {}

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                got = spent.setdefault(label, [0.0, 0.0])
                got[0] += time.perf_counter() - start
                got[1] += time.process_time() - cpu
        return run

    for label, module, owner, name in PHASES:
        home: Any = importlib.import_module(module)
        if owner:
            home = getattr(home, owner)
        setattr(home, name, timed(label, getattr(home, name)))
    _import(path, work, target)
    spent["total"] = [_import.took, _import.cpu]  # type: ignore[attr-defined]
    placing, writing = spent.get(PHASES[4][0]), spent.get(PHASES[5][0])
    if placing and writing:
        placing[0] -= writing[0]
        placing[1] -= writing[1]
    return spent


def _parse_floor(path: Path, work: Path, target: str) -> int:
    """project.qde parsed by lxml alone, and every text read and decoded."""
    from lxml import etree

    start, cpu = time.perf_counter(), time.process_time()
    with zipfile.ZipFile(work / "out.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"), etree.XMLParser(huge_tree=True))
        chars = sum(len(archive.read(n).decode("utf-8-sig")) for n in archive.namelist() if n != "project.qde")
    _parse_floor.took = time.perf_counter() - start  # type: ignore[attr-defined]
    _parse_floor.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return len(root) + chars


def _sqlite_floor(path: Path, work: Path, target: str) -> int:
    """What the import's writes cost below any code of ours: the codings the import stored
    (read back from ``back.fieldcase``) and their change-log entries, written by two bare
    ``executemany`` into a fresh project of the same schema and indexes, in one transaction
    (sources and codes copied in first, not timed)."""
    import sqlite3

    from fieldcase.store.project import init_project

    done = sqlite3.connect(work / "back.fieldcase")
    tables = {t: [r[1] for r in done.execute(f"PRAGMA table_info({t})")] for t in ("codes", "sources", "codings")}
    rows = {t: done.execute(f'SELECT {", ".join(c)} FROM {t} ORDER BY id').fetchall() for t, c in tables.items()}
    log = done.execute("SELECT group_id, seq, op, table_name, row_id, row_uuid, before, after FROM changes"
                       " WHERE table_name = 'codings' ORDER BY group_id, seq").fetchall()
    done.close()
    with init_project(work / "floor.fieldcase", user="bench", framework="none", durable=False) as project:
        conn = project.conn

        def put(table: str, got: list[Any]) -> None:
            names = tables[table]
            conn.executemany(f'INSERT INTO {table} ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})', got)

        conn.execute("BEGIN")
        conn.execute("DELETE FROM codes")
        put("codes", rows["codes"])
        put("sources", rows["sources"])
        conn.execute("INSERT INTO change_groups (id, uuid, at, user, action, summary) VALUES (?, ?, '', '', '', '')",
                     [log[0][0] if log else 1, "floor"])
        start, cpu = time.perf_counter(), time.process_time()
        put("codings", rows["codings"])
        conn.executemany("INSERT INTO changes (group_id, seq, op, table_name, row_id, row_uuid, before, after)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", log)
        conn.execute("COMMIT")
        _sqlite_floor.took = time.perf_counter() - start  # type: ignore[attr-defined]
        _sqlite_floor.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return len(rows["codings"])


MEASURES: dict[str, Callable[[Path, Path, str], Any]] = {
    "export": _export, "write-floor": _write_floor, "serialise-floor": _serialise_floor, "import": _import,
    "parse-floor": _parse_floor, "sqlite-floor": _sqlite_floor, "import-phases": _import_phases}


def measure(name: str, path: Path, work: Path, target: str) -> dict[str, float]:
    """Run one measure in a fresh process: its time and that process's peak RSS."""
    done = subprocess.run([sys.executable, __file__, "--measure", name, "--project", str(path), "--work", str(work),
                           "--target", target], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}  # type: ignore[dict-item]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure_here(name: str, path: Path, work: Path, target: str) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    result = MEASURES[name](path, work, target)
    took = getattr(MEASURES[name], "took", time.perf_counter() - start)
    cpu = getattr(MEASURES[name], "cpu", time.process_time() - cpu)  # the whole measure's when not its own
    print(json.dumps({"s": took, "cpu": cpu, "peak_mb": _peak_mb(), "n": result}))


def _why_not_3(got: dict[str, float], parse: dict[str, float], writes: dict[str, float], path: Path,
               work: Path) -> None:
    """Print by how much the import misses 3× of the parse, the floor below our code, and
    where the import's time goes (timed in a run of its own)."""
    if "error" in writes:
        print(f"         (the SQLite floor failed: {writes['error']})")
        return
    print(f"         not within 3×: {got['s'] / (3 * parse['s']):.1f}× over it (CPU {got['cpu']:.1f} s, "
          f"parse alone {parse['cpu']:.1f} s: {got['cpu'] / parse['cpu']:.1f}×)")
    print(f"         the same {writes['n']:,} codings and their log entries written by bare executemany alone: "
          f"{writes['s']:.2f} s (CPU {writes['cpu']:.1f} s) = {writes['s'] / parse['s']:.1f}× the parse;")
    print(f"         parse + those writes, no code of ours: {(parse['s'] + writes['s']) / parse['s']:.1f}×")
    phases = measure("import-phases", path, work, "")
    if "error" in phases:
        print(f"         (the import's parts could not be timed: {phases['error']})")
        return
    spent: dict[str, list[float]] = phases["n"]  # type: ignore[assignment]
    total = spent.pop("total")
    print(f"         where the import's time goes (a run of its own: {total[0]:.2f} s, CPU {total[1]:.2f} s),"
          " in multiples of the parse (wall / CPU):")
    for label, (wall, cpu) in spent.items():
        print(f"           {label:<40} {wall:6.2f} s  CPU {cpu:5.2f} s  {wall / parse['s']:4.1f}× / "
              f"{cpu / parse['cpu']:4.1f}×")
    rest = [total[0] - sum(w for w, _ in spent.values()), total[1] - sum(c for _, c in spent.values())]
    print(f"           {'the rest (project, codes, cases, commit)':<40} {rest[0]:6.2f} s  CPU {rest[1]:5.2f} s  "
          f"{rest[0] / parse['s']:4.1f}× / {rest[1] / parse['cpu']:4.1f}×")
    search = spent.get(PHASES[-1][0], [0.0, 0.0])
    print(f"         why not 3×: the parse (1×) and the bare writes of the codings and their log"
          f" ({writes['s'] / parse['s']:.1f}×) leave {max(0.0, 2 - writes['s'] / parse['s']):.1f}× for all the"
          f" rest, and indexing the texts for search alone takes {search[0] / parse['s']:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/fieldcase-bench"))
    parser.add_argument("--target", default="nvivo")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_here(args.measure, args.project, args.work, args.target)
        return
    path = build(args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for mine, floor in (("export", "write-floor"), ("import", "parse-floor")):
            got, base = measure(mine, path, work, args.target), measure(floor, path, work, args.target)
            if "error" in got or "error" in base:
                print(f"{mine:<8} {got.get('error') or base.get('error')}")
                continue
            size = (work / "out.qdpx").stat().st_size
            print(f"{mine:<8} {got['s']:7.2f} s  (lxml alone {base['s']:6.2f} s)  ratio {got['s'] / base['s']:4.1f}×  "
                  f"peak RSS {got['peak_mb']:6.0f} MB (lxml alone {base['peak_mb']:.0f} MB)  n={got['n']:,}"
                  f"  archive {size / 2**20:.1f} MiB")
            if mine == "import" and got["s"] / base["s"] > 3:
                _why_not_3(got, base, measure("sqlite-floor", path, work, args.target), path, work)
            if mine == "export":
                tree = measure("serialise-floor", path, work, args.target)
                print(f"         (a finished tree serialised in one lxml call: {tree['s']:.2f} s, "
                      f"ratio {got['s'] / tree['s']:.1f}×)")


if __name__ == "__main__":
    main()
