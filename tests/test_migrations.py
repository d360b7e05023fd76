"""Schema changes go through numbered migrations; an older project opens and is upgraded."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import bare_database
from fieldcase.errors import ProjectError
from fieldcase.store import migrations
from fieldcase.store.backups import list_backups
from fieldcase.store.project import open_project


def test_migrations_are_numbered_named_and_complete():
    found = migrations.all_migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert len(found) >= 2 and all(m.name for m in found)


def test_blank_database_migrates_to_latest(tmp_path):
    db = bare_database(tmp_path / "x.fieldcase")
    applied = migrations.migrate(db)
    assert migrations.current_version(db) == len(migrations.all_migrations()) == len(applied)
    assert migrations.migrate(db) == []
    rows = db.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows[0] == (1, "initial")


def test_project_at_the_previous_version_is_backed_up_and_upgraded(tmp_path):
    path = tmp_path / "old.fieldcase"
    latest = len(migrations.all_migrations())
    db = bare_database(path)
    migrations.migrate(db, upto=latest - 1)
    db.execute("INSERT INTO project_info (key, value) VALUES ('name', 'old study')")
    db.execute(
        "INSERT INTO sites (uuid, name, created_at, created_by, modified_at, modified_by)"
        " VALUES ('u-1', 'X village', 't', 'zhao', 't', 'zhao')"
    )
    db.close()
    with open_project(path) as project:
        assert migrations.current_version(project.db) == latest
        assert project.query("SELECT name FROM sites") == [{"name": "X village"}]
        assert "codes" in project.db.table_names()
    (backup,) = list_backups(path)
    assert backup.parent == tmp_path / "old.fieldcase-backups"
    assert backup.name.endswith(f".migration-v{latest - 1}.fieldcase")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == latest - 1
    old.close()


def test_newer_project_is_refused(tmp_path):
    path = tmp_path / "new.fieldcase"
    db = bare_database(path)
    migrations.migrate(db)
    db.execute("INSERT INTO project_info (key, value) VALUES ('name', 'x')")
    db.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'later')")
    db.close()
    with pytest.raises(ProjectError, match="newer than this fieldcase"):
        open_project(path)


def test_failed_migration_step_leaves_nothing_half_done(tmp_path):
    db = bare_database(tmp_path / "x.fieldcase")
    statements = migrations.split_statements(
        "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\nINSERT INTO nowhere VALUES (1);"
    )
    assert len(statements) == 3
    with pytest.raises(sqlite3.OperationalError):
        with db.atomic():
            for statement in statements:
                db.execute(statement)
    assert "a" not in db.table_names()
