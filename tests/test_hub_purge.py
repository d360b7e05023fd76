"""A purge reaches the whole team through the hub: the purging member's next sync scrubs the
hub (its rows, its texts, and the words in its otherwise append-only history), and every
other member's next sync erases the same things in their copy, a read-only member's too.
Checked on the bytes: a dump of the hub, and each project file after its sync."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from conftest import INTERVIEW_TEXT
from fieldcase.exchange.hub import clone, connect_project, sync_project
from fieldcase.hubstore.schema import grant, init_hub
from fieldcase.store import codings, memos, purge, sources
from fieldcase.store.source_purge import plan_history, plan_source
from fieldcase.store.texts import replace_text

OTHER_TEXT = "访谈者：您在城里做什么？\nW：我在城里打工，每年春节回家一次。\n"
# Words of the withdrawn participant's interview: its title, quotes, a memo, and pieces of its text.
WORDS = ("刘霞访谈", "杭州的生意不好做", "村民都来入股", "第一次返乡", "回来以后做了什么", "早年补记", "赵补记")


def hub_dump(hub) -> bytes:
    """Every row of the hub as pg_dump writes it (the rows of every table, as text)."""
    dump = shutil.which("pg_dump")
    if dump is not None:
        done = subprocess.run([dump, "--data-only", "--schema=fieldcase", "--dbname", hub.url],
                              capture_output=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout
    tables = [r[0] for r in hub.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'fieldcase'")]
    return "\n".join(str(row) for t in tables for row in hub.execute(
        f'SELECT t::text FROM fieldcase."{t}" t')).encode("utf-8")


def file_bytes(path: Path) -> bytes:
    """A project file and its -wal, as they lie on disk."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def held(data: bytes) -> list[str]:
    return [w for w in WORDS if w.encode("utf-8") in data]


@pytest.fixture
def team(pg_db, pg_role, tmp_path):
    """A hub with a lead, a member and a read-only member, each logged in as their own role;
    the lead's project holds the interview to purge and another one."""
    init_hub(pg_db.url)
    roles = {name: pg_role("pw") for name in ("lead", "zhao", "sun")}
    grant(pg_db.url, roles["lead"], read_only=False)
    grant(pg_db.url, roles["zhao"], read_only=False)
    grant(pg_db.url, roles["sun"], read_only=True)
    from fieldcase.store.project import init_project

    lead = init_project(tmp_path / "lead.fieldcase", user="lead")
    liu = sources.add(lead, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    wang = sources.add(lead, {"title": "王五访谈", "text": OTHER_TEXT, "kind": "interview"})
    codings.add(lead, liu, "land", *codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做"))
    codings.add(lead, wang, "land", *codings.locate_quote(OTHER_TEXT, "打工"))
    memos.add(lead, "source", liu, "第一次返乡")
    replace_text(lead, liu, "早年补记。" + INTERVIEW_TEXT)  # an earlier text of it stays on the hub
    connect_project(lead, pg_db.url_as(roles["lead"]))
    sync_project(lead)
    zhao, _ = clone(pg_db.url_as(roles["zhao"]), tmp_path / "zhao.fieldcase", "zhao")
    sun, cloned = clone(pg_db.url_as(roles["sun"]), tmp_path / "sun.fieldcase", "sun")
    assert cloned.read_only
    projects = {"lead": lead, "zhao": zhao, "sun": sun}
    yield projects, roles, pg_db
    for project in projects.values():
        project.close()


def source_uuid(project, title: str) -> str:
    return str(project.query("SELECT uuid FROM sources WHERE title = ?", [title])[0]["uuid"])


def test_a_purge_leaves_the_hub_and_every_copy_at_the_next_syncs(team):
    projects, roles, hub = team
    lead, zhao, sun = projects["lead"], projects["zhao"], projects["sun"]
    assert set(held(hub_dump(hub))) == set(WORDS) - {"赵补记"}  # all on the hub now (zhao's comes later)
    gone = source_uuid(lead, "刘霞访谈")
    # zhao codes the interview and pushes it; the lead purges it without having pulled that
    liu_here = zhao.query("SELECT id FROM sources WHERE uuid = ?", [gone])[0]["id"]
    codings.add(zhao, liu_here, "talent", *codings.locate_quote(INTERVIEW_TEXT, "村民都来入股"))
    replace_text(zhao, liu_here, "赵补记。早年补记。" + INTERVIEW_TEXT)  # zhao keeps the text before as a version
    assert zhao.query("SELECT count(*) AS n FROM text_versions")[0]["n"] == 1
    sync_project(zhao)
    assert hub.execute("SELECT count(*) FROM fieldcase.texts") == [(3,)]  # zhao's and the lead's texts of it
    # …and goes on working on it offline: none of this has reached the hub when the purge comes
    late = codings.add(zhao, liu_here, "talent", *codings.locate_quote("赵补记。早年补记。" + INTERVIEW_TEXT, "赵补记"))
    memos.add(zhao, "coding", late[0]["id"], "赵的备忘：回来以后做了什么")
    outcome = purge.run(lead, lambda p: plan_source(p, "刘霞访谈"), backup=False)
    assert held(file_bytes(lead.path)) == []

    report = sync_project(lead)
    assert report.scrubbed == 1 and report.pushed_groups >= 1
    dump = hub_dump(hub)
    assert held(dump) == [], "the hub still holds the purged words"
    assert "王五访谈".encode() in dump and "每年春节回家一次".encode() in dump  # (the dump does hold what stays)
    assert b"[purged]" in dump  # the words in the history's summaries became the marker
    assert hub.execute("SELECT count(*) FROM fieldcase.texts") == [(1,)]  # the other interview's alone
    record = hub.execute("SELECT group_uuid, kind, target_uuid, fingerprints, purged_by FROM fieldcase.purges")
    purge_group = lead.query("SELECT uuid FROM change_groups WHERE id = ?", [outcome.group_id])[0]["uuid"]
    assert [(g, k, t, b) for g, k, t, _, b in record] == [(purge_group, "source", gone, roles["lead"])]
    from fieldcase.text.normalize import text_hash

    fingerprints = record[0][3]
    assert fingerprints and text_hash(INTERVIEW_TEXT) not in fingerprints  # keyed, never the plain hash
    assert text_hash("早年补记。" + INTERVIEW_TEXT) not in fingerprints

    # the others pull the purge and erase the interview, its codings and its earlier text
    for name in ("zhao", "sun"):
        pulled = sync_project(projects[name])
        assert [p["group"] for p in pulled.purged] == [purge_group]
        assert pulled.purged[0]["by"] == "lead"
        project = projects[name]
        assert project.query("SELECT count(*) AS n FROM sources WHERE uuid = ?", [gone])[0]["n"] == 0
        assert project.query("SELECT count(*) AS n FROM text_versions")[0]["n"] == 0
        assert held(file_bytes(project.path)) == [], f"{name}'s copy still holds the purged words"
        assert {r["title"] for r in project.query("SELECT title FROM sources")} == {"王五访谈"}
    assert sun.query("SELECT uuid FROM change_groups WHERE action = 'purge'") == [{"uuid": purge_group}]

    # everyone converges, the hub stays clean, and the purge is not carried out twice
    for name in ("zhao", "lead", "sun", "zhao"):
        again = sync_project(projects[name])
        assert again.purged == [] and again.scrubbed == 0
    assert held(hub_dump(hub)) == []
    quotes = [{r["quote"] for r in p.query("SELECT quote FROM codings")} for p in projects.values()]
    assert quotes == [{"打工"}] * 3
    assert hub.execute("SELECT count(*) FROM fieldcase.purges") == [(1,)]


def test_a_purge_of_a_sources_earlier_texts_reaches_the_hub(team):
    projects, roles, hub = team
    lead, zhao = projects["lead"], projects["zhao"]
    replace_text(lead, sources.find(lead, "刘霞访谈")["id"], "后来补记。" + INTERVIEW_TEXT)
    sync_project(lead)
    sync_project(zhao)
    assert hub.execute("SELECT count(*) FROM fieldcase.texts WHERE text LIKE '%杭州%'") == [(2,)]
    outcome = purge.run(lead, lambda p: plan_history(p, "刘霞访谈"), backup=False)
    sync_project(lead)
    assert hub.execute("SELECT count(*) FROM fieldcase.texts WHERE text LIKE '%杭州%'") == [(1,)]  # the current one
    assert hub.execute("SELECT kind, target_uuid FROM fieldcase.purges") == [
        ("history", source_uuid(lead, "刘霞访谈"))]
    group = lead.query("SELECT uuid FROM change_groups WHERE id = ?", [outcome.group_id])[0]["uuid"]
    assert [p["group"] for p in sync_project(zhao).purged] == [group]
    assert zhao.query("SELECT action FROM change_groups WHERE uuid = ?", [group]) == [{"action": "purge"}]
    assert zhao.query("SELECT title FROM sources ORDER BY title") == [{"title": "刘霞访谈"}, {"title": "王五访谈"}]
    assert zhao.query("SELECT count(*) AS n FROM text_versions WHERE text LIKE '%早年补记%'")[0]["n"] == 0
    assert b"\xe6\x97\xa9\xe5\xb9\xb4\xe8\xa1\xa5\xe8\xae\xb0" not in file_bytes(zhao.path)  # 早年补记


def test_the_history_changes_only_through_the_scrub(team):
    projects, roles, hub = team
    member = hub.url_as(roles["zhao"])
    with psycopg.connect(member, autocommit=True) as conn:
        for statement in ("UPDATE fieldcase.groups SET summary = 'x'", "DELETE FROM fieldcase.purges",
                          "DELETE FROM fieldcase.texts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with psycopg.connect(hub.url) as conn:  # even the hub's owner, who may set the scrub's switch
        conn.execute("SET fieldcase.scrubbing = 'on'")
        for statement in ("UPDATE fieldcase.groups SET author = 'someone'", "DELETE FROM fieldcase.entries",
                          "UPDATE fieldcase.entries SET op = 'delete'", "TRUNCATE fieldcase.purges"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)
            conn.rollback()
            conn.execute("SET fieldcase.scrubbing = 'on'")


def test_a_read_only_member_may_not_scrub(team):
    projects, roles, hub = team
    with psycopg.connect(hub.url_as(roles["sun"]), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="purge_scrub"):
            conn.execute("SELECT fieldcase.purge_scrub('g', %s, '{}', '{}', '{}', '{}')",
                         [[source_uuid(projects["lead"], "刘霞访谈")]])
    assert hub.execute("SELECT count(*) FROM fieldcase.sources") == [(2,)]
    assert hub.execute("SELECT count(*) FROM fieldcase.purges") == [(0,)]


def test_a_case_purge_reaches_every_copy(team):
    from fieldcase.store import cases
    from fieldcase.store.withdrawal import plan_case

    projects, roles, hub = team
    lead, zhao = projects["lead"], projects["zhao"]
    cases.add(lead, "刘霞", notes="回乡创业的刘霞")
    sources.link(lead, "刘霞访谈", ["刘霞"])
    sync_project(lead)
    sync_project(zhao)
    assert [c["name"] for c in zhao.query("SELECT name FROM cases")] == ["刘霞"]
    purge.run(lead, lambda p: plan_case(p, "刘霞"), backup=False)
    assert sync_project(lead).scrubbed == 1
    dump = hub_dump(hub)
    assert "刘霞".encode() not in dump and held(dump) == []
    assert sorted(k for (k,) in hub.execute("SELECT kind FROM fieldcase.purges")) == ["case", "source"]
    pulled = sync_project(zhao)
    assert len(pulled.purged) == 1 and "case" in pulled.purged[0]["what"]
    assert zhao.query("SELECT count(*) AS n FROM cases")[0]["n"] == 0
    assert {r["title"] for r in zhao.query("SELECT title FROM sources")} == {"王五访谈"}
    data = file_bytes(zhao.path)
    assert "刘霞".encode() not in data and held(data) == []


def test_the_same_text_imported_by_another_member_goes_too(team, tmp_path):
    from fieldcase.store.project import init_project

    projects, roles, hub = team
    lead = projects["lead"]
    gone = source_uuid(lead, "刘霞访谈")
    text = sources.get(lead, "刘霞访谈")["text"]
    li = init_project(tmp_path / "li.fieldcase", user="li", framework="none")
    own = sources.add(li, {"title": "刘霞访谈（李）", "text": text, "kind": "interview"})
    twin = li.query("SELECT uuid FROM sources WHERE id = ?", [own])[0]["uuid"]
    connect_project(li, hub.url_as(roles["zhao"]))
    sync_project(li)
    purge.run(lead, lambda p: plan_source(p, gone), backup=False)
    sync_project(lead)
    assert held(hub_dump(hub)) == [] and "刘霞访谈（李）".encode() not in hub_dump(hub)
    assert sorted(t for (t,) in hub.execute("SELECT target_uuid FROM fieldcase.purges")) == sorted({gone, twin})
    li.close()
    from click.testing import CliRunner

    from fieldcase.cli import cli
    from fieldcase.store.project import open_project

    done = CliRunner().invoke(cli, ["sync", "-p", str(tmp_path / "li.fieldcase")])
    assert done.exit_code == 0, done.output
    assert "erased here, as lead purged it on the hub: source 1" in done.output
    li = open_project(tmp_path / "li.fieldcase")
    try:
        assert {r["title"] for r in li.query("SELECT title FROM sources")} == {"王五访谈"}
    finally:
        li.close()
    assert held(file_bytes(tmp_path / "li.fieldcase")) == []
