"""Codebook speed: merging a REFI-QDA .qdc of 1k, 10k and 100k codes, listing and
exporting it, beside an honest floor measured in the same run on the same file (parsing
it with defusedxml, then one executemany of the same rows into a bare table).

Run by hand:  .venv/bin/python benchmarks/bench_codebook.py [--sizes 1000 10000 100000] [--tui 1000 10000]

With --tui it also opens the workspace's codebook room on each of those sizes, beside a bare
Textual app filling a Tree with the same codes (its floor).

Import time per code should stay flat as the codebook grows (it was quadratic: 10k codes
took 89 s, 100k never finished); the ratio says what the change log, key making and
checks cost over the bare parse and insert.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import tempfile
import time
import uuid
from contextlib import redirect_stdout
from pathlib import Path
from xml.sax.saxutils import quoteattr

from fieldcase.exchange.qdc import NS, export_codebook, import_codebook
from fieldcase.store import codes
from fieldcase.store.project import init_project

FANOUT = 10  # children per code: a top code holds 10 codes of 10 codes each


def write_qdc(path: Path, size: int) -> None:
    """A codebook of ``size`` codes three levels deep, with bilingual names, descriptions,
    keywords and colours, as NVivo or ATLAS.ti would write it."""
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{NS}" origin="bench">\n<Codes>\n']
    made = 0

    def code(label: str, close: bool) -> None:
        nonlocal made
        made += 1
        name = quoteattr(f"返乡动因{made} / Return motive {label}")
        out.append(f'<Code guid="{uuid.uuid4()}" name={name} isCodable="true" color="#4E79A7">'
                   f"<Description>为什么回来。\n\nInclude: the returnee says why ({label})\n"
                   f"Keywords: 回来{made}, motive{made}</Description>" + ("</Code>\n" if close else "\n"))

    while made < size:
        code(f"t{made}", close=False)
        for i in range(FANOUT):
            if made >= size:
                break
            code(f"c{made}", close=False)
            for j in range(FANOUT):
                if made >= size:
                    break
                code(f"g{made}.{i}.{j}", close=True)
            out.append("</Code>\n")
        out.append("</Code>\n")
    out.append("</Codes>\n</CodeBook>\n")
    path.write_text("".join(out), encoding="utf-8")


def floor(qdc: Path, db_path: Path) -> float:
    """Parse the file with defusedxml and insert its codes with one executemany; seconds."""
    from defusedxml.ElementTree import fromstring

    start = time.perf_counter()
    root = fromstring(qdc.read_bytes(), forbid_dtd=True)
    rows, stack = [], [(c, None) for c in root.find(f"{{{NS}}}Codes")]
    while stack:
        element, parent = stack.pop()
        rows.append((len(rows) + 1, element.get("guid"), element.get("name"), parent,
                     element.findtext(f"{{{NS}}}Description"), element.get("color")))
        stack.extend((child, len(rows)) for child in element.findall(f"{{{NS}}}Code"))
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE codes (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, name TEXT,"
                 " parent_id INTEGER, description TEXT, color TEXT)")
    with conn:
        conn.executemany("INSERT INTO codes VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    return time.perf_counter() - start


def timed(work, *args) -> float:  # noqa: ANN001
    start = time.perf_counter()
    work(*args)
    return time.perf_counter() - start


def listing(project_path: Path) -> None:
    """``fieldcase codes`` as a user runs it, printing into nothing."""
    from click.testing import CliRunner

    from fieldcase.cli import cli

    with redirect_stdout(io.StringIO()):
        result = CliRunner().invoke(cli, ["codes", "-p", str(project_path)])
    assert result.exit_code == 0, result.output


def run(size: int, tmp: Path) -> dict[str, float]:
    """Every measurement at one size, the floor first."""
    qdc = tmp / f"book-{size}.qdc"
    write_qdc(qdc, size)
    base = floor(qdc, tmp / f"floor-{size}.db")
    project = init_project(tmp / f"bench-{size}.fieldcase", user="bench", framework="none")
    merged = timed(import_codebook, project, qdc)
    assert project.conn.execute("SELECT count(*) FROM codes").fetchone()[0] == size
    figures = {
        "floor": base,
        "import": merged,
        "tree": timed(codes.tree, project),
        "export": timed(export_codebook, project, tmp / f"out-{size}.qdc"),
        "again": timed(import_codebook, project, qdc),  # every code matched by GUID
    }
    project.close()
    figures["listing"] = timed(listing, tmp / f"bench-{size}.fieldcase")
    return figures


async def open_room(project_path: Path) -> float:
    """Seconds from pressing b in the workspace to the codebook room shown."""
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.codebook import CodebookScreen

    app = FieldcaseApp(project_path, user="bench")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        start = time.perf_counter()
        await pilot.press("b")
        while not isinstance(app.screen, CodebookScreen):
            await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - start


async def bare_tree(project_path: Path) -> float:
    """Seconds for a bare Textual app to fill a Tree with the same codes and show it."""
    from textual.app import App
    from textual.widgets import Tree

    from fieldcase.store.project import open_project

    with open_project(project_path, user="bench") as project:
        rows = codes.tree(project)
    app = App()
    async with app.run_test(size=(120, 36)) as pilot:
        start = time.perf_counter()
        tree: Tree[dict] = Tree("codes")
        await app.screen.mount(tree)
        nodes = {}
        for row in rows:
            parent = nodes.get(row["parent_key"], tree.root)
            nodes[row["key"]] = parent.add(row["name_zh"], data=row)
        await pilot.pause()
        return time.perf_counter() - start


def tui(sizes: list[int]) -> None:
    """The codebook room's opening time at each size, against the bare Tree."""
    import asyncio

    print(f"\n{'codes':>8} {'bare Tree s':>12} {'room s':>8} {'× floor':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            qdc, path = Path(tmp) / "book.qdc", Path(tmp) / f"tui-{size}.fieldcase"
            write_qdc(qdc, size)
            with init_project(path, user="bench") as project:
                import_codebook(project, qdc)
            floor_s, room_s = asyncio.run(bare_tree(path)), asyncio.run(open_room(path))
            print(f"{size:>8,} {floor_s:>12.2f} {room_s:>8.2f} {room_s / floor_s:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--tui", type=int, nargs="*", default=[], help="sizes to open the codebook room at")
    args = parser.parse_args()
    print(f"{'codes':>8} {'floor s':>8} {'import s':>9} {'× floor':>8} {'µs/code':>8}"
          f" {'re-import':>9} {'tree s':>7} {'export s':>9} {'listing s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            f = run(size, Path(tmp))
            print(f"{size:>8,} {f['floor']:>8.2f} {f['import']:>9.2f} {f['import'] / f['floor']:>8.1f}"
                  f" {f['import'] / size * 1e6:>8.0f} {f['again']:>9.2f} {f['tree']:>7.2f}"
                  f" {f['export']:>9.2f} {f['listing']:>10.2f}")
    print("× floor: fieldcase's merge (change log, keys, checks) over parse + executemany of the same file")
    if args.tui:
        tui(args.tui)


if __name__ == "__main__":
    main()
