"""Backups: made with SQLite's online backup before risky steps and every N minutes of work,
pruned to the newest K automatic ones, listed, and restored with the current file kept aside."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import INTERVIEW_TEXT, count, write
from fieldcase.errors import InputError, ProjectError
from fieldcase.store import backups, codes, migrations
from fieldcase.store.backups import backup_folder, list_backups, make_backup
from fieldcase.store.project import open_project
from fieldcase.store.restoring import restore


def sources_in(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM sources ORDER BY id")]
    finally:
        conn.close()


def old_backup(project_path: Path, reason: str = "periodic", stamp: str = "20200101T000000") -> Path:
    """A backup file named as made long ago (its content: a copy of the project)."""
    folder = backup_folder(project_path)
    folder.mkdir(exist_ok=True)
    target = folder / f"{project_path.stem}.{stamp}.{reason}.fieldcase"
    conn = sqlite3.connect(project_path)
    dest = sqlite3.connect(target)
    conn.backup(dest)
    dest.close()
    conn.close()
    return target


def test_a_backup_is_a_whole_copy_in_the_private_folder(coded):
    project, _ = coded
    path = make_backup(project, "manual")
    assert path.parent == backup_folder(project.path) == project.path.with_name("study.fieldcase-backups")
    assert path.name.startswith("study.") and path.name.endswith(".manual.fieldcase")
    with open_project(path) as copy:
        assert count(copy, "sources") == 1 and count(copy, "codes") == 3
    assert list_backups(project.path) == [path]
    (listed,) = backups.backups(project.path)
    assert listed.reason == "manual" and listed.bytes == path.stat().st_size and not listed.automatic
    assert not list(path.parent.glob(".*"))  # nothing half-written left beside it


def test_a_backup_in_the_middle_of_a_change_is_refused_not_waited_for(project):
    with project.change("x", "x"):
        with pytest.raises(ProjectError, match="in the middle of a change"):
            make_backup(project, "manual")


def test_a_backup_of_the_state_before_a_change_can_be_made_inside_it(project):
    sources_before = count(project, "sources")
    with project.change("x", "x") as w:
        w.insert("sites", {"name": "新村"})
        path = make_backup(project, "merge", before_change=True)
        assert count(project, "sites") == 1
    with open_project(path) as copy:
        assert count(copy, "sites") == 0 and count(copy, "sources") == sources_before


def test_automatic_backups_beyond_keep_are_pruned_oldest_first_but_manual_ones_never(project):
    backups.change_settings(project, keep=2)
    manual = make_backup(project, "manual")
    made = [make_backup(project, reason) for reason in ("import", "periodic", "purge", "merge")]
    left = list_backups(project.path)
    assert manual in left and made[-2:] == [p for p in left if p != manual]
    assert not made[0].exists() and not made[1].exists()


def test_keep_zero_keeps_every_backup(project):
    backups.change_settings(project, keep=0)
    made = [make_backup(project, "periodic") for _ in range(12)]
    assert list_backups(project.path) == made


def test_a_backup_to_a_named_file_is_never_pruned_and_never_overwritten(project, tmp_path, cli):
    result = cli("backup", "--to", str(tmp_path / "usb" / "copy.fieldcase"))
    assert result.exit_code == 0
    assert result.output == f"{tmp_path / 'usb' / 'copy.fieldcase'}\n"
    backups.change_settings(project, keep=1)
    for _ in range(3):
        make_backup(project, "periodic")
    assert (tmp_path / "usb" / "copy.fieldcase").exists()
    with pytest.raises(InputError, match="a file already exists there"):
        make_backup(project, "manual", to=tmp_path / "usb" / "copy.fieldcase")
    into_folder = make_backup(project, "manual", to=tmp_path / "usb")
    assert into_folder.parent == tmp_path / "usb" and into_folder.name.endswith(".manual.fieldcase")


def test_a_write_backs_up_when_the_newest_backup_is_older_than_the_interval(coded, project_path):
    coded[0].close()
    old = old_backup(project_path)
    project = open_project(project_path)  # a process starting work
    codes.add(project, key="new1", name_en="New one")
    newest = list_backups(project.path)[-1]
    assert newest != old and newest.name.endswith(".periodic.fieldcase")
    with open_project(newest) as copy:  # made before the write
        assert copy.query("SELECT key FROM codes WHERE key = 'new1'") == []
    codes.add(project, key="new2", name_en="New two")
    assert len(list_backups(project.path)) == 2  # not again until the interval has passed
    project.close()


def test_no_timed_backup_for_a_young_project_or_with_every_zero(coded, project_path):
    project, _ = coded
    codes.add(project, key="new1", name_en="New one")
    assert list_backups(project_path) == []  # created just now: not due for 30 minutes
    old_backup(project_path)
    backups.change_settings(project, every_minutes=0)
    project.close()
    with open_project(project_path) as again:
        codes.add(again, key="new2", name_en="New two")
    assert len(list_backups(project_path)) == 1


def test_backups_command_sets_lists_and_prints_json(project, cli):
    make_backup(project, "manual")
    old_backup(project.path, "import")
    result = cli("backups", "--every", "5", "--keep", "3")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Backups of {project.path}: every 5 minutes of work; the newest 3 automatic ones kept.")
    assert "reason" in lines[1] and "import" in lines[3] and "manual" in lines[4]
    data = json.loads(cli("backups", "--json").output)
    assert (data["every_minutes"], data["keep"]) == (5, 3)
    assert [b["reason"] for b in data["backups"]] == ["import", "manual"]
    assert data["backups"][0]["at"] == "2020-01-01T00:00:00Z" and data["backups"][0]["automatic"] is True


def older_project(path: Path) -> Path:
    """A project file at the schema before the current one."""
    from sqlite_utils import Database

    conn = sqlite3.connect(path)
    migrations.migrate(Database(conn), upto=len(migrations.all_migrations()) - 1)
    conn.execute("INSERT INTO project_info (key, value) VALUES ('name', 'old')")
    conn.commit()
    conn.close()
    return path


def test_a_migration_backs_up_into_the_folder_and_old_bak_files_are_listed(tmp_path):
    path = older_project(tmp_path / "old.fieldcase")
    legacy = tmp_path / "old.fieldcase.v3.bak"
    legacy.write_bytes(b"")
    open_project(path).close()
    listed = backups.backups(path)
    assert [b.reason for b in listed] == ["migration-v3", f"migration-v{len(migrations.all_migrations()) - 1}"]
    assert listed[0].path == legacy


def test_importing_a_folder_backs_up_first_and_two_files_do_not(project, tmp_path, cli):
    one, two = write(tmp_path / "a.txt", "访谈者：一？\nH：一。\n"), write(tmp_path / "b.txt", "访谈者：二？\nH：二。\n")
    assert cli("import", str(one), str(two)).exit_code == 0
    assert list_backups(project.path) == []
    write(tmp_path / "batch" / "c.txt", INTERVIEW_TEXT)
    result = cli("import", str(tmp_path / "batch"))
    (made,) = list_backups(project.path)
    assert result.output.splitlines()[0] == f"Backed the project up first: {made}"
    assert sources_in(made) == ["a", "b"]


def test_importing_ten_files_backs_up_first(project, tmp_path, cli):
    files = [str(write(tmp_path / f"{n}.txt", f"第{n}份笔记，内容不同。\n")) for n in range(10)]
    result = cli("import", "--json", *files)
    assert result.exit_code == 0
    (made,) = list_backups(project.path)
    assert made.name.endswith(".import.fieldcase")
    assert all(json.loads(line)["status"] == "imported" for line in result.stdout.splitlines())


def test_restore_puts_a_backup_back_and_keeps_the_current_project_aside(coded, project_path, cli, tmp_path):
    project, _ = coded
    saved = make_backup(project, "manual")
    import_one(project, tmp_path)
    reader = sqlite3.connect(project_path)  # another window, open throughout
    assert len(sources_in(project_path)) == 2
    result = cli("restore", str(saved), "--yes")
    assert result.exit_code == 0, result.output
    kept = next(b.path for b in backups.backups(project_path) if b.reason == "before-restore")
    assert result.output.splitlines()[-2:] == [f"Kept the project as it was: {kept}",
                                               f"Restored {project_path} from {saved}."]
    assert sources_in(kept) == ["h", "later"]
    assert [r[0] for r in reader.execute("SELECT title FROM sources")] == ["h"]
    reader.close()
    project.close()
    with open_project(project_path) as reopened:
        assert [s["title"] for s in reopened.query("SELECT title FROM sources")] == ["h"]
    assert cli("check").exit_code == 0


def test_restore_is_not_fooled_by_the_current_files_write_ahead_log(coded, project_path, tmp_path):
    project, _ = coded
    saved = make_backup(project, "manual")
    project.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the new source stays in -wal only
    import_one(project, tmp_path)
    assert Path(f"{project_path}-wal").stat().st_size > 0
    restore(project_path, saved)
    project.close()  # its close checkpoints whatever the log holds into the restored file
    assert sources_in(project_path) == ["h"]
    with open_project(project_path) as reopened:
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_asks_first(project, project_path, cli):
    saved = make_backup(project, "manual")
    result = cli("restore", str(saved), input="n\n")
    assert "Replace the project's content with the backup's" in result.output and result.output.endswith("Nothing restored.\n")
    assert [b.reason for b in backups.backups(project_path)] == ["manual"]


@pytest.mark.parametrize("content, problem", [
    (b"just some notes\n" * 100, "not a fieldcase project (not an SQLite database)"),
    (None, "an SQLite database, but not a fieldcase project"),
], ids=["text", "other-database"])
def test_restore_refuses_what_is_not_a_project(project, project_path, tmp_path, cli, content, problem):
    other = tmp_path / "other.fieldcase"
    if content is None:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    else:
        other.write_bytes(content)
    result = cli("restore", str(other), "--yes")
    assert result.exit_code == 1 and result.output.startswith(f"error: {other}: ") and problem in result.output
    assert list_backups(project_path) == []  # nothing kept aside: nothing was replaced


def test_restore_refuses_a_project_from_a_newer_fieldcase(project, project_path, cli):
    saved = make_backup(project, "manual")
    conn = sqlite3.connect(saved)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'later')")
    conn.commit()
    conn.close()
    result = cli("restore", str(saved), "--yes")
    assert result.exit_code == 1 and "made by a newer fieldcase (schema 999" in result.output


def test_restore_over_a_damaged_file_moves_it_aside(project, project_path, cli):
    saved = make_backup(project, "manual")
    project.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{project_path}{suffix}").unlink(missing_ok=True)
    project_path.write_bytes(b"\x00garbage" * 4096)
    result = cli("restore", str(saved), "--yes")
    assert result.exit_code == 0, result.output
    (damaged,) = backup_folder(project_path).glob("*.before-restore.fieldcase.damaged")
    assert damaged.read_bytes().startswith(b"\x00garbage")
    assert cli("check").exit_code == 0


def import_one(project, tmp_path: Path) -> None:
    from fieldcase.importers import import_paths

    import_paths(project, [write(tmp_path / "later.txt", "访谈者：后来呢？\nH：后来就好了。\n")])


def test_restore_refuses_a_file_of_another_page_size_before_touching_anything(project, project_path, tmp_path, cli):
    other = tmp_path / "other.fieldcase"
    conn = sqlite3.connect(other)
    project.conn.backup(conn)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.close()
    result = cli("restore", str(other), "--yes")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (f"error: {other}: its pages are 8192 bytes, the project's 4096; SQLite "
                                              f"cannot restore it in place. With no one working on the project, "
                                              f"copy it over {project_path} instead")
    assert list_backups(project_path) == []


@pytest.fixture
def encrypted_project(project_path, tmp_path, monkeypatch):
    """An encrypted project holding one interview; its passphrase in the environment."""
    from fieldcase.importers import import_paths
    from fieldcase.store import cipher
    from fieldcase.store.project import init_project

    monkeypatch.setenv(cipher.PASSPHRASE_ENV, "correct horse 马")
    with init_project(project_path, user="tester", framework="none", passphrase="correct horse 马") as project:
        import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)])
    return project_path


def test_an_encrypted_project_is_backed_up_and_restored_encrypted(encrypted_project, tmp_path, cli):
    saved = Path(cli("backup").output.strip())
    assert b"2012" not in saved.read_bytes()
    with open_project(encrypted_project) as project:
        import_one(project, tmp_path)
    assert cli("restore", str(saved), "--yes").exit_code == 0
    assert b"2012" not in encrypted_project.read_bytes()
    with open_project(encrypted_project) as project:
        assert [r["title"] for r in project.query("SELECT title FROM sources")] == ["h"]
    assert cli("check").exit_code == 0


def test_a_restore_never_changes_whether_the_project_is_encrypted(encrypted_project, tmp_path, cli):
    plain = tmp_path / "plain.fieldcase"
    from fieldcase.store.project import init_project

    init_project(plain, user="tester", framework="none").close()
    result = cli("restore", str(plain), "--yes")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (f"error: {plain}: not encrypted, but the project is; a restore keeps "
                                              f"the project as it is (first run: fieldcase encrypt -p {plain})")
    assert list_backups(encrypted_project) == []
