"""Exports stay byte for byte what they were: the sample project, coded at random (a fixed
seed) with pseudonyms, exported every way; compared with files written by the code before
the exports streamed. ``FIELDCASE_REGOLD=1`` writes the files afresh (only on purpose)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fieldcase.cli import cli as command
from fieldcase.store import codes, codings, pseudonyms, sources
from fieldcase.store.project import open_project

GOLDEN = Path(__file__).parent / "data" / "exports_golden"

EXPORTS = {
    "segments.csv": ["export", "segments"],
    "segments-talent.csv": ["export", "segments", "--code", "talent"],
    "segments-case-H.csv": ["export", "segments", "--case", "H"],
    "segments-real.csv": ["export", "segments", "--no-pseudonyms"],
    "matrix-case.csv": ["export", "matrix"],
    "matrix-site.csv": ["export", "matrix", "--by", "site"],
    "matrix-gender.csv": ["export", "matrix", "--by", "attr:gender"],
    "matrix-governance-coder.csv": ["export", "matrix", "--code", "governance", "--coder", "li"],
    "matrix-overlap.csv": ["export", "matrix", "--by", "overlap"],
    "summary.md": ["export", "summary", "--format", "md"],
    "summary-site.html": ["export", "summary", "--format", "html", "--site", "X village"],
    "summary-talent-interviews.md": ["export", "summary", "--format", "md", "--code", "talent", "--kind", "interview"],
    "summary-case-H-li.md": ["export", "summary", "--format", "md", "--case", "H", "--coder", "li"],
    "summary-real.md": ["export", "summary", "--format", "md", "--no-pseudonyms", "--code", "governance",
                        "--code", "value"],
}
SEARCHES = {"search-village.json": "村", "search-or.json": "合作社 OR 土地"}


@pytest.fixture
def coded_sample(sample):
    """The sample with 400 codings at random places, by two coders, and two pseudonyms."""
    rng = random.Random(14)
    with open_project(sample, user="tester") as project:
        keys = [row["key"] for row in codes.tree(project)]
        texts = {s["id"]: sources.find(project, s["id"])["text"] for s in sources.list_all(project)}
        for _ in range(400):
            source_id = rng.choice(sorted(texts))
            text = texts[source_id]
            start = rng.randrange(0, len(text) - 2)
            end = min(len(text), start + rng.randint(1, 120))
            codings.add(project, source_id, rng.choice(keys), start, end, coder=rng.choice(["tester", "li"]),
                        memo=rng.choice([None, "", "see 李玲's words", "=SUM(A1)"]))
        pseudonyms.add(project, "李玲", "L")
        pseudonyms.add(project, "刘霞", "X")
    return sample


def run_all(path: Path, out: Path) -> dict[str, bytes]:
    runner = CliRunner()
    written = {}
    for name, args in EXPORTS.items():
        result = runner.invoke(command, [*args, "--out", str(out / name), "-p", str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        # the summary says the day it was written ("as of 2026-11-30"): any day is the same
        written[name] = re.sub(rb"as of \d{4}-\d\d-\d\d", b"as of TODAY",
                               re.sub(rb"\d{4}-\d\d-\d\d(?=\D*$)", b"TODAY", (out / name).read_bytes())) \
            if name.startswith("summary") else (out / name).read_bytes()
    for name, query in SEARCHES.items():
        result = runner.invoke(command, ["search", query, "--json", "--limit", "0", "-p", str(path)],
                               catch_exceptions=False)
        assert result.exit_code == 0
        written[name] = result.stdout_bytes
    return written


def test_exports_are_unchanged(coded_sample, tmp_path):
    written = run_all(coded_sample, tmp_path)
    if os.environ.get("FIELDCASE_REGOLD"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, data in written.items():
            (GOLDEN / name).write_bytes(data)
    changed = [name for name, data in written.items() if (GOLDEN / name).read_bytes() != data]
    assert not changed, f"exports differ from before: {changed}"
