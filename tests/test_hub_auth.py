"""Passwords for the hub, on a private PostgreSQL cluster that really checks them (SCRAM on
127.0.0.1): the right one from PGPASSWORD or a .pgpass file lets a member in and sync; a
wrong one, or none, is one line that never shows it; a URL holding one is never stored; a
read-only member's push is refused with a clear message."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from psycopg import sql

from conftest import INTERVIEW_TEXT
from fieldcase.cli import cli
from fieldcase.exchange.hub import clone, connect_project, sync_project
from fieldcase.hubstore.connection import connect
from fieldcase.hubstore.errors import HubAuthError
from fieldcase.hubstore.schema import grant, init_hub
from fieldcase.store import codings, hub_link, sources
from fieldcase.store.project import init_project, open_project
from pg import private_cluster, unique_name  # noqa: F401  (private_cluster: a fixture)

RIGHT = "Right-pw-7c1d"
WRONG = "Wrong-pw-55e0"


@pytest.fixture
def hub(private_cluster, monkeypatch):  # noqa: F811
    """A hub in a fresh database of the private cluster, a member ``zhao`` and a reader
    ``sun`` (both with the password RIGHT); no password in the environment."""
    for name in ("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)  # (never the machine's ~/.pgpass)
    database = unique_name("fcauth")
    private_cluster.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)).as_string(None))
    init_hub(private_cluster.admin_url_of(database))
    members = {}
    for name, read_only in (("zhao", False), ("sun", True)):
        role = f"{name}_{database}"
        private_cluster.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(RIGHT)).as_string(None))
        grant(private_cluster.admin_url_of(database), role, read_only=read_only)
        members[name] = private_cluster.url(role, database)
    yield members, private_cluster, database
    private_cluster.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)).as_string(None))


def a_project(tmp_path, name: str = "p"):
    project = init_project(tmp_path / f"{name}.fieldcase", user=name)
    source = sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    return project


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def use_pgpass(tmp_path, monkeypatch, line: str) -> None:
    """A password file (0600, as libpq wants it) holding ``line``, in PGPASSFILE."""
    passfile = tmp_path / "pgpass"
    passfile.write_text(line + "\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))


def test_the_right_password_from_pgpassword_connects_and_syncs(hub, tmp_path, monkeypatch):
    members, cluster, database = hub
    assert cluster.execute("SELECT rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = %s",
                           [f"zhao_{database}"]) == [(True,)]
    monkeypatch.setenv("PGPASSWORD", RIGHT)
    project = a_project(tmp_path)
    connect_project(project, members["zhao"])
    report = sync_project(project)
    assert report.pushed_groups > 0 and not report.read_only
    assert cluster.execute("SELECT count(*) FROM fieldcase.codings", database=database) == [(1,)]
    project.close()


def test_the_right_password_from_a_pgpass_file_connects_and_syncs(hub, tmp_path, monkeypatch):
    members, cluster, database = hub
    use_pgpass(tmp_path, monkeypatch, f"127.0.0.1:{cluster.port}:{database}:zhao_{database}:{RIGHT}")
    path = str(tmp_path / "p.fieldcase")
    a_project(tmp_path).close()
    assert run("hub", "connect", members["zhao"], "-p", path).exit_code == 0
    done = run("sync", "-p", path)
    assert done.exit_code == 0, done.output
    assert "Pushed" in done.output and RIGHT not in done.output
    assert cluster.execute("SELECT count(*) FROM fieldcase.sources", database=database) == [(1,)]


@pytest.mark.parametrize("where", ["PGPASSWORD", "pgpass"])
def test_a_wrong_password_is_one_line_that_never_shows_it(hub, tmp_path, monkeypatch, where):
    members, cluster, database = hub
    if where == "PGPASSWORD":
        monkeypatch.setenv("PGPASSWORD", WRONG)
    else:
        use_pgpass(tmp_path, monkeypatch, f"*:*:*:*:{WRONG}")
    path = str(tmp_path / "p.fieldcase")
    a_project(tmp_path).close()
    for args in (["hub", "connect", members["zhao"], "-p", path], ["hub", "clone", members["zhao"], "-p",
                                                                    str(tmp_path / "c.fieldcase")]):
        done = run(*args)
        assert done.exit_code == 1
        assert done.output.strip() == (f"error: the hub at 127.0.0.1:{cluster.port}/{database} "
                                       f"refused the password of role 'zhao_{database}'")
        assert WRONG not in done.output
    project = open_project(path)
    try:
        assert hub_link.hub_url(project) is None  # nothing was attached
    finally:
        project.close()
    assert not (tmp_path / "c.fieldcase").exists()


def test_a_password_typed_at_the_prompt_is_checked_and_never_shown(hub):
    members, cluster, database = hub
    asked: list[str] = []
    with pytest.raises(HubAuthError, match="needs a password for role .*PGPASSWORD"):
        connect(members["zhao"], lambda prompt: asked.append(prompt) or None)
    with pytest.raises(HubAuthError, match="refused the password") as refused:
        connect(members["zhao"], lambda prompt: WRONG)
    assert WRONG not in str(refused.value) and len(str(refused.value).splitlines()) == 1
    with connect(members["zhao"], lambda prompt: RIGHT) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (f"zhao_{database}",)
    assert asked == [f"Password for the hub at 127.0.0.1:{cluster.port}/{database}: "]


def test_a_url_holding_a_password_is_refused_and_not_stored(hub, tmp_path):
    members, cluster, database = hub
    with_password = members["zhao"].replace("@", f":{RIGHT}@")
    path = str(tmp_path / "p.fieldcase")
    a_project(tmp_path).close()
    for args in (["hub", "connect", with_password, "-p", path],
                 ["hub", "clone", with_password, "-p", str(tmp_path / "c.fieldcase")]):
        done = run(*args)
        assert done.exit_code == 1 and "holds a password" in done.output
        assert RIGHT not in done.output and len(done.output.strip().splitlines()) == 1
    project = open_project(path)
    try:
        assert hub_link.hub_url(project) is None
    finally:
        project.close()
    assert RIGHT.encode() not in (tmp_path / "p.fieldcase").read_bytes()


def test_a_read_only_members_push_is_refused_with_a_clear_message(hub, tmp_path, monkeypatch):
    members, cluster, database = hub
    monkeypatch.setenv("PGPASSWORD", RIGHT)
    lead = a_project(tmp_path, "lead")
    connect_project(lead, members["zhao"])
    sync_project(lead)
    lead.close()
    reader, report = clone(members["sun"], tmp_path / "sun.fieldcase", "sun")
    assert report.read_only and reader.query("SELECT quote FROM codings") == [{"quote": "父母年纪也大了"}]
    codings.add(reader, sources.all_ids(reader)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    reader.close()
    done = run("sync", "-p", str(tmp_path / "sun.fieldcase"))
    assert done.exit_code == 1 and RIGHT not in done.output
    assert done.output.strip() == (
        f"error: hub_write_refused: pulled the team's work, but 1 changes of yours cannot be pushed: "
        f"your role may only read the hub at 127.0.0.1:{cluster.port}/{database}")
    assert cluster.execute("SELECT count(*) FROM fieldcase.codings", database=database) == [(1,)]
