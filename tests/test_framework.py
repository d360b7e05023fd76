"""The built-in framework codebook: complete, well-formed, and loaded by init."""

from __future__ import annotations

import re
from pathlib import Path

from fieldcase.coding.framework import framework_uuid, load
from fieldcase.store import codes
from fieldcase.store.project import init_project

COPY = Path(__file__).parent / "data" / "framework.md"  # the published skeleton, kept with the tests
SHARED = Path(__file__).resolve().parents[2] / "shared" / "framework.md"


def test_every_code_has_all_its_parts():
    data = load()
    keys = [c["key"] for c in data["codes"]]
    assert len(keys) == len(set(keys)) == 38
    assert {k for k in keys if "." not in k} == {"talent", "governance", "integration", "value", "context"}
    seen = set()
    colours = set()
    for code in data["codes"]:
        assert code["parent"] == "" or code["parent"] in seen, code["key"]
        assert code["parent"] == code["key"].rpartition(".")[0]
        for field in ("name_zh", "name_en", "definition", "definition_zh", "inclusion", "exclusion", "example"):
            assert code[field].strip(), (code["key"], field)
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", code["color"])
        colours.add(code["color"].upper())
        assert code["keywords_zh"] and code["keywords_en"]
        assert all(len(k) >= 2 for k in code["keywords_zh"] + code["keywords_en"])
        seen.add(code["key"])
    assert len(colours) == 38


def test_framework_matches_the_published_skeleton():
    """Every key, Chinese and English name in framework.md's tables is in the data file."""
    skeleton = COPY.read_text("utf-8")
    if SHARED.exists():  # beside the repository (CI, developers): the copy must not drift
        assert SHARED.read_text("utf-8") == skeleton
    table_rows = re.findall(r"^\| ([a-z]+\.[a-z.]+) \| (\S+) \| ([^|]+?) \|", skeleton, re.M)
    data = {c["key"]: c for c in load()["codes"]}
    assert len(table_rows) == 33
    for key, zh, en in table_rows:
        assert (data[key]["name_zh"], data[key]["name_en"]) == (zh, en.strip())


def test_init_loads_it_with_stable_guids(tmp_path):
    with init_project(tmp_path / "a.fieldcase") as first, init_project(tmp_path / "b.fieldcase") as second:
        tree = codes.tree(first)
        assert len(tree) == 38
        motive = codes.find(first, "返乡动因")
        assert motive["key"] == "talent.motive" and motive["uuid"] == framework_uuid("talent.motive")
        assert codes.find(second, "talent.motive")["uuid"] == motive["uuid"]
        push = next(n for n in tree if n["key"] == "talent.motive.push")
        assert push["path"] == ["talent", "talent.motive", "talent.motive.push"]
        assert "城市" in push["description"] or "urban" in push["description"].lower()
        assert push["keywords"]
    with init_project(tmp_path / "c.fieldcase", framework="none") as empty:
        assert codes.tree(empty) == []
