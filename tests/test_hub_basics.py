"""The team hub's foundations on a real PostgreSQL: init, connect, status, roles, errors."""

from __future__ import annotations

import json
import socket

import psycopg
import pytest
from click.testing import CliRunner

from fieldcase.cli import cli as main
from fieldcase.errors import InputError
from fieldcase.hubstore import migrations
from fieldcase.hubstore.connection import connect, refuse_password, translating
from fieldcase.hubstore.errors import HubAuthError, HubTooNewError, HubWriteRefusedError, NotAHubError
from fieldcase.hubstore.schema import init_hub, roles_for

PASSWORD = "s3cret-Pa55word"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def hub_tables(pg_db) -> set[str]:
    return {r[0] for r in pg_db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'fieldcase'")}


def test_init_makes_a_hub_and_again_changes_nothing(pg_db) -> None:
    first = run("hub", "init", pg_db.url)
    assert first.exit_code == 0, first.output
    shipped = migrations.all_migrations()
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in shipped)
    assert f"schema version {shipped[-1].version} ({names} applied)" in first.output
    assert {"groups", "entries", "texts", "sources", "codings", "coded_segments",
            "team_activity", "hub_migrations"} <= hub_tables(pg_db)
    ledger = pg_db.execute("SELECT version, name FROM fieldcase.hub_migrations")
    schema_before = pg_db.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = 'fieldcase' ORDER BY 1, 2")

    second = run("hub", "init", pg_db.url)
    assert second.exit_code == 0, second.output
    assert f"up to date (schema version {shipped[-1].version})" in second.output
    assert "Created group role" not in second.output
    assert pg_db.execute("SELECT version, name FROM fieldcase.hub_migrations") == ledger
    assert pg_db.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = 'fieldcase' ORDER BY 1, 2") == schema_before


def test_a_database_with_other_tables_is_refused_unless_the_hub_goes_beside_them(pg_db) -> None:
    pg_db.execute("CREATE TABLE public.their_table (id int)")
    pg_db.execute("CREATE SCHEMA finance")
    pg_db.execute("CREATE VIEW finance.totals AS SELECT 1 AS n")
    refused = run("hub", "init", pg_db.url)
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1, refused.output
    assert "is not empty (1 in schema finance, 1 in schema public)" in refused.output
    assert "--beside-other-tables" in refused.output and "nothing was changed" in refused.output
    assert hub_tables(pg_db) == set()
    assert run("hub", "init", pg_db.url, "--beside-other-tables").exit_code == 0  # the schema is apart
    assert pg_db.execute("SELECT count(*) FROM public.their_table") == [(0,)]
    assert run("hub", "init", pg_db.url).exit_code == 0  # a hub now: upgraded or left, never refused


def test_a_foreign_fieldcase_schema_is_refused(pg_db) -> None:
    pg_db.execute("CREATE SCHEMA fieldcase")
    pg_db.execute("CREATE TABLE fieldcase.accounts (id int)")
    result = run("hub", "init", pg_db.url)
    assert result.exit_code == 1
    assert "not a fieldcase hub's; nothing was changed" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert hub_tables(pg_db) == {"accounts"}


def test_a_newer_hub_schema_is_refused(pg_db, tmp_path) -> None:
    init_hub(pg_db.url)
    pg_db.execute("INSERT INTO fieldcase.hub_migrations (version, name) VALUES (99, 'future')")
    with pytest.raises(HubTooNewError, match="version 99, newer than this fieldcase knows"):
        init_hub(pg_db.url)
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    result = run("hub", "connect", pg_db.url, "-p", project)
    assert result.exit_code == 1 and "upgrade fieldcase" in result.output


def test_two_inits_at_once_apply_the_schema_once(pg_db) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: init_hub(pg_db.url), range(3)))
    # each step is applied by one of them (which one takes which step may vary from step to step)
    assert sum(len(r["applied"]) for r in results) == len(migrations.all_migrations())
    assert sorted(name for r in results for name in r["applied"]) == [
        f"{m.version:04d}_{m.name}" for m in migrations.all_migrations()]
    assert pg_db.execute("SELECT count(*) FROM fieldcase.hub_migrations") == [(len(migrations.all_migrations()),)]


def test_connect_refuses_a_url_with_a_password(pg_db, tmp_path) -> None:
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    url = pg_db.url_as("postgres", PASSWORD)
    result = run("hub", "connect", url, "-p", project)
    assert result.exit_code == 1
    assert PASSWORD not in result.output
    assert "PGPASSWORD" in result.output and len(result.output.strip().splitlines()) == 1
    with pytest.raises(InputError):
        refuse_password(f"host=127.0.0.1 dbname=x password={PASSWORD}")
    status = run("hub", "status", "-p", project)
    assert status.exit_code == 1 and "not attached to a hub" in status.output


def test_connect_refuses_a_database_that_is_no_hub(pg_db, tmp_path) -> None:
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    result = run("hub", "connect", pg_db.url, "-p", project)
    assert result.exit_code == 1
    assert "is not a fieldcase hub" in result.output


def test_status_counts_what_is_not_pushed_or_pulled(pg_db, tmp_path) -> None:
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    assert run("site", "add", "Xiaoshan", "-p", project).exit_code == 0, "a first change group"
    assert run("hub", "init", pg_db.url).exit_code == 0
    connected = run("hub", "connect", pg_db.url, "-p", project)
    assert connected.exit_code == 0, connected.output

    from fieldcase.store.project import open_project

    with open_project(tmp_path / "p.fieldcase") as opened:
        local = [r["uuid"] for r in opened.query("SELECT uuid FROM change_groups ORDER BY id")]
        with opened.transaction():
            for status in ("open", "mine"):
                opened.conn.execute(
                    "INSERT INTO conflicts (table_name, row_uuid, field, mine, theirs, what, other,"
                    " found_in, status) VALUES ('sites', ?, 'name', 'a', 'b', 'edit', 'x', 1, ?)",
                    [status, status])
            opened.conn.execute("INSERT INTO known_groups (uuid, merge_id) VALUES ('other-2', 1)")
    assert local
    # The hub holds the first local group and two of someone else's.
    for uuid, author in [(local[0], "tester"), ("other-1", "li"), ("other-2", "li")]:
        pg_db.execute("INSERT INTO fieldcase.groups (uuid, at, author, action, summary)"
                      " VALUES (%s, now(), %s, 'x', 'y')", [uuid, author])
    # …and two conflicts found by members' syncs, one of them settled since
    for key in ("c-open", "c-settled"):
        pg_db.execute("INSERT INTO fieldcase.conflicts_found (id, table_name, row_uuid, field, mine, theirs, what,"
                      " other, found_in, found_by) VALUES (%s, 'codes', 'u', 'name_zh', '\"a\"', '\"b\"',"
                      " 'value', 'the hub', 'other-1', 'li')", [key])
    pg_db.execute("INSERT INTO fieldcase.conflict_settlements (conflict_id, keep, settled_at, settled_by)"
                  " VALUES ('c-settled', 'theirs', 'now', 'li')")
    result = run("hub", "status", "-p", project, "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["reachable"] is True and status["error"] is None
    assert status["version"] == migrations.all_migrations()[-1].version and status["hub_groups"] == 3
    assert status["to_push"] == len(local) - 1
    assert status["to_pull"] == 1, "other-2 came in through a merge of copies"
    assert status["open_conflicts"] == 1, "the team's, counted on the hub"
    assert status["local_open_conflicts"] == 1
    assert status["hub"] == pg_db.url
    assert pg_db.execute("SELECT author, groups FROM fieldcase.team_activity ORDER BY author") == [
        ("li", 2), ("tester", 1)]


def test_status_of_an_unreachable_hub_is_a_status(tmp_path) -> None:
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    from fieldcase.store import hub_link
    from fieldcase.store.project import open_project

    with open_project(tmp_path / "p.fieldcase") as opened:
        hub_link.set_hub_url(opened, f"postgresql://someone@127.0.0.1:{_closed_port()}/team")
    result = run("hub", "status", "-p", project)
    assert result.exit_code == 1, result.output  # not usable: said, and by the exit status
    assert "Not usable: cannot reach the hub at 127.0.0.1:" in result.output
    as_json = run("hub", "status", "-p", project, "--json")
    assert as_json.exit_code == 1 and '"reachable": false' in as_json.output


def test_history_is_append_only(pg_db) -> None:
    init_hub(pg_db.url)
    pg_db.execute("INSERT INTO fieldcase.groups (uuid, at, author, action, summary)"
                  " VALUES ('g1', now(), 'li', 'x', 'y')")
    for statement in ("UPDATE fieldcase.groups SET summary = 'z'", "DELETE FROM fieldcase.groups",
                      "TRUNCATE fieldcase.entries"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            pg_db.execute(statement)
    assert pg_db.execute("SELECT summary FROM fieldcase.groups") == [("y",)]


def test_a_read_only_member_reads_but_a_write_is_refused(pg_db, pg_role, tmp_path) -> None:
    init_hub(pg_db.url)
    reader, member = pg_role(PASSWORD), pg_role(PASSWORD)
    assert run("hub", "grant", reader, "--read-only", "--hub", pg_db.url).exit_code == 0
    granted = run("hub", "grant", member, "--hub", pg_db.url)
    assert granted.exit_code == 0, granted.output
    env = {"PGPASSWORD": PASSWORD}

    as_reader = pg_db.url_as(reader)
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    connected = run("hub", "connect", as_reader, "-p", project, env=env)
    assert connected.exit_code == 0, connected.output
    assert json.loads(run("hub", "status", "-p", project, "--json", env=env).output)["hub_groups"] == 0

    insert = ("INSERT INTO fieldcase.groups (uuid, at, author, action, summary)"
              " VALUES ('g1', now(), 'li', 'x', 'y')")
    with connect(as_reader, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM fieldcase.coded_segments").fetchone() == (0,)
        with pytest.raises(HubWriteRefusedError) as refused, translating(as_reader):
            conn.execute(insert)
    assert str(refused.value).startswith(
        f"hub_write_refused: role {reader!r} may only read the hub at 127.0.0.1:5432/{pg_db.name}")
    assert pg_db.execute("SELECT count(*) FROM fieldcase.groups") == [(0,)]

    with connect(pg_db.url_as(member), autocommit=True) as conn:
        conn.execute(insert)
        conn.execute("INSERT INTO fieldcase.codes (uuid, key, name_en, created_at, created_by,"
                     " modified_at, modified_by) VALUES ('c1', 'A', 'a', '', '', '', '')")
        conn.execute("UPDATE fieldcase.codes SET key = 'B'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM fieldcase.hub_migrations")
    assert pg_db.execute("SELECT pushed_by FROM fieldcase.groups") == [(member,)]

    # Made read-only later, the member loses the right to push.
    assert run("hub", "grant", member, "--read-only", "--hub", pg_db.url).exit_code == 0
    with connect(pg_db.url_as(member), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert.replace("'g1'", "'g2'"))


def test_role_creation_is_idempotent(pg_db) -> None:
    roles = roles_for(pg_db.name)
    first = init_hub(pg_db.url)
    assert set(first["roles_created"]) == {roles.member, roles.reader}
    pg_db.execute(f'DROP OWNED BY "{roles.reader}"')
    pg_db.execute(f'DROP ROLE "{roles.reader}"')  # a role lost: the next init makes it again
    again = init_hub(pg_db.url)
    assert again["roles_created"] == [roles.reader]
    assert init_hub(pg_db.url)["roles_created"] == []
    assert pg_db.execute("SELECT has_table_privilege(%s, 'fieldcase.sources', 'SELECT')",
                         [roles.reader]) == [(True,)]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_host_is_one_line_without_the_password() -> None:
    url = f"postgresql://someone@127.0.0.1:{_closed_port()}/team"
    result = run("hub", "init", url, env={"PGPASSWORD": PASSWORD})
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and PASSWORD not in result.output
    assert lines[0].startswith("error: cannot reach the hub at 127.0.0.1:")


def test_a_missing_database_is_named(pg_db) -> None:
    url = pg_db.url.replace(pg_db.name, pg_db.name + "_gone")
    result = run("hub", "init", url)
    assert result.exit_code == 1
    assert "has no such database" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_ledger_lists_every_shipped_step() -> None:
    versions = [m.version for m in migrations.all_migrations()]
    assert versions[0] == 1 and versions == sorted(set(versions))
    assert NotAHubError.__mro__[1].__name__ == "HubError"


def test_only_an_owner_makes_the_hub_but_a_member_may_run_init_again(pg_db, pg_role) -> None:
    login = pg_role(PASSWORD)
    as_login = pg_db.url_as(login)
    pg_db.execute("REVOKE CREATE ON DATABASE " + pg_db.name + " FROM PUBLIC")
    result = run("hub", "init", as_login, env={"PGPASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert result.output.startswith(f"error: role '{login}' may not create or upgrade the hub at ")
    assert len(result.output.strip().splitlines()) == 1 and PASSWORD not in result.output
    assert hub_tables(pg_db) == set()

    init_hub(pg_db.url)
    assert run("hub", "grant", login, "--read-only", "--hub", pg_db.url).exit_code == 0
    again = run("hub", "init", as_login, env={"PGPASSWORD": PASSWORD})
    assert again.exit_code == 0 and f"up to date (schema version {migrations.all_migrations()[-1].version})" in again.output


def test_a_login_that_is_no_member_is_told_so(pg_db, pg_role) -> None:
    init_hub(pg_db.url)
    outsider = pg_role(PASSWORD)
    url = pg_db.url_as(outsider)
    with connect(url, autocommit=True) as conn:
        with pytest.raises(HubAuthError, match=f"role '{outsider}' is no member of the hub"), translating(url):
            conn.execute("SELECT count(*) FROM fieldcase.groups")


def test_a_step_the_ledger_lacks_below_the_newest_is_applied(pg_db) -> None:
    """A step numbered below the hub's newest (two branches that took numbers in turn) is
    applied when the ledger lacks it, not skipped."""
    init_hub(pg_db.url)
    pg_db.execute("DROP TABLE fieldcase.framework_cells, fieldcase.framework_links")
    pg_db.execute("DELETE FROM fieldcase.hub_migrations WHERE version = 3")
    again = init_hub(pg_db.url)
    assert again["applied"] == ["0003_framework_cells"]
    assert {"framework_cells", "framework_links"} <= hub_tables(pg_db)
    assert again["version"] == migrations.all_migrations()[-1].version


def test_connecting_again_after_a_sync_has_nothing_of_yours_to_push(pg_db, tmp_path) -> None:
    """`hub connect` again (the hub's address changed): what the hub holds is not counted as to push."""
    project = str(tmp_path / "p.fieldcase")
    assert run("init", "-p", project, "--framework", "none").exit_code == 0
    assert run("site", "add", "Xiaoshan", "-p", project).exit_code == 0
    assert run("hub", "init", pg_db.url).exit_code == 0
    first = run("hub", "connect", pg_db.url, "-p", project)
    assert first.exit_code == 0 and "; 0 of yours to push" not in first.output, first.output
    assert run("sync", "-p", project).exit_code == 0
    again = run("hub", "connect", pg_db.url, "-p", project)
    assert again.exit_code == 0 and "; 0 of yours to push" in again.output, again.output
