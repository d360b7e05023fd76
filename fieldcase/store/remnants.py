"""Finding what still holds purged words: a project file, its ``-wal``, its backups, and the
rows of the project itself (a memo or a code's example quoting them).

A purge takes the distinctive pieces of the texts it erases (see
:class:`fieldcase.text.pieces.Pieces`: those no text it keeps holds). A file holds the words
if its raw bytes, read as UTF-8 (as SQLite stores text), contain a piece; or, for a file SQLite
can open, if it still has one of the erased sources or cases.

The open project's own file is read in another process: closing a descriptor of a database
file drops every POSIX lock this process holds on it (see :mod:`fieldcase.store.db`).
"""

from __future__ import annotations

import codecs
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.text.pieces import WIDTH, Pieces

if TYPE_CHECKING:
    from fieldcase.store.erasure import Keys
    from fieldcase.store.project import Project

CHUNK = 1 << 22  # bytes read at a time


def pick_pieces(project: Project, texts: Iterable[str], *, going: Iterable[int] = ()) -> Pieces:
    """The pieces of ``texts`` that no source's text holds, but the ``going`` ones'."""
    pieces = Pieces(texts)
    pieces.drop_found_in(r[0] for r in project.conn.execute(
        "SELECT text FROM sources WHERE id NOT IN (SELECT value FROM json_each(?))", [json.dumps(sorted(going))]))
    return pieces


def file_holds(path: Path, pieces: Pieces) -> bool:
    """Whether the raw bytes of ``path`` hold any piece, read as UTF-8."""
    if not pieces or not path.is_file():
        return False
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    tail = ""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            text = tail + decoder.decode(chunk)
            if pieces.first_in(text) is not None:
                return True
            tail = text[-WIDTH:]  # a piece is never more characters than columns
    return False


def open_files_hold(paths: list[Path], pieces: Pieces) -> bool:
    """:func:`file_holds` of any of ``paths``, for files this process has open as a database
    (and its ``-wal``), read by another process."""
    if not pieces:
        return False
    done = subprocess.run([sys.executable, "-m", __name__, *map(str, paths)], input=json.dumps(sorted(pieces.words)),
                          text=True, encoding="utf-8", capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{paths[0]}: could not be read back: {done.stderr.strip()[-200:]}")
    return done.returncode == 1


def database_holds(project: Project, path: Path, uuids: list[str], hashes: list[str]) -> bool:
    """Whether the copy of the project at ``path`` (opened read-only, with the project's own
    passphrase if it is encrypted) still has a source or case with one of these UUIDs, or a
    kept text with one of these hashes."""
    from fieldcase.store import cipher

    if not uuids and not hashes:
        return False
    passphrase = cipher.passphrase_of(project.path) if cipher.encrypted(project.conn) else None
    dbapi = cipher.driver() if passphrase is not None else sqlite3
    errors = (sqlite3.Error,) + cipher.errors("Error")
    try:
        conn = dbapi.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except errors:
        return False
    try:
        if passphrase is not None:
            conn.execute(f"PRAGMA key = {cipher.literal(passphrase)}")
        found = conn.execute(
            "SELECT 1 FROM sources WHERE uuid IN (SELECT value FROM json_each(?1))"
            " UNION ALL SELECT 1 FROM cases WHERE uuid IN (SELECT value FROM json_each(?1))"
            " UNION ALL SELECT 1 FROM text_versions WHERE sha256 IN (SELECT value FROM json_each(?2)) LIMIT 1",
            [json.dumps(uuids), json.dumps(hashes)]).fetchone()
        return found is not None
    except errors:
        return False  # not a project (or another key): the bytes alone tell
    finally:
        conn.close()


def holding(project: Project, paths: Iterable[Path], pieces: Pieces, uuids: list[str],
            hashes: list[str]) -> list[Path]:
    """Those of ``paths`` (copies of the project; a ``-wal`` beside each counts as part of
    it) that still hold the words."""
    return [p for p in paths if database_holds(project, p, uuids, hashes)
            or any(file_holds(f, pieces) for f in (p, p.with_name(p.name + "-wal")))]


Place = tuple[str, int, str]  # (table, row id, column)


def places(project: Project, pieces: Pieces, *, only: tuple[str, ...] = (), skip: Keys | None = None) -> list[Place]:
    """Where in the project a piece still stands, as ``(table, row id, column)``: every text
    column of every table (or of the ``only`` ones), less the rows in ``skip``."""
    if not pieces:
        return []
    found: list[Place] = []
    tables = only or [r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'search_grams%' ORDER BY name")]
    for table in tables:
        info = project.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        key = "id" if any(c[1] == "id" for c in info) else "rowid"
        passed = (skip or {}).get(table, set())
        for column in (c[1] for c in info if c[2].upper() in ("TEXT", "")):
            for row_id, value in project.conn.execute(
                f'SELECT {key}, "{column}" FROM "{table}" WHERE typeof("{column}") = \'text\''):
                if row_id not in passed and pieces.first_in(value) is not None:
                    found.append((table, row_id, column))
    return found


def _main() -> None:
    """``python -m fieldcase.store.remnants FILE...`` with the pieces (a JSON list) on stdin:
    exit status 1 if a file holds one, 0 if none does."""
    pieces = Pieces.of(json.loads(sys.stdin.read()))
    sys.exit(1 if any(file_holds(Path(name), pieces) for name in sys.argv[1:]) else 0)


if __name__ == "__main__":
    _main()
