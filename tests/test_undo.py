"""Undo reverses each kind of change exactly; redo re-applies; history lists them."""

from __future__ import annotations

import pytest

from conftest import INTERVIEW_TEXT, write
from fieldcase.errors import InputError
from fieldcase.importers import import_paths
from fieldcase.store import attributes, cases, codes, codings, history, memos, sites, sources
from fieldcase.store.texts import replace_text

TABLES = ("sites", "cases", "sources", "source_cases", "codes", "codings", "memos", "attributes",
          "case_attribute_values", "site_attribute_values", "source_attribute_values")


def snapshot(project):
    """Every row of every user table, without modification stamps."""
    state = {}
    for table in TABLES:
        rows = project.query(f"SELECT * FROM {table} ORDER BY id")
        state[table] = [{k: v for k, v in r.items() if k not in ("modified_at", "modified_by")} for r in rows]
    return state


def roundtrip(project, action):
    """Do ``action``; undo must give back the state before, redo the state after."""
    before = snapshot(project)
    action()
    after = snapshot(project)
    assert after != before, "the action changed nothing"
    history.undo(project)
    assert snapshot(project) == before
    history.redo(project)
    assert snapshot(project) == after


def test_undo_redo_each_operation(coded, tmp_path):
    project, source = coded
    text = INTERVIEW_TEXT
    span = codings.locate_quote(text, "土地流转")
    roundtrip(project, lambda: codings.add(project, source, "land", *span))
    coding_id = project.query("SELECT id FROM codings")[0]["id"]
    roundtrip(project, lambda: codings.set_memo(project, coding_id, "note"))
    roundtrip(project, lambda: memos.add(project, "coding", coding_id, "a longer memo"))
    roundtrip(project, lambda: codings.remove(project, coding_id))
    roundtrip(project, lambda: codings.add_in_vivo(project, source, 0, 3))
    roundtrip(project, lambda: codes.add(project, name="Networks", parent="talent"))
    roundtrip(project, lambda: codes.update(project, "land", {"name_en": "Land element", "keywords": ["宅基地"]}))
    roundtrip(project, lambda: codes.move(project, "land", "talent"))
    roundtrip(project, lambda: codes.reorder(project, "land", 1))
    codings.add(project, source, "talent.motive", *span)
    roundtrip(project, lambda: codes.merge(project, "talent.motive", "land"))
    roundtrip(project, lambda: codes.delete(project, "talent"))
    roundtrip(project, lambda: replace_text(project, source, text.replace("土地流转", "")))
    roundtrip(project, lambda: sites.add(project, "X village", attrs={"population": 1860}))
    roundtrip(project, lambda: cases.add(project, "H", kind="person", attrs={"birth_year": 1971}))
    cases.add(project, "张大伯 household", kind="household")
    roundtrip(project, lambda: cases.update(project, "张大伯 household", {"notes": "tea"}, {"size": 5}))
    roundtrip(project, lambda: sources.link(project, source, ["张大伯 household"]))
    roundtrip(project, lambda: sources.update(project, source, {"date": "2023-07-14", "kind": "observation"}))
    roundtrip(project, lambda: attributes.define(project, "source", "recorder", "text"))
    roundtrip(project, lambda: import_paths(project, [write(tmp_path / "new.txt", "访谈者：你好。\nH：好。")]))


def test_repeated_undo_walks_back_and_new_change_clears_redo(coded):
    project, source = coded
    codings.add(project, source, "land", 0, 3)
    codings.add(project, source, "land", 5, 9)
    history.undo(project)
    history.undo(project)
    assert codings.query(project) == []
    history.redo(project)
    assert len(codings.query(project)) == 1
    codings.add(project, source, "talent", 1, 2)
    with pytest.raises(InputError, match="nothing to redo"):
        history.redo(project)


def test_undo_of_a_text_edit_then_redo_reorphans(coded):
    project, source = coded
    coding, _ = codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    replace_text(project, source, INTERVIEW_TEXT.replace("先搞土地流转，", ""))
    assert codings.find(project, coding["id"])["status"] == "orphaned"
    history.undo(project)
    assert codings.get(project, coding["id"])["text"] == "土地流转"
    history.redo(project)
    assert codings.find(project, coding["id"])["status"] == "orphaned"
    assert "先搞土地流转" not in sources.find(project, source)["text"]


def test_history_lists_groups_newest_first_with_undone_flag(coded):
    project, source = coded
    codings.add(project, source, "land", 0, 3)
    history.undo(project)
    rows = history.history(project, limit=3)
    assert [r["action"] for r in rows] == ["undo", "coding.add", "code.add"]
    assert rows[1]["undone"] and not rows[2]["undone"]
    assert rows[1]["user"] == "tester" and rows[1]["rows"] == 1


def test_nothing_to_undo_in_a_new_project(project):
    with pytest.raises(InputError, match="nothing to undo"):
        history.undo(project)


def test_a_coding_put_back_by_undo_lands_on_its_words_in_the_text_edited_since(coded):
    """A code deleted with its coding, the text then edited before it (by someone else), then
    the delete undone: the coding comes back on its words, not at its old offsets (found by
    the change-log state machine); words no longer in the text leave it orphaned."""
    from fieldcase.store.project import open_project

    project, source_id = coded
    text = sources.find(project, source_id)["text"]
    start, end = codings.locate_quote(text, "土地流转")
    codings.add(project, source_id, "land", start, end)
    codes.delete(project, "land")
    other = open_project(project.path, user="li")
    try:
        replace_text(other, source_id, "补记：" + text)
    finally:
        other.close()
    history.undo(project)
    back = project.query("SELECT * FROM codings")[0]
    now = sources.find(project, source_id)["text"]
    assert back["status"] == "active" and now[back["start_offset"]:back["end_offset"]] == "土地流转"
    assert back["start_offset"] == start + 3
