"""Deleting a source: one logged change that undo reverses exactly; the CLI asks first."""

from __future__ import annotations

import pytest

from conftest import INTERVIEW_TEXT
from fieldcase.analysis.search import search
from fieldcase.analysis.suggest import suggest
from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import attributes, cases, codings, drafts, history, memos, search_index, sources, suggestions

TABLES = ("sources", "source_cases", "source_attribute_values", "codings", "memos", "suggestions", "drafts",
          "cases", "codes")


def everything(project):
    """Every row of the tables a source touches, exactly (stamps included)."""
    return {table: project.query(f"SELECT * FROM {table} ORDER BY id") for table in TABLES}


@pytest.fixture
def full(coded):
    """The coded source with a case link, an attribute, codings with memos, a decided suggestion."""
    project, source = coded
    cases.add(project, "H", kind="person")
    sources.link(project, source, ["H"])
    attributes.define(project, "source", "recorder", "text")
    attributes.set_values(project, "source", source, {"recorder": "赵"})
    first, _ = codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"), memo="short")
    memos.add(project, "coding", first["id"], "land comes first")
    memos.add(project, "source", source, "a talkative afternoon")
    codings.add(project, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    suggest(project, source=source)
    open_ones = suggestions.list_all(project)
    suggestions.reject(project, open_ones[-1]["id"])
    drafts.save(project, None, INTERVIEW_TEXT + "补：后来又聊了一会。", {}, source_id=source)
    return project, source


def test_delete_then_undo_gives_back_every_row_exactly(full):
    project, source = full
    before = everything(project)
    assert before["suggestions"] and before["memos"] and before["source_attribute_values"]
    counts = sources.delete(project, source)
    assert counts == {"codings": 2, "memos": 2, "cases": 1, "attributes": 1}
    with pytest.raises(NotFoundError):
        sources.find(project, source)
    for table in ("source_cases", "source_attribute_values", "codings", "memos", "drafts"):
        assert project.query(f"SELECT * FROM {table}") == [], table
    assert history.history(project, 1)[0]["action"] == "source.delete"
    history.undo(project)
    after = everything(project)
    for table in TABLES:
        if table == "suggestions":  # open suggestions are derived; decisions come back
            kept = [r for r in before[table] if r["status"] != "open"]
            assert after[table] == kept
        else:
            assert after[table] == before[table], table
    assert after["sources"][0]["text"].startswith("访谈者：您是") and after["sources"][0]["turns"] != "[]"
    history.redo(project)
    assert sources.list_all(project) == []


def test_search_forgets_a_deleted_source_and_finds_it_after_undo(full):
    project, source = full
    assert search(project, "合作社").sources == [source]
    sources.delete(project, source)
    assert search(project, "合作社").sources == []
    history.undo(project)
    assert [h.source_id for h in search(project, "合作社").hits] == [source]
    assert search_index.live_sources(project) == {source}


def test_update_clears_a_blank_optional_field_and_refuses_a_blank_title(coded):
    project, source = coded
    sources.update(project, source, {"place": "村委会", "date": "2023年7月14日"})
    assert sources.get(project, source, with_text=False)["date"] == "2023-07-14"
    sources.update(project, source, {"place": "", "date": " "})
    row = sources.get(project, source, with_text=False)
    assert row["place"] is None and row["date"] is None
    with pytest.raises(InputError, match="needs a title"):
        sources.update(project, source, {"title": "  "})
    groups = len(history.history(project, 100))
    sources.update(project, source, {"title": row["title"]})  # nothing changes: nothing logged
    assert len(history.history(project, 100)) == groups


def test_cli_source_delete_asks_first_and_undo_brings_it_back(cli, tmp_path):
    from conftest import write

    path = write(tmp_path / "h.txt", INTERVIEW_TEXT)
    cli("init", "--framework", "none")
    cli("import", str(path))
    cli("code", "1", "--quote", "合作社", "--in-vivo")
    kept = cli("source", "delete", "1", input="n\n")
    assert "removes its text, 1 coding, 0 memos, 0 case links" in kept.output and "Nothing deleted" in kept.output
    assert "h" in cli("sources").output
    gone = cli("source", "delete", "h", "--yes")
    assert gone.exit_code == 0 and "Deleted" in gone.output
    assert "no source" in cli("source", "show", "1").output
    cli("undo")
    assert INTERVIEW_TEXT.strip() in cli("source", "show", "1").output
    assert "合作社" in cli("codings").output
