"""Encrypted projects: SQLCipher connections, and the passphrases this process was given.

A project made with ``fieldcase init --encrypt`` is an SQLCipher 4 file: every page of the
file and of its ``-wal`` is encrypted with a key derived from the researcher's passphrase.
The ``sqlcipher3`` package is imported only when such a file is met, so plain projects open
as fast as ever.

Once a file has opened with a passphrase, later connections to it in this process (the
workspace's workers, backups) reuse the key without asking again, and the file is never
opened with Python's own ``sqlite3`` again: two SQLite libraries in one process do not see
each other's locks, and closing a descriptor in either drops the locks of both.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldcase.errors import ProjectError

PASSPHRASE_ENV = "FIELDCASE_PASSPHRASE"
INSTALL_HINT = "pip install 'fieldcase[encryption]'"

Asker = Callable[[Path], "str | None"]


@dataclass
class _Key:
    """What opens one encrypted file: the passphrase and, once learnt, the key derived from it."""

    passphrase: str
    salt: str | None = None  # hex, as ``PRAGMA cipher_salt`` gives it
    iterations: int = 256_000
    raw: str | None = None  # hex; derived on the second connection, so later ones skip the slow KDF


_known: dict[str, _Key] = {}
_asker: Asker | None = None


def set_asker(ask: Asker | None) -> None:
    """Let opening an encrypted file ask someone for its passphrase (the command line sets this;
    ``ask`` returns None when nobody can be asked)."""
    global _asker
    _asker = ask


def driver() -> Any:
    """The ``sqlcipher3`` DB-API module, or a one-line error saying how to install it."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as err:
        raise ProjectError(f"encrypted projects need the sqlcipher3 package: {INSTALL_HINT}") from err
    return dbapi2


def errors(name: str) -> tuple[type[Exception], ...]:
    """sqlcipher3's exception class ``name`` when it is loaded (it raises its own classes, not
    ``sqlite3``'s); empty otherwise, so that plain projects never import it."""
    module = sys.modules.get("sqlcipher3.dbapi2")
    return (getattr(module, name),) if module is not None else ()


def encrypted(conn: Any) -> bool:
    """Whether ``conn`` is an SQLCipher connection (made here for an encrypted file)."""
    return type(conn).__module__.startswith("sqlcipher3")


def known(path: Path) -> bool:
    """Whether ``path`` has been opened encrypted in this process."""
    return bool(_known) and _name(path) in _known


def forget(path: Path) -> None:
    """Drop what this process knows about opening ``path`` (its file was replaced)."""
    _known.pop(_name(path), None)


def remember(path: Path, passphrase: str) -> None:
    """Open ``path`` with ``passphrase`` from now on in this process."""
    _known[_name(path)] = _Key(_checked(passphrase))


def passphrase_of(path: Path) -> str | None:
    """The passphrase ``path`` opened with in this process, if it is encrypted."""
    key = _known.get(_name(path))
    return key.passphrase if key else None


def given_passphrase(path: Path) -> str | None:
    """``$FIELDCASE_PASSPHRASE`` if set, else one asked for, else None."""
    found = os.environ.get(PASSPHRASE_ENV) or None
    if found is None and _asker is not None:
        found = _asker(path) or None
    return found


def create(path: Path, passphrase: str, timeout: float) -> Any:
    """Open a new, empty file at ``path`` encrypted with ``passphrase``."""
    remember(path, passphrase)
    conn = _keyed(path, literal(passphrase), timeout)
    if conn is None:  # an existing file: only a new one may be made encrypted
        forget(path)
        raise ProjectError(f"{path}: a file already exists there; choose a new project path")
    return conn


def open_encrypted(path: Path, timeout: float) -> Any:
    """Open ``path``, which plain SQLite refused, with the passphrase given for it."""
    passphrase = given_passphrase(path)
    if passphrase is None:
        raise ProjectError(f"{path}: encrypted (or not a fieldcase project); give its passphrase in "
                           f"${PASSPHRASE_ENV}, or run the command at a terminal to be asked for it")
    try:
        dbapi = driver()
    except ProjectError as err:
        raise ProjectError(f"{path}: encrypted (or not a fieldcase project); {err}") from err
    conn = _keyed(path, literal(passphrase), timeout, dbapi)
    if conn is None:
        raise ProjectError(f"{path}: wrong passphrase (or not a fieldcase project)")
    key = _Key(passphrase)
    _learn(key, conn)
    _known[_name(path)] = key
    return conn


def reopen(path: Path, timeout: float) -> Any:
    """Open ``path`` again with the key this process already has for it."""
    key = _known[_name(path)]
    if key.raw is None and key.salt is not None:
        import hashlib

        salt = bytes.fromhex(key.salt)
        key.raw = hashlib.pbkdf2_hmac("sha512", key.passphrase.encode(), salt, key.iterations, 32).hex()
    if key.raw is not None:
        conn = _keyed(path, f"\"x'{key.raw}'\"", timeout)
        if conn is not None:
            return conn
    conn = _keyed(path, literal(key.passphrase), timeout)  # the file was replaced (a restore)
    if conn is None:
        raise ProjectError(f"{path}: wrong passphrase (or not a fieldcase project)")
    _learn(key, conn)
    return conn


def connect_copy(conn: Any, target: Path) -> Any:
    """A connection to a new file ``target`` keyed like ``conn``'s file, to back it up into."""
    main = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    passphrase = passphrase_of(Path(main))
    if passphrase is None:
        raise ProjectError(f"{main}: encrypted, but its passphrase is not known here")
    dest = driver().connect(str(target))
    dest.execute("PRAGMA cipher_log_level = NONE")
    dest.execute(f"PRAGMA key = {literal(passphrase)}")
    return dest


def _keyed(path: Path, key: str, timeout: float, dbapi: Any = None) -> Any:
    """``path`` opened with ``key`` (an SQL literal), or None if the key does not open it."""
    dbapi = dbapi or driver()
    try:
        conn = dbapi.connect(str(path), timeout=timeout, isolation_level=None)
    except dbapi.Error as err:
        raise ProjectError(f"{path}: cannot open the project file ({err})") from err
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our one line, not SQLCipher's log
        conn.execute(f"PRAGMA key = {key}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi.DatabaseError as err:
        conn.close()
        if err.sqlite_errorcode == dbapi.SQLITE_NOTADB:
            return None
        raise ProjectError(f"{path}: cannot open the encrypted project ({err})") from err
    return conn


def _learn(key: _Key, conn: Any) -> None:
    """Note the salt and iteration count of the file ``conn`` opened, to derive its key later."""
    key.salt = conn.execute("PRAGMA cipher_salt").fetchone()[0]
    key.iterations = int(conn.execute("PRAGMA kdf_iter").fetchone()[0])
    key.raw = None


def literal(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal for ``PRAGMA key``."""
    return "'" + _checked(passphrase).replace("'", "''") + "'"


def _checked(passphrase: str) -> str:
    """Refuse a passphrase SQLCipher would take as 'no encryption' or cut short."""
    if not passphrase:
        raise ProjectError("an empty passphrase would leave the project unencrypted")
    if "\0" in passphrase:
        raise ProjectError("a passphrase cannot contain a NUL character")
    return passphrase


def _name(path: Path) -> str:
    """One spelling per file, however the path was written."""
    return os.path.realpath(path)
