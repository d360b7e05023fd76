"""Opening a project file: the SQLite connection and its settings."""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.errors import ProjectError
from fieldcase.store import cipher

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000


def open_connection(path: Path, *, durable: bool = True, passphrase: str | None = None) -> sqlite3.Connection:
    """Open ``path`` with WAL, foreign keys and a busy timeout.

    ``durable`` syncs the log on every commit (``synchronous=FULL``) so that a
    power cut loses nothing that was committed; bulk jobs may turn it off. An encrypted
    file opens with the passphrase this process already has for it, else the one given
    (see :mod:`fieldcase.store.cipher`); ``passphrase`` makes a new file encrypted with it.
    """
    if path.is_dir():
        raise ProjectError(f"{path}: is a directory, not a project file")
    timeout = BUSY_TIMEOUT_MS / 1000
    # sqlcipher3's connection (untyped) offers the same interface as sqlite3's.
    conn: sqlite3.Connection
    if passphrase is not None:
        conn = cipher.create(path, passphrase, timeout)
    elif cipher.known(path):
        conn = cipher.reopen(path, timeout)
    else:
        conn = _open_plain(path) or cipher.open_encrypted(path, timeout)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # 64 MiB of page cache (allocated as used): retrieval over 100k+ codings stays in memory.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    except errors("DatabaseError") as err:
        conn.close()
        raise ProjectError(f"{path}: not a usable SQLite database ({err})") from err
    return conn


def _open_plain(path: Path) -> sqlite3.Connection | None:
    """``path`` opened with Python's SQLite, or None if it may be an encrypted project."""
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as err:
        raise ProjectError(f"{path}: cannot open the project file ({err})") from err
    # The header is checked by SQLite itself, never by opening the file from Python: closing
    # any descriptor of a database file drops every POSIX lock this process holds on it,
    # so another process could then checkpoint and delete the WAL under a connection that
    # is still open here (the workspace's, while a worker opens the project): lost writes
    # and a corrupt file. SQLite refuses a file that is not a database without changing it.
    try:
        conn.execute("PRAGMA schema_version")
    except sqlite3.DatabaseError as err:
        conn.close()
        # an encrypted file is whole pages (512 bytes at the least) that SQLite cannot read
        if err.sqlite_errorcode == sqlite3.SQLITE_NOTADB and path.stat().st_size % 512 == 0:
            return None
        if err.sqlite_errorcode == sqlite3.SQLITE_CORRUPT or _sqlite_header(path):
            raise ProjectError(f"{path}: the file is damaged or cut short ({err}); `fieldcase backups` and "
                               "`fieldcase restore` bring back a copy") from err
        raise ProjectError(f"{path}: not a fieldcase project (not an SQLite database)") from err
    return conn


def _sqlite_header(path: Path) -> bool:
    """Whether ``path`` begins as an SQLite database does. Read from Python only after SQLite
    refused the file, when this process holds no lock on it that closing could drop."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def errors(name: str) -> tuple[type[Exception], ...]:
    """The exception class ``name`` (``"OperationalError"``, ``"IntegrityError"`` …) of every
    SQLite driver in use: catch these, not ``sqlite3``'s alone, since an encrypted project's
    connection raises sqlcipher3's own classes."""
    return (getattr(sqlite3, name), *cipher.errors(name))


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction that writes, begun with write intent (``BEGIN IMMEDIATE``).

    A plain ``BEGIN`` reads first and asks for the write lock only at its first write; when
    another connection has written meanwhile, SQLite cannot wait for it (this transaction's
    snapshot is stale) and fails at once with "database is locked". Taking the lock up front
    waits the busy timeout instead, like every other write. Inside a transaction already,
    the writes join it through a savepoint.

    sqlite-utils' ``Database.atomic()`` nests the same way but begins with a plain ``BEGIN``,
    so it cannot stand in for the outer transaction; for the savepoint alone it would
    bring sqlite-utils (0.2 s to import) and a ``Database`` (which turns on
    ``recursive_triggers`` and runs installed plugins' hooks on the connection) to
    every write, which today runs on the plain connection.
    """
    with _savepoint(conn) if conn.in_transaction else _immediate(conn):
        yield


@contextlib.contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """Writes that join the transaction already open, undone alone if they fail."""
    savepoint = f"fc_{secrets.token_hex(8)}"
    conn.execute(f"SAVEPOINT {savepoint}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # an error may have ended the whole transaction already
            conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {savepoint}")


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """A transaction of its own that holds the write lock from its start."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def table_exists(conn: sqlite3.Connection | Database, name: str) -> bool:
    """Whether the database has a table called ``name``."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone()
    return found is not None


def foreign_keys(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """``(child table, column, parent table)`` for every foreign key of the schema, in table order."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    return [(table, row[3], row[2])  # (id, seq, table, from, to, …)
            for table in tables for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')]


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the whole database to ``target`` with SQLite's online backup; the copy of an
    encrypted project is encrypted with the same passphrase."""
    dest = cipher.connect_copy(conn, target) if cipher.encrypted(conn) else sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
