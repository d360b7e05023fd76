"""Sets: code sets and source sets kept through undo, carried by a merge of copies, and as a scope."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import INTERVIEW_TEXT
from fieldcase.coding.scope import Scope
from fieldcase.errors import InputError
from fieldcase.exchange.merge import merge
from fieldcase.store import codes, codings, history, sets, sources
from fieldcase.store.project import init_project, open_project


@pytest.fixture
def copies(tmp_path: Path):
    """A project with two sources, one coded, copied to two laptops."""
    base = tmp_path / "base.fieldcase"
    project = init_project(base, user="lead")
    first = sources.add(project, {"title": "one", "text": INTERVIEW_TEXT, "kind": "interview"})
    sources.add(project, {"title": "two", "text": "另一份文件。", "kind": "document"})
    codings.add(project, first, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    project.close()
    paths = []
    for name, user in (("a", "zhao"), ("b", "qian")):
        shutil.copyfile(base, tmp_path / f"{name}.fieldcase")
        paths.append((tmp_path / f"{name}.fieldcase", user))
    opened = [open_project(p, user=u) for p, u in paths]
    yield opened
    for project in opened:
        project.close()


def test_a_set_made_on_one_copy_comes_across_with_its_members(copies) -> None:
    a, b = copies
    with b.change("set.add", "sets") as w:
        code_set = sets.add(b, "code", "economy", writer=w)
        sets.add_members(b, code_set, [codes.find(b, "land")["id"]], writer=w)
        source_set = sets.add(b, "source", "wave 1", writer=w)
        sets.add_members(b, source_set, [sources.find(b, "two")["id"]], writer=w)
    merge(a, b.path)
    here = sets.find(a, "code", "economy")
    assert here["uuid"] == sets.find(b, "code", "economy")["uuid"]
    assert [m["key"] for m in sets.members(a, here["id"])] == ["integration.land"]
    assert [m["title"] for m in sets.members(a, sets.find(a, "source", "wave 1")["id"])] == ["two"]
    sets.remove_members(b, source_set, [sources.find(b, "two")["id"]])
    merge(a, b.path)
    assert sets.members(a, sets.find(a, "source", "wave 1")["id"]) == []
    again = merge(a, b.path)
    assert sets.list_all(a) == sets.list_all(b) and again is not None


def test_undo_takes_a_set_back_and_redo_brings_it(copies) -> None:
    a, _ = copies
    sets.add(a, "source", "wave 1")
    history.undo(a)
    assert sets.list_all(a) == []
    history.redo(a)
    assert [s["name"] for s in sets.list_all(a)] == ["wave 1"]


def test_names_are_one_sets_per_kind_and_a_set_is_a_scope(copies) -> None:
    a, _ = copies
    sets.add(a, "code", "x")
    sets.add(a, "source", "x")  # a source set may share a code set's name
    with pytest.raises(InputError, match="already exists"):
        sets.add(a, "code", "X")
    land = codes.find(a, "land")["id"]
    sets.add_members(a, sets.find(a, "code", "x")["id"], [land])
    assert [r["code_key"] for r in codings.query(a, Scope(code_set="x"))] == ["integration.land"]
    assert codings.query(a, Scope(source_set="x")) == []
    assert sources.list_all(a, Scope(source_set="x")) == []
    sets.add_members(a, sets.find(a, "source", "x")["id"], [sources.find(a, "one")["id"]])
    assert [s["title"] for s in sources.list_all(a, Scope(source_set="x"))] == ["one"]
    assert Scope(code_set="x").describe() == "code-set=x"


def test_sets_travel_through_the_team_hub(pg_db, tmp_path) -> None:
    from fieldcase.exchange.hub import clone, connect_project, sync_project
    from fieldcase.hubstore.schema import init_hub

    init_hub(pg_db.url)
    lead = init_project(tmp_path / "lead.fieldcase", user="lead")
    try:
        source = sources.add(lead, {"title": "one", "text": INTERVIEW_TEXT, "kind": "interview"})
        with lead.change("set.add", "sets") as w:
            sets.add_members(lead, sets.add(lead, "code", "economy", writer=w), [codes.find(lead, "land")["id"]],
                             writer=w)
            sets.add_members(lead, sets.add(lead, "source", "wave 1", writer=w), [source], writer=w)
        connect_project(lead, pg_db.url)
        sync_project(lead)
        member, _ = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
        try:
            assert sets.list_all(member) == sets.list_all(lead)
            assert [m["title"] for m in sets.members(member, sets.find(member, "source", "wave 1")["id"])] == ["one"]
            sets.remove_members(member, sets.find(member, "code", "economy")["id"], [codes.find(member, "land")["id"]])
            sync_project(member)
            sync_project(lead)
            assert sets.members(lead, sets.find(lead, "code", "economy")["id"]) == []
            assert pg_db.execute("SELECT count(*) FROM fieldcase.set_sources")[0][0] == 1
        finally:
            member.close()
    finally:
        lead.close()


def test_set_names_take_pseudonyms_in_exports_and_are_checked(tmp_path: Path) -> None:
    """A set named for a person: the summary narrowed to it says the set by its pseudonym, the
    .qdpx writes the pseudonym, and --check-names finds the real name when it is left."""
    from fieldcase.reports.exporting import NamesLeftError, export, export_qdpx
    from fieldcase.reports.summary import render_summary
    from fieldcase.store import pseudonyms

    with init_project(tmp_path / "p.fieldcase", user="lead") as project:
        first = sources.add(project, {"title": "one", "text": INTERVIEW_TEXT, "kind": "interview"})
        codings.add(project, first, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
        pseudonyms.add(project, "Kovács Anna", "Anna K")
        talks = sets.add(project, "source", "Kovács Anna interviews")
        sets.add_members(project, talks, [first])
        sets.add(project, "code", "Kovács Anna codes")
        shown = render_summary(project, "md", source_set="Kovács Anna interviews", pseudonyms=True)
        assert "source set: Anna K interviews" in shown and "Kovács" not in shown
        plain = render_summary(project, "md", source_set=talks, pseudonyms=False)
        assert "source set: Kovács Anna interviews" in plain
        with pytest.raises(NamesLeftError, match="Kovács Anna"):
            export(project, "summary", "md", tmp_path / "s.md", Scope(source_set=talks), pseudonyms=False,
                   check_names=True)
        export_qdpx(project, tmp_path / "p.qdpx", pseudonyms=True, check_names=True)
        with pytest.raises(NamesLeftError, match="Kovács Anna"):
            export_qdpx(project, tmp_path / "real.qdpx", pseudonyms=False, check_names=True)
    import zipfile

    written = zipfile.ZipFile(tmp_path / "p.qdpx").read("project.qde").decode()
    assert 'name="Anna K interviews"' in written and 'name="Anna K codes"' in written and "Kovács" not in written
