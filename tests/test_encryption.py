"""Encrypted projects: every command, search, backups and the workspace work as on a plain
file; a wrong or missing passphrase is one line; the raw files hold no readable text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write
from fieldcase.cli import cli as root
from fieldcase.errors import ProjectError
from fieldcase.store import cipher
from fieldcase.store.db import backup
from fieldcase.store.project import init_project, open_project

PASSPHRASE = "correct horse 'battery' staple"
# a distinctive line, in ASCII and in Chinese, to look for in the raw bytes
SECRET = "ZEBRAQUOKKA lives in 张家坳"
INTERVIEW = f"访谈者：您好。\nH：{SECRET}，土地流转以后收入高了。\n访谈者：为什么？\nH：合作社。\n"
FIELDCASE = str(Path(sys.executable).with_name("fieldcase"))


@pytest.fixture
def passphrase(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def encrypted(tmp_path: Path, passphrase: str) -> Path:
    """An encrypted project holding one interview."""
    from fieldcase.importers import import_paths

    path = tmp_path / "study.fieldcase"
    with init_project(path, user="tester", framework="builtin", passphrase=passphrase) as project:
        import_paths(project, [write(tmp_path / "h.txt", INTERVIEW)])
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(root, list(args), catch_exceptions=False)


def readable(path: Path) -> bool:
    """Whether ``path`` holds the secret line, in ASCII or in UTF-8 Chinese."""
    data = path.read_bytes()
    return b"ZEBRAQUOKKA" in data or "张家坳".encode() in data


def test_every_command_works_on_an_encrypted_project(tmp_path, passphrase):
    path = tmp_path / "study.fieldcase"
    p = ["-p", str(path)]
    made = run("init", "--encrypt", *p)
    assert made.exit_code == 0 and "Created encrypted project 'study'" in made.output
    assert "Keep the passphrase safe" in made.output
    assert "1 imported" in run("import", str(write(tmp_path / "h.txt", INTERVIEW)), *p).output
    coded = run("code", "1", "talent", "--quote", "ZEBRAQUOKKA", *p)
    assert coded.exit_code == 0, coded.output
    assert "ZEBRAQUOKKA" in run("codings", *p).output
    found = run("search", "张家坳", *p)
    assert "1 hit in 1 source" in found.output and "【张家坳】" in found.output
    out = tmp_path / "segments.csv"
    assert run("export", "segments", "--out", str(out), *p).exit_code == 0
    assert "ZEBRAQUOKKA" in out.read_text(encoding="utf-8-sig")
    assert "合作社" in run("words", *p).output
    assert run("suggest", *p).exit_code == 0
    assert "Undid: Coded" in run("undo", *p).output
    assert "ZEBRAQUOKKA" not in run("codings", *p).output
    assert not readable(path)


def test_the_file_and_its_log_hold_no_readable_text(encrypted, passphrase):
    with open_project(encrypted, user="tester") as project:
        from fieldcase.store import codings

        codings.add(project, 1, "talent", 0, 20, memo=f"memo about {SECRET}")
        wal = Path(f"{encrypted}-wal")
        assert wal.stat().st_size > 0  # the change sits in the log while the file is open
        assert not readable(wal) and not readable(encrypted)
        assert SECRET in project.query("SELECT text FROM sources")[0]["text"]


def test_a_backup_is_encrypted_with_the_same_passphrase(encrypted, passphrase, tmp_path):
    copy = tmp_path / "copy.fieldcase"
    with open_project(encrypted) as project:
        backup(project.conn, copy)
    assert not readable(copy)
    with open_project(copy) as restored:
        assert SECRET in restored.query("SELECT text FROM sources")[0]["text"]
    done = subprocess.run([FIELDCASE, "info", "-p", str(copy)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, cipher.PASSPHRASE_ENV: "wrong"})
    assert done.returncode == 1 and "wrong passphrase" in done.stderr


def test_an_older_encrypted_project_is_backed_up_encrypted_and_upgraded(tmp_path, passphrase):
    from sqlite_utils import Database

    from fieldcase.store import migrations
    from fieldcase.store.backups import list_backups
    from fieldcase.store.db import open_connection

    path = tmp_path / "old.fieldcase"
    latest = len(migrations.all_migrations())
    db = Database(open_connection(path, passphrase=passphrase))
    migrations.migrate(db, upto=latest - 1)
    db.execute("INSERT INTO project_info (key, value) VALUES ('name', ?)", [SECRET])
    db.close()
    with open_project(path) as project:
        assert migrations.current_version(project.conn) == latest
    (saved,) = list_backups(path)
    assert saved.name.endswith(f".migration-v{latest - 1}.fieldcase")
    assert not readable(saved) and not readable(path)
    with open_project(saved) as old:
        assert old.info()["name"] == SECRET


def test_a_file_replaced_by_its_backup_still_opens_in_the_same_process(encrypted, tmp_path, monkeypatch):
    copy = tmp_path / "copy.fieldcase"
    for _ in range(3):  # the later openings use the key derived from the file's salt
        with open_project(encrypted) as project:
            project.query("SELECT count(*) FROM sources")
    with open_project(encrypted) as project:
        backup(project.conn, copy)
    os.replace(copy, encrypted)  # a backup has a salt of its own
    monkeypatch.delenv(cipher.PASSPHRASE_ENV)
    with open_project(encrypted) as project:
        assert SECRET in project.query("SELECT text FROM sources")[0]["text"]


@pytest.mark.parametrize("given, said", [
    ("wrong", "wrong passphrase (or not a fieldcase project)"),
    (None, "encrypted (or not a fieldcase project); give its passphrase in $FIELDCASE_PASSPHRASE, "
           "or run the command at a terminal to be asked for it"),
])
def test_a_wrong_or_missing_passphrase_is_one_line(encrypted, given, said):
    env = {k: v for k, v in os.environ.items() if k != cipher.PASSPHRASE_ENV}
    if given:
        env[cipher.PASSPHRASE_ENV] = given
    before = encrypted.read_bytes()
    done = subprocess.run([FIELDCASE, "sources", "-p", str(encrypted)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env)
    assert done.returncode == 1
    assert done.stderr == f"error: {encrypted}: {said}\n"
    assert done.stdout == ""
    assert encrypted.read_bytes() == before


def test_a_passphrase_is_asked_for_at_a_terminal(encrypted):
    """With a terminal and no $FIELDCASE_PASSPHRASE, the command asks (without echo) and goes on."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if k != cipher.PASSPHRASE_ENV}
    leader, follower = pty.openpty()
    child = subprocess.Popen([FIELDCASE, "sources", "-p", str(encrypted)], stdin=follower, stdout=follower,
                             stderr=follower, env=env, start_new_session=True)
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen and select.select([leader], [], [], 60)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            seen += chunk

    read_until(b"Passphrase for")
    os.write(leader, PASSPHRASE.encode() + b"\n")
    read_until(b"interview")
    child.wait(timeout=60)
    os.close(leader)
    assert child.returncode == 0, seen
    assert b"Passphrase for" in seen and PASSPHRASE.encode() not in seen
    assert b"interview" in seen


def test_encrypt_then_decrypt_keeps_every_row(tmp_path, monkeypatch):
    from fieldcase.importers import import_paths

    path = tmp_path / "study.fieldcase"
    with init_project(path, user="tester") as project:
        import_paths(project, [write(tmp_path / "h.txt", INTERVIEW)])
    before = _every_row(path)
    p = ["-p", str(path)]
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, PASSPHRASE)
    assert run("encrypt", *p).output.startswith(f"Encrypted {path}")
    assert not readable(path)
    assert _every_row(path) == before
    assert "1 hit" in run("search", "张家坳", *p).output
    assert sorted(os.listdir(tmp_path)) == ["h.txt", "study.fieldcase"]  # nothing left aside
    assert (path.stat().st_mode & 0o777) == 0o600
    again = run("encrypt", *p)
    assert again.exit_code == 1 and again.stderr == f"error: {path}: already encrypted\n"
    assert run("decrypt", *p).output.startswith(f"Decrypted {path}")
    assert readable(path)
    monkeypatch.delenv(cipher.PASSPHRASE_ENV)
    assert _every_row(path) == before
    assert run("decrypt", *p).stderr == f"error: {path}: not encrypted\n"


def _every_row(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table that holds rows, in a stable order."""
    with open_project(path) as project:
        tables = [r["name"] for r in project.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0")]
        return {t: sorted(project.conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def test_converting_a_project_open_elsewhere_is_refused(tmp_path, passphrase):
    path = tmp_path / "study.fieldcase"
    init_project(path, user="tester", framework="none").close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT 1 FROM project_info').fetchall(); print('open', flush=True); sys.stdin.read()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        refused = run("encrypt", "-p", str(path))
    finally:
        holder.communicate("")
    assert refused.exit_code == 1
    assert refused.stderr == (f"error: {path}: open in another program (the workspace or another fieldcase "
                              "command); close it and try again\n")
    assert sorted(os.listdir(tmp_path)) == ["study.fieldcase"]
    assert run("encrypt", "-p", str(path)).exit_code == 0


def test_init_encrypt_without_a_passphrase_or_a_terminal_says_how(tmp_path, monkeypatch):
    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    path = tmp_path / "study.fieldcase"
    done = run("init", "--encrypt", "-p", str(path))
    assert done.exit_code == 1 and "$FIELDCASE_PASSPHRASE" in done.stderr
    assert not path.exists()


def test_without_sqlcipher_plain_projects_work_and_encrypted_ones_say_what_to_install(
        encrypted, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    plain = tmp_path / "plain.fieldcase"
    init_project(plain, framework="none").close()
    with open_project(plain) as project:
        assert project.info()["name"] == "plain"
    cipher.forget(encrypted)
    with pytest.raises(ProjectError) as refused:
        open_project(encrypted)
    assert str(refused.value) == (f"{encrypted}: encrypted (or not a fieldcase project); encrypted projects "
                                  "need the sqlcipher3 package: pip install 'fieldcase[encryption]'")
    made = run("init", "--encrypt", "-p", str(tmp_path / "new.fieldcase"))
    assert made.exit_code == 1 and "need the sqlcipher3 package" in made.stderr


async def test_the_workspace_opens_an_encrypted_project_and_searches_in_a_worker(encrypted, monkeypatch):
    from textual.widgets import DataTable

    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.search import SearchScreen

    app = FieldcaseApp(encrypted, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        # the workers reopen the project by path: the passphrase it opened with is kept, not asked again
        monkeypatch.delenv(cipher.PASSPHRASE_ENV)
        for _ in range(2):  # the second reopen uses the derived key
            await pilot.press("slash")
            assert isinstance(app.screen, SearchScreen)
            await pilot.press(*"张家坳", "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen.query_one(DataTable).row_count == 1
            await pilot.press("escape")
            await pilot.pause()


def test_an_edit_set_aside_stays_inside_an_encrypted_project(encrypted, passphrase):
    """'Start from the current text' sets the edit aside: beside a plain project as a
    private file, inside an encrypted one as a new-source draft, never as readable text."""
    from fieldcase.store import drafts, sources

    with open_project(encrypted, user="tester") as project:
        source = sources.get(project, 1)
        where = drafts.keep_aside(project, source, "SETASIDE 改过的文字")
        kept = [d for d in drafts.list_all(project) if d["source_id"] is None]
    assert "ctrl+n" in where
    assert [d["text"] for d in kept] == ["SETASIDE 改过的文字"]
    assert kept[0]["fields"]["title"] == f"Kept edit of {source['title']}"
    assert not list(encrypted.parent.glob("*kept-edits*"))
    assert not any(b"SETASIDE" in p.read_bytes() for p in encrypted.parent.rglob("*") if p.is_file())


def test_the_backup_list_says_which_copies_are_encrypted(encrypted, passphrase):
    import json

    assert run("backup", "-p", str(encrypted)).exit_code == 0
    assert run("decrypt", "-p", str(encrypted)).exit_code == 0
    assert run("backup", "-p", str(encrypted)).exit_code == 0
    listed = json.loads(run("backups", "--json", "-p", str(encrypted)).output)["backups"]
    assert [b["encrypted"] for b in listed if b["reason"] == "manual"] == [True, False]


def test_a_new_passphrase_shorter_than_eight_characters_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, "abc")
    result = CliRunner().invoke(root, ["init", "--encrypt", "-p", str(tmp_path / "s.fieldcase")])
    assert result.exit_code == 1
    assert "too short to protect interviews: use 8 characters or more" in result.output
    assert not (tmp_path / "s.fieldcase").exists()
