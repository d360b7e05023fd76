"""Turning a project file encrypted or plain in place, without a moment where it is lost.

SQLCipher's ``sqlcipher_export()`` copies every table into a new file keyed (or not) as
asked; the copy is checked row for row against the original, which stays beside it until
the copy has opened in its place. Nobody else may have the file open meanwhile: their
writes would go to the old file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fieldcase.errors import ProjectError
from fieldcase.store import cipher
from fieldcase.store.db import errors, open_connection, table_exists
from fieldcase.store.private import create_private


def convert(path: Path, passphrase: str | None) -> None:
    """Rewrite the project at ``path`` encrypted with ``passphrase``, or plain if None.

    Its current passphrase, if any, must already be known to this process (it was opened).
    """
    fresh = path.with_name(f"{path.name}.converting")
    aside = path.with_name(f"{path.name}.before-{'encrypt' if passphrase else 'decrypt'}")
    if aside.exists():
        raise ProjectError(f"{aside}: the original, kept aside by a conversion that was interrupted; "
                           f"check that {path.name} opens, then delete it")
    fresh.unlink(missing_ok=True)  # a copy an interrupted conversion had not yet put in place
    source = _connect_alone(path)
    try:
        _export(source, fresh, passphrase)
        _check_same(source, fresh, passphrase, path)
        _swap(path, fresh, aside)
    except OSError as err:
        fresh.unlink(missing_ok=True)
        raise ProjectError(f"{path}: not converted, nothing was changed ({err.strerror or err})") from err
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    _settle(path, aside, passphrase)


def _connect_alone(path: Path) -> Any:
    """An SQLCipher connection to ``path`` that holds it exclusively, or a one-line refusal
    when another program (the workspace, another command) has it open."""
    dbapi = cipher.driver()
    conn = dbapi.connect(str(path), timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        current = cipher.passphrase_of(path)
        if current is not None:
            conn.execute(f"PRAGMA key = {cipher.literal(current)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # leaving WAL needs every other connection gone; then hold the file until closed
        if conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
            raise dbapi.OperationalError("database is locked")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except dbapi.OperationalError as err:
        conn.close()
        raise ProjectError(f"{path}: open in another program (the workspace or another fieldcase "
                           f"command); close it and try again") from err
    except BaseException:
        conn.close()
        raise
    return conn


def _export(source: Any, fresh: Path, passphrase: str | None) -> None:
    """Copy everything ``source`` holds into the new file ``fresh`` (mode 0600)."""
    os.close(create_private(fresh))
    key = cipher.literal(passphrase) if passphrase else "''"
    source.execute(f"ATTACH DATABASE ? AS converted KEY {key}", [str(fresh)])
    try:
        source.execute("SELECT sqlcipher_export('converted')")
        version = int(source.execute("PRAGMA main.user_version").fetchone()[0])
        source.execute(f"PRAGMA converted.user_version = {version}")
    finally:
        source.execute("DETACH DATABASE converted")


def _check_same(source: Any, fresh: Path, passphrase: str | None, path: Path) -> None:
    """Refuse, changing nothing, unless ``fresh`` is sound and holds as many rows in every
    table as ``source``."""
    copy = cipher.driver().connect(str(fresh), isolation_level=None)
    try:
        if passphrase:
            copy.execute(f"PRAGMA key = {cipher.literal(passphrase)}")
        differs = copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
        for table in _tables(source):
            count = f'SELECT count(*) FROM "{table}"'
            if differs or source.execute(count).fetchone() != copy.execute(count).fetchone():
                raise ProjectError(f"{path}: the converted copy did not match ({table}); nothing was changed")
    finally:
        copy.close()


def _tables(conn: Any) -> list[str]:
    """Every table of ``conn``'s main database that holds rows itself (the search index's own
    tables, not the index that reads them)."""
    found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name")
    return [row[0] for row in found]


def _swap(path: Path, fresh: Path, aside: Path) -> None:
    """Put ``fresh`` in ``path``'s place at once, the original kept as ``aside`` too."""
    os.link(path, aside)
    try:
        os.replace(fresh, path)
    except OSError:
        aside.unlink()
        raise


def _settle(path: Path, aside: Path, passphrase: str | None) -> None:
    """Open the converted file in its place; on failure put the original back."""
    cipher.forget(path)
    if passphrase:
        cipher.remember(path, passphrase)
    try:
        conn = open_connection(path)
        try:
            if not table_exists(conn, "project_info"):
                raise ProjectError(f"{path}: the converted file is not a project")
        finally:
            conn.close()
    except (ProjectError,) + errors("DatabaseError"):
        os.replace(aside, path)
        cipher.forget(path)
        raise
    aside.unlink()
