"""The hub's schema steps, ``NNNN_name.sql`` here, recorded in ``fieldcase.hub_migrations``.

The same rules as the project file's (``fieldcase/store/migrations``): numbered, never
edited once released, each in its own transaction. Each step takes a transaction-scoped
advisory lock first and reads the ledger again under it, so two ``hub init`` s at once
take turns and the second skips what the first applied. A step is applied when the ledger
lacks it, so one numbered below the newest (branches that took numbers in turn, merged
later) still reaches a hub that already has the newer ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

from fieldcase.hubstore.errors import HubTooNewError, NotAHubError

SCHEMA = "fieldcase"
LEDGER = "hub_migrations"
LOCK_KEY = 0x6669656C64636173  # "fieldcas": the advisory lock every schema change takes
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, its name and the file that holds it."""

    version: int
    name: str
    filename: str

    def sql(self) -> str:
        return resources.files(__package__).joinpath(self.filename).read_text("utf-8")


def all_migrations() -> list[Migration]:
    """Every hub migration shipped with this fieldcase, in version order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.name))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise RuntimeError(f"hub migration versions must start at 1, each used once: {found}")
    return found


def lock(conn: psycopg.Connection[Any]) -> None:
    """Take the schema lock until the end of the current transaction."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def schema_state(conn: psycopg.Connection[Any]) -> str:
    """``"absent"``, ``"empty"`` (a bare schema), ``"hub"`` (ours) or ``"foreign"``."""
    row = conn.execute(
        "SELECT n.oid, count(c.oid), bool_or(c.relname = %s AND c.relkind = 'r')"
        "  FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid"
        " WHERE n.nspname = %s GROUP BY n.oid", [LEDGER, SCHEMA]).fetchone()
    if row is None:
        return "absent"
    if row[2]:
        return "hub"
    others = conn.execute(
        "SELECT count(*) FROM pg_proc WHERE pronamespace = %s", [row[0]]).fetchone()
    return "empty" if row[1] == 0 and others is not None and others[0] == 0 else "foreign"


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The hub's schema version: 0 for no schema (or a bare one); refuses a foreign one."""
    state = schema_state(conn)
    if state == "foreign":
        raise NotAHubError("its \"fieldcase\" schema holds tables that are not a fieldcase hub's; "
                           "nothing was changed")
    if state != "hub":
        return 0
    row = conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.{LEDGER}").fetchone()
    return int(row[0]) if row else 0


def applied_versions(conn: psycopg.Connection[Any]) -> set[int]:
    """The versions the hub's ledger holds (none for no hub)."""
    if current_version(conn) == 0:
        return set()
    return {int(r[0]) for r in conn.execute(f"SELECT version FROM {SCHEMA}.{LEDGER}")}


def refuse_newer(version: int) -> None:
    """Refuse a hub whose schema is newer than this fieldcase knows."""
    known = all_migrations()[-1].version
    if version > known:
        raise HubTooNewError(f"its hub schema is version {version}, newer than this fieldcase "
                             f"knows ({known}); upgrade fieldcase to use it")


def migrate(conn: psycopg.Connection[Any]) -> list[Migration]:
    """Create or upgrade the hub schema, each step in its own locked transaction; returns
    the steps applied (none when the hub is up to date). ``conn`` is in autocommit mode."""
    applied = []
    for migration in all_migrations():
        with conn.transaction():
            lock(conn)
            refuse_newer(current_version(conn))
            if migration.version in applied_versions(conn):
                continue
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            conn.execute(f"SET LOCAL search_path TO {SCHEMA}")
            conn.execute(f"CREATE TABLE IF NOT EXISTS {LEDGER} (version integer PRIMARY KEY,"
                         " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
                         " applied_by text NOT NULL DEFAULT current_user)")
            conn.execute(migration.sql().encode("utf-8"))
            conn.execute(f"INSERT INTO {LEDGER} (version, name) VALUES (%s, %s)",
                         [migration.version, migration.name])
        applied.append(migration)
    return applied
