"""Putting a backup back: the file is checked first, the current project kept aside, and the
backup's content written into the live file in one SQLite transaction.

The content goes in through SQLite's online backup API rather than by renaming files, so
the project's ``-wal`` and ``-shm`` stay SQLite's to manage: no log of the old file can be
replayed into the restored one, and a workspace that has the project open sees the
restored project as it sees any other writer's commit.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldcase.errors import ProjectError
from fieldcase.store import cipher, migrations
from fieldcase.store.backups import backup_path, copy_database
from fieldcase.store.db import backup, errors, open_connection, table_exists
from fieldcase.store.private import private_folder, touch_private


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the project was kept aside (None: there was no file)."""

    project_path: Path
    source: Path
    kept_aside: Path | None


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_connection(path)
    try:
        yield conn
    finally:
        conn.close()


def inspect(source: Path, *, thorough: bool = False) -> dict[str, Any]:
    """What a would-be restore source holds (name, uuid, schema version, sources, codings,
    changes, the last change's time), after checking it is a readable fieldcase project this fieldcase can open;
    ``thorough`` reads every page (``integrity_check``) instead of a quick check."""
    if not source.is_file():
        raise ProjectError(f"{source}: no such file")
    try:
        with _opened(source) as conn:
            return _inspect(conn, source, thorough)
    except errors("DatabaseError") as err:
        raise ProjectError(f"{source}: not a usable fieldcase project ({err})") from err


def _inspect(conn: sqlite3.Connection, source: Path, thorough: bool) -> dict[str, Any]:
    if not table_exists(conn, "project_info") or not table_exists(conn, "change_groups"):
        raise ProjectError(f"{source}: an SQLite database, but not a fieldcase project")
    verdict = [r[0] for r in conn.execute(f"PRAGMA {'integrity_check' if thorough else 'quick_check'}(5)")]
    if verdict != ["ok"]:
        raise ProjectError(f"{source}: damaged, not restored ({'; '.join(verdict)})")
    version, latest = migrations.current_version(conn), len(migrations.all_migrations())
    if version > latest:
        raise ProjectError(f"{source}: made by a newer fieldcase (schema {version}; this one knows {latest})")
    info = dict(conn.execute("SELECT key, value FROM project_info").fetchall())
    changes, last = conn.execute("SELECT count(*), max(at) FROM change_groups").fetchone()
    sources, codings = conn.execute("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM codings)").fetchone()
    return {"path": str(source), "name": info.get("name"), "uuid": info.get("uuid"), "schema": version,
            "sources": sources, "codings": codings, "changes": changes, "last_change_at": last}


def restore(project_path: Path, source: Path) -> Restored:
    """Replace the project at ``project_path`` by the content of ``source`` (a backup, or
    any fieldcase project), after checking ``source`` thoroughly and keeping the current
    project aside as a ``before-restore`` backup."""
    if project_path.exists() and source.exists() and os.path.samefile(project_path, source):
        raise ProjectError(f"{source}: that is the project itself")
    inspect(source, thorough=True)
    _fits(project_path, source)
    kept = _keep_aside(project_path)
    with _opened(source) as conn:
        if not project_path.exists():
            touch_private(project_path)
        backup(conn, project_path)
    return Restored(project_path, source, kept)


def _fits(project_path: Path, source: Path) -> None:
    """Refuse a source that cannot take the project's place as it is: one of another page
    size (SQLite cannot copy it into a file in WAL mode), or one encrypted where the project
    is not or the other way round (a restore never changes whether the project is encrypted)."""
    if not project_path.exists():
        return
    try:
        with _opened(project_path) as conn:
            ours = conn.execute("PRAGMA page_size").fetchone()[0], cipher.encrypted(conn)
    except (ProjectError,) + errors("DatabaseError"):
        return  # a file that will be moved aside
    with _opened(source) as conn:
        theirs = conn.execute("PRAGMA page_size").fetchone()[0], cipher.encrypted(conn)
    if theirs[1] != ours[1]:
        how = "encrypt" if ours[1] else "decrypt"
        raise ProjectError(f"{source}: {'not ' if ours[1] else ''}encrypted, but the project is"
                           f"{'' if ours[1] else ' not'}; a restore keeps the project as it is "
                           f"(first run: fieldcase {how} -p {source})")
    if theirs[0] != ours[0]:
        raise ProjectError(f"{source}: its pages are {theirs[0]} bytes, the project's {ours[0]}; SQLite cannot "
                           f"restore it in place. With no one working on the project, copy it over {project_path} "
                           "instead")


def _keep_aside(project_path: Path) -> Path | None:
    """Back the current project up (``before-restore``); a file SQLite cannot read is moved
    into the backup folder instead, with its ``-wal`` and ``-shm``, under a ``.damaged`` name."""
    if not project_path.exists():
        return None
    target = backup_path(project_path, "before-restore")
    private_folder(target.parent)
    try:
        with _opened(project_path) as conn:
            if conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok":
                return copy_database(conn, target)
    except (ProjectError,) + errors("DatabaseError"):
        pass
    damaged = target.with_name(target.name + ".damaged")
    for suffix in ("-wal", "-shm", ""):  # the log first: a new file must never meet the old one's log
        part = Path(f"{project_path}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{damaged}{suffix}"))
    return damaged

