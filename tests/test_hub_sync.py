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
