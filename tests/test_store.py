"""The project file: creation, opening, settings, identity stamps and the change log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fieldcase.config import default_project_path, resolve_project_path, resolve_user
from fieldcase.errors import InputError, NotFoundError, ProjectError
from fieldcase.store import cases, sites
from fieldcase.store.project import init_project, open_project


def test_new_project_is_wal_with_foreign_keys_and_busy_timeout(project):
    conn = project.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_project_file_is_plain_sqlite_with_readable_names(project, project_path):
    project.close()
    conn = sqlite3.connect(project_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"sites", "cases", "sources", "source_cases", "turns", "attributes", "changes"} <= tables
    columns = {r[1] for r in conn.execute("PRAGMA table_info(sources)")}
    assert {"title", "kind", "interviewer", "consent", "encoding", "text", "file_sha256"} <= columns


def test_init_refuses_an_existing_file(project_path, project):
    with pytest.raises(ProjectError, match="already exists"):
        init_project(project_path)


def test_open_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(ProjectError, match="no project there"):
        open_project(tmp_path / "missing.fieldcase")
    text = tmp_path / "notes.fieldcase"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="not an SQLite database"):
        open_project(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ProjectError, match="not a fieldcase project"):
        open_project(other)


def test_entities_get_uuid_times_and_user(project):
    site = sites.add(project, "X village", province="Zhejiang")
    row = project.query("SELECT * FROM sites WHERE id = ?", [site["id"]])[0]
    assert len(row["uuid"]) == 36
    assert row["created_by"] == row["modified_by"] == "tester"
    assert row["created_at"].endswith("Z") and row["created_at"] == row["modified_at"]


def test_every_write_is_logged_with_before_and_after(project):
    site = sites.add(project, "X village")
    sites.update(project, site["id"], {"county": "W county"})
    groups = project.query("SELECT * FROM change_groups ORDER BY id")
    assert [g["action"] for g in groups] == ["site.add", "site.update"]
    assert all(g["user"] == "tester" for g in groups)
    change = project.query("SELECT * FROM changes WHERE group_id = ?", [groups[1]["id"]])[0]
    assert change["op"] == "update" and change["table_name"] == "sites"
    assert json.loads(change["before"])["county"] is None
    assert json.loads(change["after"])["county"] == "W county"


def test_change_log_is_append_only(project):
    sites.add(project, "X village")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("UPDATE changes SET op = 'delete'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("DELETE FROM change_groups")


def test_failed_change_group_leaves_nothing(project):
    with pytest.raises(InputError):
        with project.change("test", "two sites, the second bad") as w:
            sites.add(project, "X village", writer=w)
            sites.add(project, "", writer=w)
    assert project.query("SELECT * FROM sites") == []
    assert project.query("SELECT * FROM change_groups") == []


def test_cases_live_in_sites_and_are_found_by_name_or_site_slash_name(project):
    sites.add(project, "X village")
    sites.add(project, "Xiamu Village")
    cases.add(project, "村支书", site="X village", kind="person")
    cases.add(project, "村支书", site="Xiamu Village", kind="person")
    with pytest.raises(Exception, match="2 cases are named"):
        cases.find(project, "村支书")
    assert cases.find(project, "Xiamu Village/村支书")["site_id"] == 2
    with pytest.raises(InputError, match="already exists in site"):
        cases.add(project, "村支书", site="X village")
    with pytest.raises(NotFoundError):
        cases.add(project, "H", site="Nowhere")


def test_project_path_precedence(monkeypatch, tmp_path):
    assert resolve_project_path(None) == default_project_path()
    monkeypatch.setenv("FIELDCASE_PROJECT", str(tmp_path / "env.fieldcase"))
    assert resolve_project_path(None) == tmp_path / "env.fieldcase"
    assert resolve_project_path(tmp_path / "x.fieldcase") == tmp_path / "x.fieldcase"


def test_user_precedence(monkeypatch):
    assert resolve_user("zhao") == "zhao"
    assert resolve_user(None) == "tester"
    monkeypatch.delenv("FIELDCASE_USER")
    assert resolve_user(None)  # the OS user


def test_second_connection_waits_instead_of_failing(project, project_path):
    other = open_project(project_path, user="second")
    with project.change("hold", "hold the write lock") as w:
        w.insert("sites", {"name": "X village"})
    sites.add(other, "Nandan County")
    assert {s["name"] for s in sites.list_all(other)} == {"X village", "Nandan County"}
    other.close()


def test_default_project_is_created_on_first_use(cli):
    result = cli("site", "add", "X village", project=False)
    assert result.exit_code == 0, result.output
    assert default_project_path().exists()
    assert isinstance(default_project_path(), Path)


def test_opening_a_project_again_in_one_process_keeps_other_processes_off_its_log(tmp_path):
    # The workspace holds a connection while its workers open the project again; a command
    # in another terminal must then not checkpoint and delete the log under it.
    import subprocess
    import sys

    from fieldcase.store import codes

    path = tmp_path / "p.fieldcase"
    wal = path.with_name(path.name + "-wal")
    other = f"from fieldcase.store.project import open_project; open_project({str(path)!r}).close()"
    with init_project(path, user="a", framework="none") as first:
        codes.add(first, name="x", key="x")
        assert wal.exists()
        open_project(path).close()  # what a worker does
        subprocess.run([sys.executable, "-c", other], check=True)
        assert wal.exists()
        codes.add(first, name="y", key="y")
        assert first.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_project(path) as again:
        assert {"x", "y"} <= {c["key"] for c in codes.tree(again)}
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
