"""Project files made by every earlier fieldcase open and upgrade as they always have.

``tests/data/historic/vN.fieldcase.gz`` were made by the fieldcase of the last commit whose
newest migration was ``N`` (see ``make.py`` there). ``upgraded.json`` holds what opening
each with the fieldcase of the commit that added these tests made of it: the schema, and a
digest of every row except the stamps and UUIDs an upgrade makes afresh. A change to how
migrations run must leave both as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fieldcase.store import migrations
from fieldcase.store.backups import list_backups
from fieldcase.store.project import init_project, open_project

HISTORIC = Path(__file__).parent / "data" / "historic"
VERSIONS = sorted(int(p.name[1:].split(".")[0]) for p in HISTORIC.glob("v*.fieldcase.gz"))
# made afresh by an upgrade (0007 stamps the speakers it finds), so left out of the digest
FRESH = {"uuid", "created_at", "modified_at", "applied_at"}


def unpack(version: int, folder: Path) -> Path:
    path = folder / "study.fieldcase"
    path.write_bytes(gzip.decompress((HISTORIC / f"v{version}.fieldcase.gz").read_bytes()))
    path.chmod(0o600)
    return path


def schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return sorted(conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"))


def columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The columns of every plain table (virtual tables' shadow tables included)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def digest(conn: sqlite3.Connection, only: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Per table (of ``only``, with its columns), a hash of its rows without the columns
    in ``FRESH``."""
    found = {}
    for table, names in (only or columns(conn)).items():
        listed = ", ".join(f'"{n}"' for n in names)
        cursor = conn.execute(f'SELECT {listed} FROM "{table}" ORDER BY 1, 2')
        keep = [i for i, d in enumerate(cursor.description) if d[0] not in FRESH]
        rows = [[row[i] for i in keep] for row in cursor]
        found[table] = hashlib.sha256(json.dumps(rows, ensure_ascii=False, default=bytes.hex).encode()).hexdigest()
    return found


def upgraded(version: int, folder: Path) -> dict[str, Any]:
    """What opening the historic file of ``version`` makes of it."""
    path = unpack(version, folder)
    with open_project(path, user="wang") as project:
        conn = project.conn
        return {"version": migrations.current_version(conn), "digest": digest(conn),
                "schema": hashlib.sha256(json.dumps(schema(conn)).encode()).hexdigest()}


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads((HISTORIC / "upgraded.json").read_text("utf-8"))


def test_a_file_of_every_earlier_schema_version_is_kept():
    assert VERSIONS == list(range(1, len(migrations.all_migrations())))


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_project_upgrades_to_the_same_rows_and_schema(version, tmp_path, expected):
    assert upgraded(version, tmp_path) == expected[str(version)]


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_project_is_backed_up_first_and_keeps_its_rows(version, tmp_path):
    path = unpack(version, tmp_path)
    old = sqlite3.connect(path)
    before, kept = digest(old), columns(old)
    old.close()
    kept.pop("schema_migrations")
    with open_project(path, user="wang") as project:
        after = digest(project.conn, kept)
        assert migrations.current_version(project.conn) == len(migrations.all_migrations())
        with init_project(tmp_path / "fresh.fieldcase", framework="none") as fresh:
            assert schema(project.conn) == schema(fresh.conn)
    assert after == {t: h for t, h in before.items() if t != "schema_migrations"}
    (backup,) = list_backups(path)
    assert backup.name.endswith(f".migration-v{version}.fieldcase")
    copy = sqlite3.connect(backup)
    assert digest(copy) == before
    copy.close()
    with open_project(path, user="wang"):
        pass
    assert len(list_backups(path)) == 1  # once upgraded, opening makes no more backups


def test_speakers_of_a_file_from_before_speakers_are_linked(tmp_path):
    path = unpack(6, tmp_path)
    with open_project(path, user="wang") as project:
        found = project.query("SELECT source_id, label, role, created_by FROM speakers ORDER BY source_id, label")
    assert found and {r["created_by"] for r in found} == {"fieldcase"}
    assert {r["role"] for r in found} == {"interviewer", "speaker"}


def test_an_old_encrypted_project_upgrades_the_same_and_stays_encrypted(tmp_path, expected, monkeypatch):
    from fieldcase.store import cipher
    from fieldcase.store.encryption import convert

    monkeypatch.setenv(cipher.PASSPHRASE_ENV, "correct horse battery staple")
    path = unpack(6, tmp_path)
    convert(path, "correct horse battery staple")
    with open_project(path, user="wang") as project:
        assert cipher.encrypted(project.conn)
        assert digest(project.conn) == expected["6"]["digest"]
    (backup,) = list_backups(path)
    for encrypted in (path, backup):
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(encrypted).execute("SELECT count(*) FROM sqlite_master").fetchone()


OPENER = """
import sys, time
from pathlib import Path
from fieldcase.store import migrations
from fieldcase.store.project import open_project

path, gate = Path(sys.argv[1]), Path(sys.argv[2])
while not gate.exists():
    time.sleep(0.01)
with open_project(path, user="wang") as project:
    print(migrations.current_version(project.conn))
"""


def backed_up(path: Path, count: int) -> None:
    """Wait (a minute at the most) until ``path`` has ``count`` backups."""
    deadline = time.monotonic() + 60
    while len(list_backups(path)) < count:
        assert time.monotonic() < deadline, "no backup came"
        time.sleep(0.01)


def test_two_processes_opening_an_old_file_at_once_upgrade_it_once(tmp_path, expected):
    """Both find the same steps pending and wait for the write lock; the one that gets it
    second finds them applied and skips them, rather than failing or applying them again."""
    path = unpack(6, tmp_path)
    gates = [tmp_path / "go-1", tmp_path / "go-2"]
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(gate)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for gate in gates]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # each opener gets as far as its backup, then waits
    for count, gate in enumerate(gates, 1):
        gate.touch()
        backed_up(path, count)
    holder.execute("ROLLBACK")
    holder.close()
    for opener in openers:
        out, err = opener.communicate(timeout=120)
        assert opener.returncode == 0, err
        assert out.strip() == str(len(migrations.all_migrations()))
    with open_project(path, user="wang") as project:
        assert digest(project.conn) == expected["6"]["digest"]  # one ledger row and speaker row each


if __name__ == "__main__":  # writes upgraded.json: only when a new migration changes what is right
    import tempfile

    result = {}
    for v in VERSIONS:
        with tempfile.TemporaryDirectory() as folder:
            result[str(v)] = upgraded(v, Path(folder))
    (HISTORIC / "upgraded.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", "utf-8")
