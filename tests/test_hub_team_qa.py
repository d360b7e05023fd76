"""Faults found by a fieldworker's QA of syncing through the hub (a real PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_hub_sync import quotes, team  # noqa: F401  (the fixture: a lead and a member on a new hub)

from conftest import INTERVIEW_TEXT
from fieldcase.cli import cli
from fieldcase.errors import InputError
from fieldcase.exchange.hub import sync_project
from fieldcase.store import codings, drafts, history, sources

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


def test_undo_refuses_a_sync_that_brought_the_teams_work(team):  # noqa: F811
    lead, member, hub = team
    codings.add(lead, sources.all_ids(lead)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    sync_project(lead)
    sync_project(member)
    before = quotes(member)
    assert before == {"土地流转", "父母年纪也大了"}
    with pytest.raises(InputError) as refused:
        history.undo(member)
    message = str(refused.value)
    assert "\n" not in message and "it brought the team's work from the hub" in message
    assert "fieldcase revert ID --of zhao" in message
    assert quotes(member) == before
    path = str(member.path)
    member.close()
    done = CliRunner().invoke(cli, ["undo", "-p", path, "--user", "zhao"])
    assert done.exit_code != 0 and "it brought the team's work from the hub" in done.output


async def test_ctrl_z_refuses_a_sync_in_the_workspace(team):  # noqa: F811
    from fieldcase.tui.app import FieldcaseApp

    lead, member, hub = team
    path = member.path
    member.close()
    app = FieldcaseApp(path, user="zhao")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("it brought the team's work from the hub" in m for m in said), said
    from fieldcase.store.project import open_project

    with open_project(path, user="zhao") as again:
        assert quotes(again) == {"土地流转"}


def _sides(project) -> dict[tuple[str, str], tuple[object, object]]:
    from fieldcase.store.merging import open_conflicts

    return {(r["table_name"], r["field"]): (json.loads(r["mine"]), json.loads(r["theirs"]))
            for r in open_conflicts(project)}


def test_a_conflict_from_the_hub_reads_mine_and_theirs_from_the_viewers_side(team):  # noqa: F811
    from fieldcase.exchange.conflicts import settle
    from fieldcase.store import codes

    lead, member, hub = team
    codes.update(lead, "talent", {"name_zh": "人才甲"})  # the lead's own value…
    codes.update(member, "talent", {"name_zh": "人才乙"})  # …and the member's
    codes.update(lead, "integration", {"name_zh": "融入（改）"})  # the lead changed what the member deletes
    codes.delete(member, "integration")
    sync_project(lead)
    sync_project(member)  # the member finds both: their side is mine
    assert _sides(member) == {("codes", "name_zh"): ("人才乙", "人才甲"), ("codes", "deleted"): ("deleted", "changed")}
    sync_project(member)
    sync_project(lead)  # the lead takes them in: their own side is mine too
    assert _sides(lead) == {("codes", "name_zh"): ("人才甲", "人才乙"), ("codes", "deleted"): ("changed", "deleted")}
    assert codes.find(lead, "talent")["name_zh"] == "人才乙"  # the team holds the finder's side meanwhile
    row = next(r for r in lead.query("SELECT id, field FROM conflicts") if r["field"] == "name_zh")
    settle(lead, row["id"], "mine")  # the lead keeps what the lead wrote
    assert codes.find(lead, "talent")["name_zh"] == "人才甲"
    sync_project(lead)
    sync_project(member)
    assert codes.find(member, "talent")["name_zh"] == "人才甲"
    settled = member.query("SELECT status FROM conflicts WHERE field = 'name_zh'")
    assert [r["status"] for r in settled] == ["theirs"]  # the lead's value, theirs as the member reads it


def test_a_text_edit_pulled_from_the_hub_is_named_as_its_authors(team):  # noqa: F811
    from fieldcase.store.texts import replace_text

    lead, member, hub = team
    source = sources.all_ids(member)[0]
    draft = drafts.save(member, None, EDIT, {drafts.BASE: sources.get(member, source)["text_sha256"]},
                        source_id=source)
    replace_text(lead, sources.all_ids(lead)[0], "补充说明。" + INTERVIEW_TEXT)
    lead_at = history.history(lead, 1)[0]["at"]
    sync_project(lead)
    sync_project(member)
    changes = drafts.changed_under(member, drafts.get(member, draft))
    assert [(c["user"], c["at"]) for c in changes] == [("lead", lead_at)]
    newest = history.history(member, 1)[0]
    assert (newest["user"], newest["action"], newest["authors"]) == ("zhao", "sync", ["lead"])


def test_a_web_server_at_the_hubs_address_is_said_to_be_no_postgresql_hub(tmp_path):
    import socket
    import threading

    from fieldcase.store import hub_link
    from fieldcase.store.project import init_project

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]

    def answer() -> None:  # what a web proxy says to anything
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        path = tmp_path / "p.fieldcase"
        with init_project(path, user="zhao") as project:
            hub_link.set_hub_url(project, f"postgresql://zhao@127.0.0.1:{port}/team")
        done = CliRunner().invoke(cli, ["sync", "-p", str(path)])
        assert done.exit_code == 1
        lines = done.output.strip().splitlines()
        assert len(lines) == 1 and f"the address 127.0.0.1:{port}/team is not a PostgreSQL hub" in lines[0], lines
        status = CliRunner().invoke(cli, ["hub", "status", "-p", str(path)])
        assert status.exit_code == 1 and "is not a PostgreSQL hub" in status.output
    finally:
        server.close()
