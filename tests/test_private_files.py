"""Every file fieldcase writes that holds interview text is ``0600``, in a folder it makes
``0700``, under the usual umask of 022 that makes new files readable by every account."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from fieldcase.reports.exporting import export, export_codebook
from fieldcase.store import codings, drafts, sources
from fieldcase.store.backups import backup_folder, make_backup
from fieldcase.store.project import init_project, open_project
from fieldcase.store.restoring import restore


@pytest.fixture(autouse=True)
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_project_its_log_and_its_new_folders_are_private(tmp_path):
    (tmp_path / "home").mkdir(mode=0o755)
    path = tmp_path / "home" / "fieldwork" / "2024" / "study.fieldcase"
    with init_project(path, user="tester") as project:
        project.conn.execute("SELECT count(*) FROM codes").fetchone()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(f.exists() for f in files)
        assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
    assert mode(tmp_path / "home" / "fieldwork") == mode(tmp_path / "home" / "fieldwork" / "2024") == 0o700
    assert mode(tmp_path / "home") == 0o755  # a folder that was there is left as it was


def test_a_world_readable_project_is_made_private_on_open_with_one_notice(tmp_path, cli, project_path):
    init_project(project_path, user="tester").close()
    conn = sqlite3.connect(project_path)  # as an older fieldcase left it: every file 0644
    conn.execute("PRAGMA journal_mode = WAL")
    for suffix in ("", "-wal", "-shm"):
        os.chmod(f"{project_path}{suffix}", 0o644)
    first = cli("info")
    conn.close()
    assert first.exit_code == 0
    assert first.stderr == (f"notice: {project_path}: every account on this computer could read it; "
                            "now only you can (mode 600)\n")
    assert mode(project_path) == 0o600
    assert cli("info").stderr == ""


def test_a_project_shared_with_its_group_only_is_left_as_it_is(project_path):
    init_project(project_path, user="tester").close()
    os.chmod(project_path, 0o660)
    with open_project(project_path) as project:
        assert project.made_private == []
    assert mode(project_path) == 0o660


def test_backups_are_private_wherever_they_go(coded, tmp_path, project_path):
    project, _ = coded
    in_folder = make_backup(project, "periodic")
    elsewhere = make_backup(project, "manual", to=tmp_path / "usb" / "copy.fieldcase")
    assert mode(backup_folder(project_path)) == mode(tmp_path / "usb") == 0o700
    assert mode(in_folder) == mode(elsewhere) == 0o600
    project.close()
    restore(project_path, in_folder)
    kept = next(backup_folder(project_path).glob("*.before-restore.fieldcase"))
    assert mode(kept) == mode(project_path) == 0o600
    fresh = tmp_path / "restored-here.fieldcase"
    restore(fresh, elsewhere)  # restoring where no project was yet
    assert mode(fresh) == 0o600


def test_a_migration_backup_is_private(tmp_path):
    from test_backups import older_project

    path = older_project(tmp_path / "old.fieldcase")
    open_project(path).close()
    (made,) = backup_folder(path).iterdir()
    assert mode(made) == 0o600 and mode(made.parent) == 0o700


def test_a_kept_edit_is_private(coded):
    project, source_id = coded
    kept = drafts.keep_as_file(project, sources.get(project, source_id), "改过的文字")
    assert mode(kept) == 0o600 and mode(kept.parent) == 0o700


@pytest.mark.parametrize("what, fmt", [
    ("summary", "md"), ("summary", "html"), ("segments", "csv"), ("segments", "xlsx"), ("matrix", "csv"),
    ("case", "docx"),
])
def test_exports_are_private(sample, tmp_path, what, fmt):
    with open_project(sample) as project:
        codings.add(project, 1, "talent", 0, 20)
        out = export(project, what, fmt, tmp_path / "exports" / f"out.{fmt}", case="H" if what == "case" else None)
    assert mode(out) == 0o600 and mode(out.parent) == 0o700


@pytest.mark.parametrize("fmt", ["qdc", "md"])
def test_codebook_exports_are_private(coded, tmp_path, fmt):
    project, _ = coded
    export_codebook(project, tmp_path / f"codebook.{fmt}", fmt)
    assert mode(tmp_path / f"codebook.{fmt}") == 0o600


def test_the_word_splitters_cache_is_in_a_private_folder(isolated_user_dirs):
    from fieldcase.config import cache_dir
    from fieldcase.text.units import write_pieces

    path = cache_dir() / "jieba-test.pieces"
    assert write_pieces(path, ["stamp"], {"土地": 3}, 3)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
