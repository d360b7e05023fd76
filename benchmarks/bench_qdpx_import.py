"""REFI-QDA project import speed: a .qdpx of 1,000 sources and 200,000 codings (NVivo's way
of counting, emoji and CRLF in every text) imported into a new project, beside the honest
floor measured in the same run on the same file: opening the zip, reading every text and
parsing ``project.qde`` with lxml alone (every element visited): the issue's yardstick. A
second floor adds what any import must do beyond parsing: the same codings inserted with one
executemany into a bare table shaped and indexed as fieldcase's ``codings`` (no change log,
no positions converted, no checks).

Run by hand:  .venv/bin/python benchmarks/bench_qdpx_import.py [--sources 1000] [--codings 200000]

The issue asks for the import within 3x of the floor; the ratio printed is import / floor.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from fieldcase.exchange.qdpx.import_project import import_qdpx
from fieldcase.store.project import init_project

WORDS = ["土地", "流转", "合作社", "返乡", "the", "village", "cooperative", "said", "😀", "𠀀", "land", "money"]


def make_text(rng: random.Random, chars: int) -> str:
    """A text of about ``chars`` characters in CRLF lines, with emoji and CJK Extension B."""
    lines, size = [], 0
    while size < chars:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        lines.append(line)
        size += len(line) + 2
    return "\r\n".join(lines)


def write_qdpx(path: Path, n_sources: int, n_codings: int, seed: int = 7) -> None:
    """A project as NVivo writes one: BOM'd UTF-8 texts under Sources/, UTF-16 positions."""
    rng = random.Random(seed)
    code_guids = [str(uuid.uuid4()) for _ in range(100)]
    per_source = n_codings // n_sources
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="bench" '
             'origin="NVivo for Windows 12.6">\n<Users><User guid="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645" name="Li"/>'
             '</Users>\n<CodeBook><Codes>\n']
    parts += [f'<Code guid="{g}" name="code {i}" isCodable="true" color="#4E79A7"/>\n' for i, g in enumerate(code_guids)]
    parts.append("</Codes></CodeBook>\n<Sources>\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for s in range(n_sources):
            guid = str(uuid.uuid4())
            text = make_text(rng, 5000)
            z.writestr(f"Sources/{guid}.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
            units = len(text.encode("utf-16-le")) // 2
            parts.append(f'<TextSource guid="{guid}" name="source {s}" plainTextPath="internal://{guid}.txt">\n')
            for _ in range(per_source):
                start = rng.randrange(0, units - 200)
                end = start + rng.randint(5, 200)
                parts.append(f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{start}" endPosition="{end}" '
                             f'creatingUser="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645"><Coding guid="{uuid.uuid4()}">'
                             f'<CodeRef targetGUID="{rng.choice(code_guids)}"/></Coding></PlainTextSelection>\n')
            parts.append("</TextSource>\n")
        parts.append("</Sources>\n</Project>\n")
        z.writestr("project.qde", "".join(parts).encode("utf-8"))


def floor(path: Path) -> float:
    """Open the zip, read every entry, parse project.qde with lxml and visit every element."""
    start = time.perf_counter()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".qde"):
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
                sum(1 for _ in root.iter())
    return time.perf_counter() - start


def floor_with_rows(path: Path, db_path: Path) -> float:
    """:func:`floor`, then every selection's coding inserted into a bare indexed table."""
    import sqlite3

    start = time.perf_counter()
    ns = "{urn:QDA-XML:project:1.0}"
    rows = []
    with zipfile.ZipFile(path) as z:
        texts = {n: z.read(n) for n in z.namelist() if not n.endswith(".qde")}
        root = etree.fromstring(z.read("project.qde"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                       huge_tree=True))
    for number, source in enumerate(root.iter(f"{ns}TextSource")):
        for selection in source.iter(f"{ns}PlainTextSelection"):
            for coding in selection.iter(f"{ns}Coding"):
                rows.append((coding.get("guid"), number, coding.find(f"{ns}CodeRef").get("targetGUID"),
                             int(selection.get("startPosition")), int(selection.get("endPosition")), "Li"))
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE codings (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, source_id INTEGER,"
                 " code_id TEXT, start_offset INTEGER, end_offset INTEGER, coder TEXT)")
    conn.execute("CREATE UNIQUE INDEX codings_once ON codings (source_id, code_id, coder, start_offset, end_offset)")
    conn.execute("CREATE INDEX codings_code ON codings (code_id, source_id, start_offset)")
    conn.execute("CREATE INDEX codings_source ON codings (source_id, start_offset)")
    with conn:
        conn.executemany("INSERT OR IGNORE INTO codings (uuid, source_id, code_id, start_offset, end_offset, coder)"
                         " VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    assert texts
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "bench.qdpx"
        write_qdpx(archive, args.sources, args.codings)
        base = floor(archive)
        with_rows = floor_with_rows(archive, Path(folder) / "bare.db")
        project = init_project(Path(folder) / "p.fieldcase", user="bench", framework="none")
        start = time.perf_counter()
        report = import_qdpx(project, archive)
        took = time.perf_counter() - start
        project.close()
        size = archive.stat().st_size
    print(f"{args.sources:,} sources, {report.added.get('codings', 0):,} codings, {size / 2**20:.1f} MiB archive")
    print(f"floor: unzip + lxml parse:                  {base:.2f} s")
    print(f"floor: that + bare indexed insert of codings: {with_rows:.2f} s")
    print(f"fieldcase qdpx import:                      {took:.2f} s   {took / base:.1f}x the parse, "
          f"{took / with_rows:.1f}x parse + insert")


if __name__ == "__main__":
    main()
