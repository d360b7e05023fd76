"""Named, versioned schema migrations: ``NNNN_name.sql`` or ``NNNN_name.py`` files here.

Each migration runs in its own transaction and is recorded in ``schema_migrations``;
the schema changes in no other way.

Why not sqlite-utils' ``Migrations`` (4.2), which runs named steps and records them:

- Its ledger is ``_sqlite_migrations`` (set and name). Every released fieldcase reads
  ``max(version)`` from ``schema_migrations`` to refuse a file newer than itself, so a new
  step must still be recorded there: moving over would mean two ledgers in every file, and
  a write (and a second table) in every existing project on its first open, even one with
  nothing to upgrade.
- Its steps have names, not an order: ``pending()`` skips a recorded name it does not know,
  so it cannot tell that a file comes from a newer fieldcase.
- ``apply()`` lists what is pending once, then runs each step in ``atomic()``, a deferred
  ``BEGIN``: of two processes opening an old file at once, the second runs the step the
  first has just committed and fails ("table … already exists"). Here each step takes the
  write lock first (``BEGIN IMMEDIATE``) and reads the version again under it, so the
  second waits and skips it.

Within a step, the tables go through sqlite-utils where it serves (``insert_all`` for the
rows a step adds, ``insert`` for the ledger).
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from typing import TYPE_CHECKING

from fieldcase.errors import ProjectError
from fieldcase.store.db import table_exists, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, its name and the file that holds it."""

    version: int
    name: str
    filename: str

    def apply(self, db: Database) -> None:
        """Run the step's SQL statements or its ``migrate(db)`` function."""
        if self.filename.endswith(".sql"):
            sql = resources.files(__package__).joinpath(self.filename).read_text("utf-8")
            for statement in split_statements(sql):
                db.execute(statement)
        else:
            module = importlib.import_module(f"{__package__}.{self.filename[:-3]}")
            module.migrate(db)


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (``executescript`` would commit midway)."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending[:60]!r}")
    return statements


def all_migrations() -> list[Migration]:
    """Every migration shipped with this fieldcase, in version order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.name))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration versions must run 1..n without gaps: {versions}")
    return found


def current_version(db: Database | sqlite3.Connection) -> int:
    """The highest migration applied to this database (0 for a blank one)."""
    if not table_exists(db, "schema_migrations"):
        return 0
    row = db.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def pending(db: Database | sqlite3.Connection) -> list[Migration]:
    """Migrations not yet applied; refuses a database newer than this fieldcase."""
    migrations = all_migrations()
    version = current_version(db)
    if version > len(migrations):
        raise ProjectError(
            f"this project has schema version {version}, newer than this fieldcase knows "
            f"({len(migrations)}); upgrade fieldcase to open it"
        )
    return migrations[version:]


def migrate(db: Database, upto: int | None = None) -> list[Migration]:
    """Apply pending migrations (up to version ``upto``), each in its own transaction, begun
    with write intent so that two processes opening an old file at once take turns."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = []
    for migration in pending(db):
        if upto is not None and migration.version > upto:
            break
        with write_transaction(db.conn):
            if current_version(db) >= migration.version:
                continue  # another process opening the file applied it while this one waited
            migration.apply(db)
            db.table("schema_migrations").insert({
                "version": migration.version,
                "name": migration.name,
                "applied_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            })
        applied.append(migration)
    return applied
