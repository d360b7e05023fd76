"""Random work on two copies (coding, uncoding, memos, renames, code deletes, text edits, the same
file imported on each), merged both ways: nothing lost, the same rows, spans true."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import INTERVIEW_TEXT
from fieldcase.exchange.merge import merge
from fieldcase.store import codes, codings, memos, sources
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text

CODES = ["land", "talent", "talent.motive", "governance"]
SECOND = "访谈者：合作社怎么样？\n受访者：我们村的合作社办得好，土地流转也顺。"
operation = st.one_of(
    st.tuples(st.just("import"), st.integers(0, len(SECOND) - 3), st.integers(1, 8)),
    st.tuples(st.just("code"), st.sampled_from(CODES), st.integers(0, 400), st.integers(2, 40)),
    st.tuples(st.just("uncode"), st.integers(0, 10)),
    st.tuples(st.just("memo"), st.text("备忘录abc", min_size=1, max_size=8)),
    st.tuples(st.just("rename"), st.sampled_from(CODES), st.text("新名字", min_size=1, max_size=4)),
    st.tuples(st.just("edit"), st.integers(0, 400), st.text("补充。", min_size=1, max_size=5)),
    st.tuples(st.just("drop"), st.sampled_from(["land", "governance"])),
)


def apply(project, op) -> None:
    source = sources.all_ids(project)[0]
    text = sources.get(project, source)["text"]
    kind = op[0]
    if kind == "import":  # the same file, imported on each laptop on its own; then coded there
        found = [r["id"] for r in project.query("SELECT id FROM sources WHERE text = ?", [SECOND])]
        second = found[0] if found else sources.add(project, {"title": "合作社访谈", "text": SECOND, "kind": "interview"})
        if "land" in keys(project):
            codings.add(project, second, "land", op[1], min(len(SECOND), op[1] + op[2]))
    elif kind == "code":
        if op[1] not in keys(project):
            return
        start = min(op[2], len(text) - 2)
        codings.add(project, source, op[1], start, min(len(text), start + op[3]))
    elif kind == "uncode":
        ids = [r["id"] for r in project.query("SELECT id FROM codings WHERE status = 'active' ORDER BY id")]
        if ids:
            codings.remove(project, ids[op[1] % len(ids)])
    elif kind == "memo":
        memos.add(project, "source", source, op[1])
    elif kind == "rename":
        if op[1] in keys(project):
            codes.update(project, op[1], {"name_zh": op[2] + op[1]})
    elif kind == "drop":
        if op[1] in keys(project):
            codes.delete(project, op[1])
    else:
        at = min(op[1], len(text))
        replace_text(project, source, text[:at] + op[2] + text[at:])


def keys(project) -> set[str]:
    return {r["key"] for r in project.query("SELECT key FROM codes")}


def uuids(project, table: str) -> set[str]:
    return {r["uuid"] for r in project.query(f'SELECT uuid FROM "{table}"')}


def names(project) -> set[tuple[str, str]]:
    return {(r["key"], r["name_zh"]) for r in project.query("SELECT key, name_zh FROM codes")}


def texts(project) -> set[str]:
    return {r["text"] for r in project.query("SELECT text FROM sources")}


def spans_true(project) -> None:
    texts = {r["id"]: r["text"] for r in project.query("SELECT id, text FROM sources")}
    for row in project.query("SELECT source_id, start_offset, end_offset, quote FROM codings WHERE status = 'active'"):
        assert texts[row["source_id"]][row["start_offset"]:row["end_offset"]] == row["quote"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=5), st.lists(operation, max_size=5))
# both sides edit the text; their coding loses its place on mine, and an orphan keeps its words
@example(ops_a=[("uncode", 2), ("edit", 0, "。"), ("code", "land", 0, 2)],
         ops_b=[("edit", 175, "。"), ("code", "talent", 95, 2)])
# the same file imported on both laptops and coded on each, with a rename on one side
@example(ops_a=[("import", 3, 4), ("rename", "land", "新")], ops_b=[("import", 10, 5), ("memo", "a")])
def test_random_work_on_two_copies_merges_both_ways_without_loss(ops_a, ops_b):
    folder = Path(tempfile.mkdtemp())
    try:
        base = init_project(folder / "base.fieldcase", user="lead")
        source = sources.add(base, {"title": "访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        codings.add(base, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
        base.close()
        shutil.copyfile(folder / "base.fieldcase", folder / "a.fieldcase")
        shutil.copyfile(folder / "base.fieldcase", folder / "b.fieldcase")
        a = open_project(folder / "a.fieldcase", user="zhao")
        b = open_project(folder / "b.fieldcase", user="qian")
        for op in ops_a:
            apply(a, op)
        for op in ops_b:
            apply(b, op)
        memo_a, memo_b = uuids(a, "memos"), uuids(b, "memos")
        # the other order, from the same two states, on copies
        a.close()
        b.close()
        shutil.copyfile(folder / "a.fieldcase", folder / "a2.fieldcase")
        shutil.copyfile(folder / "b.fieldcase", folder / "b2.fieldcase")
        a = open_project(folder / "a.fieldcase", user="zhao")
        b = open_project(folder / "b.fieldcase", user="qian")
        b2 = open_project(folder / "b2.fieldcase", user="qian")
        one_way = merge(a, b.path)
        other_way = merge(b2, folder / "a2.fieldcase")
        assert uuids(a, "codings") == uuids(b2, "codings") and uuids(a, "memos") == uuids(b2, "memos")
        assert uuids(a, "codes") == uuids(b2, "codes")
        kinds = [sorted((c["table_name"], c["row_uuid"], c["what"]) for c in r.conflicts) for r in (one_way, other_way)]
        assert kinds[0] == kinds[1]
        if not one_way.conflicts and not other_way.conflicts:
            assert names(a) == names(b2) and texts(a) == texts(b2)
        b2.close()
        merge(b, a.path)
        # every memo either side wrote is on both sides now
        assert uuids(a, "memos") == uuids(b, "memos") == memo_a | memo_b
        assert uuids(a, "codings") == uuids(b, "codings")
        assert uuids(a, "codes") == uuids(b, "codes")
        spans_true(a)
        spans_true(b)
        imported = [op for op in ops_a + ops_b if op[0] == "import"]
        for project in (a, b):  # a file both imported is one source, with both sides' codings on it
            assert len(project.query("SELECT id FROM sources WHERE text = ?", [SECOND])) == (1 if imported else 0)
        assert merge(a, b.path).nothing and merge(b, a.path).nothing
        a.close()
        b.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
