"""Editing a source's text keeps its codings on their words; orphans are kept and reported."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import INTERVIEW_TEXT, write
from fieldcase.store import codings, history, sources
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text


def test_fixing_a_typo_moves_codings_with_their_words(coded):
    project, source = coded
    land, _ = codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转", 2))
    motive, _ = codings.add(project, source, "talent.motive", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    fixed = INTERVIEW_TEXT.replace("2012年", "二〇一二年").replace("村民都来入股", "村民都来入了股")
    report = replace_text(project, source, fixed)
    assert (report.unchanged, report.moved) == (1, 1) and not report.orphaned and not report.changed
    assert codings.get(project, land["id"])["text"] == "土地流转"
    assert codings.get(project, motive["id"])["text"] == "父母年纪也大了"
    stored = sources.get(project, source)
    assert stored["text"] == fixed.rstrip() and stored["chars"] == len(fixed.rstrip())
    assert len(stored["turns"]) == 4 and stored["text"][stored["turns"][1]["speech"]:].startswith("二〇一二年")


def test_deleted_words_orphan_the_coding_and_undo_restores_it(coded):
    project, source = coded
    span = codings.locate_quote(INTERVIEW_TEXT, "那时候杭州的生意不好做，")
    coding, _ = codings.add(project, source, "talent.motive", *span)
    report = replace_text(project, source, INTERVIEW_TEXT.replace("那时候杭州的生意不好做，", ""))
    assert [o["id"] for o in report.orphaned] == [coding["id"]]
    orphan = codings.find(project, coding["id"])
    assert orphan["status"] == "orphaned" and orphan["quote"] == "那时候杭州的生意不好做，"
    # the words around it are kept from the text it lost its place in
    assert INTERVIEW_TEXT[:span[0]].endswith(orphan["context_before"]) and orphan["context_before"]
    assert INTERVIEW_TEXT[span[1]:].startswith(orphan["context_after"]) and orphan["context_after"]
    listed = codings.query(project, status="orphaned", with_context=True)[0]
    assert (listed["context_before"], listed["context_after"]) == (orphan["context_before"], orphan["context_after"])
    assert codings.query(project, code="talent.motive") == []
    assert codings.query(project, status="orphaned")[0]["text"] == "那时候杭州的生意不好做，"
    history.undo(project)
    back = codings.get(project, coding["id"])
    assert back["status"] == "active" and back["text"] == "那时候杭州的生意不好做，"
    assert sources.get(project, source)["text"] == INTERVIEW_TEXT.rstrip()


def test_orphan_can_be_reanchored(coded):
    project, source = coded
    coding, _ = codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "办了合作社"))
    new = INTERVIEW_TEXT.replace("办了合作社", "成立了专业合作社")
    replace_text(project, source, new)
    assert codings.find(project, coding["id"])["status"] in ("active", "orphaned")
    row = codings.reanchor(project, coding["id"], *codings.locate_quote(new, "成立了专业合作社"))
    assert row["status"] == "active" and row["text"] == "成立了专业合作社"


def test_partial_deletion_shrinks_the_coding_to_its_surviving_words(coded):
    project, source = coded
    coding, _ = codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "后来办了合作社，村民都来入股"))
    report = replace_text(project, source, INTERVIEW_TEXT.replace("，村民都来入股", ""))
    assert report.changed[0]["now"] == "后来办了合作社"
    assert codings.get(project, coding["id"])["text"] == "后来办了合作社"


def test_unchanged_text_changes_nothing(coded):
    project, source = coded
    before = project.db.execute("SELECT count(*) FROM change_groups").fetchone()[0]
    assert not replace_text(project, source, INTERVIEW_TEXT).changed_text
    assert project.db.execute("SELECT count(*) FROM change_groups").fetchone()[0] == before


edits = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 400), st.text(alphabet="村民返乡土地流转，。\n", min_size=1, max_size=8)),
        st.tuples(st.just("delete"), st.integers(0, 400), st.integers(1, 12)),
    ),
    min_size=1,
    max_size=4,
)
spans = st.lists(st.tuples(st.integers(0, len(INTERVIEW_TEXT.rstrip()) - 1), st.integers(1, 30)), min_size=1, max_size=6)


@pytest.fixture
def edit_template(tmp_path_factory):
    """A project with the interview and a code, made once for every example to copy over
    ``work.fieldcase`` beside it."""
    from fieldcase.importers import import_paths
    from fieldcase.store import codes

    path = tmp_path_factory.mktemp("template") / "p.fieldcase"
    with init_project(path, user="tester", framework="none") as project:
        (imported,) = import_paths(project, [write(path.parent / "h.txt", INTERVIEW_TEXT)])
        codes.add(project, name="Land", key="land")
    return path, imported.id


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=spans, edits=edits)
def test_random_edits_keep_codings_valid_and_undo_restores_everything(edit_template, spans, edits):
    template, source = edit_template
    path = shutil.copy(template, template.with_name("work.fieldcase"))
    # no sync to disk at each commit: nothing here is about power cuts
    with open_project(path, user="tester", durable=False) as project:
        old = sources.find(project, source)["text"]
        for start, length in spans:
            end = min(len(old), start + length)
            if start < end:
                codings.add(project, source, "land", start, end)
        before = {r["id"]: (r["start_offset"], r["end_offset"], r["status"]) for r in project.query("SELECT * FROM codings")}
        new = old
        for op, at, arg in edits:
            at = at % (len(new) + 1)
            new = new[:at] + arg + new[at:] if op == "insert" else new[:at] + new[at + arg :]
        if not new.strip() or new.strip() == old.strip():
            return
        report = replace_text(project, source, new)
        stored = sources.find(project, source)["text"]
        for row in project.query("SELECT * FROM codings"):
            assert 0 <= row["start_offset"] <= row["end_offset"] <= len(stored)
            if row["status"] == "active":
                assert row["start_offset"] < row["end_offset"]
                assert row["quote"] == stored[row["start_offset"] : row["end_offset"]]
        assert {o["id"] for o in report.orphaned} == {
            r["id"] for r in project.query("SELECT id FROM codings WHERE status = 'orphaned'")
        }
        history.undo(project)
        assert sources.find(project, source)["text"] == old
        after = {r["id"]: (r["start_offset"], r["end_offset"], r["status"]) for r in project.query("SELECT * FROM codings")}
        assert after == before
