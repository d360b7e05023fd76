"""Faults found by a fieldworker's QA of syncing through the hub (a real PostgreSQL)."""

from __future__ import annotations

from click.testing import CliRunner
from test_hub_sync import team  # noqa: F401  (the fixture: a lead and a member on a new hub)

from conftest import INTERVIEW_TEXT
from fieldcase.cli import cli
from fieldcase.exchange.hub import sync_project
from fieldcase.store import drafts, sources

EDIT = "【补记：他说话时很激动】" + INTERVIEW_TEXT


def test_a_kept_edit_of_a_source_deleted_on_the_hub_is_kept_by_the_sync(team):  # noqa: F811
    lead, member, hub = team
    source = sources.all_ids(member)[0]
    base = sources.get(member, source)["text_sha256"]
    drafts.save(member, None, EDIT, {drafts.BASE: base}, source_id=source)
    sources.delete(lead, sources.all_ids(lead)[0])
    sync_project(lead)
    path = str(member.path)
    member.close()
    done = CliRunner().invoke(cli, ["sync", "-p", path, "--user", "zhao"])
    assert done.exit_code == 0, done.output
    assert "your kept edit of a source deleted there is kept in" in done.output
    from fieldcase.store.project import open_project

    with open_project(path, user="zhao") as again:
        assert sources.all_ids(again) == []
        kept = drafts.kept_files(again, source)
        assert [k.read_text(encoding="utf-8") for k in kept] == [EDIT]
        assert str(kept[0]) in done.output
