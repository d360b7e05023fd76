"""Two members and a hub on a real PostgreSQL: sync brings everyone's work together."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import INTERVIEW_TEXT
from fieldcase.cli import cli
from fieldcase.exchange.hub import clone, connect_project, sync_project
from fieldcase.hubstore.schema import init_hub
from fieldcase.store import codes, codings, memos, sources
from fieldcase.store.project import init_project, open_project


def quotes(project) -> set[str]:
    return {r["quote"] for r in project.query("SELECT quote FROM codings WHERE status = 'active'")}


@pytest.fixture
def team(pg_db, tmp_path):
    """A lead's project on a new hub, and a member's clone of it."""
    init_hub(pg_db.url)
    lead = init_project(tmp_path / "lead.fieldcase", user="lead")
    source = sources.add(lead, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    codings.add(lead, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    connect_project(lead, pg_db.url)
    first = sync_project(lead)
    assert first.pushed_groups > 0 and not first.pulled.added
    member, cloned = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
    assert sum(cloned.pushed_rows.values()) == 0  # its merge went up, but none of the hub's rows again
    yield lead, member, pg_db
    lead.close()
    member.close()


def test_a_clone_holds_the_leads_work_and_syncs_both_ways(team):
    lead, member, hub = team
    assert quotes(member) == {"土地流转"}
    assert sources.get(member, sources.all_ids(member)[0])["text"] == sources.get(lead, sources.all_ids(lead)[0])["text"]
    source = sources.all_ids(member)[0]
    codings.add(member, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    memos.add(member, "source", source, "第一次返乡")
    codings.add(lead, sources.all_ids(lead)[0], "land", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    sync_project(member)
    sync_project(lead)
    sync_project(member)
    assert quotes(lead) == quotes(member) == {"土地流转", "父母年纪也大了", "合作社"}
    assert [m["body"] for m in lead.query("SELECT body FROM memos")] == ["第一次返乡"]
    # the hub's readable state holds the team's work
    rows = hub.execute("SELECT coder, quote FROM fieldcase.coded_segments ORDER BY quote")
    assert {q for _, q in rows} == {"土地流转", "父母年纪也大了", "合作社"}
    # syncing again changes nothing and doubles nothing
    again = sync_project(lead)
    assert again.pushed_groups == 0 and again.pulled.nothing
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 3


def test_both_changing_one_name_is_a_conflict_for_the_later_syncer(team):
    lead, member, hub = team
    codes.update(lead, "talent", {"name_zh": "人才甲"})
    codes.update(member, "talent", {"name_zh": "人才乙"})
    sync_project(lead)
    report = sync_project(member)
    assert [(c["field"], c["mine"], c["theirs"]) for c in report.pulled.conflicts] == [("name_zh", "人才乙", "人才甲")]
    assert codes.find(member, "talent")["name_zh"] == "人才乙"


def test_a_text_edited_by_one_member_reaches_the_other_with_codings_moved(team):
    from fieldcase.store.texts import replace_text

    lead, member, hub = team
    source = sources.all_ids(lead)[0]
    replace_text(lead, source, "补充说明。" + INTERVIEW_TEXT)
    codings.add(member, sources.all_ids(member)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    sync_project(lead)
    sync_project(member)
    text = sources.get(member, sources.all_ids(member)[0])["text"]
    assert text.startswith("补充说明。")
    for row in member.query("SELECT start_offset, end_offset, quote FROM codings WHERE status = 'active'"):
        assert text[row["start_offset"]:row["end_offset"]] == row["quote"]
    sync_project(lead)
    assert quotes(lead) == quotes(member)


def test_a_sync_interrupted_after_the_pull_and_run_again_doubles_nothing(team, monkeypatch):
    from fieldcase.exchange import sync as syncing

    lead, member, hub = team
    codings.add(member, sources.all_ids(member)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    codings.add(lead, sources.all_ids(lead)[0], "land", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    sync_project(lead)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(syncing, "_push", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_project(member)  # pulled and merged here; the hub's transaction rolled back
    monkeypatch.undo()
    groups_before = hub.execute("SELECT count(*) FROM fieldcase.groups")[0][0]
    sync_project(member)
    sync_project(lead)
    assert quotes(lead) == quotes(member) == {"土地流转", "父母年纪也大了", "合作社"}
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 3
    assert hub.execute("SELECT count(*) FROM fieldcase.groups")[0][0] > groups_before
    assert sync_project(member).pulled.nothing


def test_a_read_only_member_pulls_but_a_push_is_refused(team, pg_role, tmp_path, monkeypatch):
    from fieldcase.hubstore.schema import grant

    lead, member, hub = team
    reader = pg_role("s3cret-pw")
    grant(hub.url, reader, read_only=True)
    monkeypatch.setenv("PGPASSWORD", "s3cret-pw")
    path = tmp_path / "reader.fieldcase"
    project, report = clone(hub.url_as(reader), path, "sun")
    assert quotes(project) == {"土地流转"} and report.read_only
    codings.add(project, sources.all_ids(project)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    project.close()
    done = CliRunner().invoke(cli, ["sync", "-p", str(path)])
    assert done.exit_code == 1 and "hub_write_refused" in done.output and "s3cret" not in done.output


def test_sync_on_the_command_line(team, tmp_path):
    lead, member, hub = team
    path = str(member.path)
    member.close()
    done = CliRunner().invoke(cli, ["sync", "-p", path, "--json"])
    assert done.exit_code == 0, done.output
    assert sum(json.loads(done.output)["pushed_rows"].values()) == 0
    status = CliRunner().invoke(cli, ["hub", "status", "-p", path, "--json"])
    assert json.loads(status.output)["to_pull"] == 0


def test_a_purged_source_leaves_the_hub_after_the_next_sync(team):
    from fieldcase.store import purge
    from fieldcase.store.source_purge import plan_source

    lead, member, hub = team
    source = sources.all_ids(lead)[0]
    purge.run(lead, lambda p: plan_source(p, source), backup=False)
    sync_project(lead)
    assert hub.execute("SELECT count(*) FROM fieldcase.sources")[0][0] == 0
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 0
    assert hub.execute("SELECT count(*) FROM fieldcase.texts WHERE text LIKE '%土地流转%'")[0][0] == 0
    # …and its words: no summary names it, the purge is recorded, and a member's copy lets it go
    assert hub.execute("SELECT count(*) FROM fieldcase.groups WHERE summary LIKE '%刘霞访谈%'")[0][0] == 0
    assert hub.execute("SELECT count(*) FROM fieldcase.groups WHERE summary LIKE '%[purged]%'")[0][0] > 0
    assert hub.execute("SELECT kind, purged_by FROM fieldcase.purges") == [("source", "postgres")]
    pulled = sync_project(member)
    assert len(pulled.purged) == 1 and sources.all_ids(member) == [] and quotes(member) == set()
    assert "刘霞访谈".encode() not in member.path.read_bytes()


def test_attribute_values_keep_their_type_on_the_hub(team):
    from fieldcase.store import attributes

    lead, member, hub = team
    source = sources.all_ids(lead)[0]
    attributes.define(lead, "source", "score", "number")
    attributes.set_values(lead, "source", source, {"age": 45, "score": 3.5, "village": "上林村", "paid": True})
    sync_project(lead)
    rows = dict(hub.execute("SELECT a.name, jsonb_typeof(v.value) FROM fieldcase.source_attribute_values v"
                            " JOIN fieldcase.attributes a ON a.uuid = v.attribute_uuid"))
    assert rows == {"age": "number", "score": "number", "village": "string", "paid": "number"}
    typed = dict(hub.execute("SELECT attribute, value_number FROM fieldcase.attribute_values"
                             " WHERE value_number > 3"))
    assert {k: float(v) for k, v in typed.items()} == {"age": 45.0, "score": 3.5}
    report = sync_project(member)
    assert report.pulled.added.get("source_attribute_values") == 4
    here = attributes.values_of(member, "source", sources.all_ids(member)[0])
    assert here == {"age": 45, "score": 3.5, "village": "上林村", "paid": True}
    assert type(here["age"]) is int and type(here["score"]) is float
    # syncing again finds nothing to change: the hub's values are the projects' own
    assert sync_project(lead).pulled.nothing and sync_project(member).pulled.nothing
    attributes.set_values(member, "source", sources.all_ids(member)[0], {"age": 46})
    sync_project(member)
    sync_project(lead)
    assert attributes.values_of(lead, "source", source)["age"] == 46
    assert lead.query("SELECT typeof(value) AS t FROM source_attribute_values WHERE value = 46") == [{"t": "integer"}]


def test_a_hub_with_text_attribute_values_is_upgraded_to_typed_ones(pg_db):
    from fieldcase.hubstore import migrations

    init_hub(pg_db.url)
    step = next(m for m in migrations.all_migrations() if m.name == "typed_attribute_values")
    # the hub as it was before the step: values as text
    pg_db.execute("DROP VIEW fieldcase.attribute_values")
    for owner in ("site", "case", "source"):
        pg_db.execute(f"ALTER TABLE fieldcase.{owner}_attribute_values ALTER COLUMN value TYPE text USING value #>> '{{}}'")
    pg_db.execute("DELETE FROM fieldcase.hub_migrations WHERE version = %s", [step.version])
    pg_db.execute("INSERT INTO fieldcase.attributes VALUES ('a1', 'case', 'age', 'integer', NULL, NULL, 't', 'u', 't', 'u'),"
                  " ('a2', 'case', 'home', 'text', NULL, NULL, 't', 'u', 't', 'u'),"
                  " ('a3', 'case', 'share', 'number', NULL, NULL, 't', 'u', 't', 'u')")
    pg_db.execute("INSERT INTO fieldcase.case_attribute_values VALUES ('a1|c', 'a1', 'c', '45'),"
                  " ('a2|c', 'a2', 'c', '007'), ('a3|c', 'a3', 'c', '0.25')")
    assert init_hub(pg_db.url)["applied"] == [f"{step.version:04d}_{step.name}"]
    assert pg_db.execute("SELECT attribute_uuid, value FROM fieldcase.case_attribute_values ORDER BY 1") == [
        ("a1", 45), ("a2", "007"), ("a3", 0.25)]


def test_sync_counts_one_change_and_one_row_in_the_singular(team, tmp_path):
    lead, member, hub = team
    path = str(member.path)
    member.close()
    CliRunner().invoke(cli, ["sync", "-p", path])
    with open_project(path, user="qian") as project:
        codes.update(project, "talent", {"name_zh": "人才"})
    done = CliRunner().invoke(cli, ["sync", "-p", path])
    assert done.exit_code == 0 and "Pushed 1 change (1 row)" in done.output, done.output
