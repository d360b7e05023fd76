"""A project: one SQLite file holding sites, cases, sources, codes and the change log."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase import __version__
from fieldcase.config import resolve_user
from fieldcase.errors import ProjectError
from fieldcase.store import migrations
from fieldcase.store.changes import ChangeWriter, new_uuid, now
from fieldcase.store.db import open_connection, table_exists, write_transaction
from fieldcase.store.private import make_private, private_folder, touch_private

if TYPE_CHECKING:
    from sqlite_utils import Database


class Project:
    """An open project file; pass it to the store, importer and analysis functions."""

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str):
        self.path = path
        self.conn = conn
        self.user = user
        # what the store derives and keeps while the file is unchanged (see ``state``)
        self.cache: dict[str, tuple[tuple[int, int], Any]] = {}
        self.backup_due: float | None = None  # when the next timed backup is due (see store.backups)
        self.made_private: list[Path] = []  # files of this project whose access for others was taken away on open

    @functools.cached_property
    def db(self) -> Database:
        """The sqlite-utils database over this connection, imported on first use (it takes
        about 0.2 s): only making or upgrading a project needs it, so opening one and the
        reads and writes after start faster without it."""
        from sqlite_utils import Database

        return Database(self.conn)

    @contextlib.contextmanager
    def change(
        self, action: str, summary: str, *, undoes: int | None = None
    ) -> Iterator[ChangeWriter]:
        """Run writes in one transaction, logged as one change group.

        Nested calls join the outer transaction through a savepoint.
        """
        if not self.conn.in_transaction:
            from fieldcase.store.backups import backup_if_due

            backup_if_due(self)
        with write_transaction(self.conn):
            yield ChangeWriter(self, action, summary, undoes)

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One transaction for writes that are no change group (drafts, the search index,
        caches, suggestions), with write intent from its start: see
        :func:`fieldcase.store.db.write_transaction`."""
        return write_transaction(self.conn)

    @contextlib.contextmanager
    def writing(
        self, writer: ChangeWriter | None, action: str, summary: str
    ) -> Iterator[ChangeWriter]:
        """Join ``writer``'s change group if given, else open a new one."""
        if writer is not None:
            yield writer
            return
        with self.change(action, summary) as fresh:
            yield fresh

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Many small transactions without a disk sync each; one sync at the end.

        Each transaction stays atomic (a crash loses no more than the one under way);
        only a power cut during the batch can drop its last commits, which the final
        checkpoint then makes durable.
        """
        conn = self.conn
        previous = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA synchronous = {previous}")
            if not conn.in_transaction:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def query(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        """Run a read query and return its rows as dicts."""
        cursor = self.conn.execute(sql, params or [])
        keys = [column[0] for column in cursor.description]
        return [dict(zip(keys, row)) for row in cursor]

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to this file (never
        for this connection's own writes): a cheap test for news from other processes."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def state(self) -> tuple[int, int]:
        """Changes when anyone writes to the file: other connections' commits
        (``data_version``) and this connection's own writes."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes

    def info(self) -> dict[str, str]:
        """The key/value metadata of the project (name, uuid, created_at …); secrets stay out,
        since exports hand this to templates."""
        return {r["key"]: r["value"] for r in self.query("SELECT key, value FROM project_info"
                                                         " WHERE key NOT LIKE '%.secret'")}

    def rename(self, name: str) -> None:
        """Give the project another name (what titles, exports and the title bar show)."""
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES ('name', ?)", [name.strip()])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def init_project(
    path: str | Path,
    *,
    user: str | None = None,
    name: str | None = None,
    framework: str = "builtin",
    durable: bool = True,
    passphrase: str | None = None,
) -> Project:
    """Create a new project file at ``path`` (``0600``, in a ``0700`` folder if it makes
    one) and open it.

    ``framework="builtin"`` loads the built-in codebook; ``"none"`` starts empty. With a
    ``passphrase`` the file is encrypted (SQLCipher) and opens only with it.
    """
    if framework not in ("builtin", "none"):
        raise ProjectError(f"unknown framework {framework!r}; use builtin or none")
    path = Path(path).expanduser()
    refuse_existing(path)
    private_folder(path.parent)
    if path.exists():
        make_private(path)
    else:
        touch_private(path)  # SQLite gives the -wal and -shm files the mode of this one
    conn = open_connection(path, durable=durable, passphrase=passphrase)
    project = Project(path, conn, resolve_user(user))
    db = project.db
    migrations.migrate(db)
    who = project.user
    info = {
        "name": name or path.stem,
        "uuid": new_uuid(),
        "created_at": now(),
        "created_by": who,
        "fieldcase_version": __version__,
    }
    with project.transaction():
        db.table("project_info").insert_all({"key": key, "value": value} for key, value in info.items())
    if framework == "builtin":
        from fieldcase.store.framework import install

        install(project)
    return project


def refuse_existing(path: Path) -> None:
    """Refuse to make a new project where a file with something in it already is."""
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path}: a file already exists there; choose a new project path")


def open_project(
    path: str | Path,
    *,
    user: str | None = None,
    create: bool = False,
    durable: bool = True,
) -> Project:
    """Open an existing project, migrating it to the current schema after a backup.

    Project files that every account on the machine could read are made ``0600`` first
    (listed in ``made_private``). With ``create``, a missing file is created as a new project.
    """
    path = Path(path).expanduser()
    if not path.exists():
        if create:
            return init_project(path, user=user, durable=durable)
        raise ProjectError(f"{path}: no project there; create one with: fieldcase init -p {path}")
    if path.is_file() and path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
        # SQLite would make it a database on opening: it stays as it is
        raise ProjectError(f"{path}: an empty file, not a fieldcase project (left as it is)")
    tightened = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if make_private(p)]
    project = Project(path, open_connection(path, durable=durable), resolve_user(user))
    project.made_private = tightened
    try:
        if not table_exists(project.conn, "project_info"):
            raise ProjectError(f"{path}: an SQLite database, but not a fieldcase project")
        if migrations.pending(project.conn):
            from fieldcase.store.backups import make_backup

            make_backup(project, f"migration-v{migrations.current_version(project.conn)}")
            migrations.migrate(project.db)
    except Exception:
        project.close()
        raise
    return project
