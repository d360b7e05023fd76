"""What the hub holds of the change groups: how many, and which of a project's it lacks."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import psycopg

from fieldcase.hubstore.migrations import SCHEMA


def group_count(conn: psycopg.Connection[Any]) -> int:
    """How many change groups the hub holds."""
    row = conn.execute(f"SELECT count(*) FROM {SCHEMA}.groups").fetchone()
    return int(row[0]) if row else 0


def lacking(conn: psycopg.Connection[Any], uuids: Collection[str]) -> int:
    """How many of ``uuids`` (a project's change groups) the hub does not hold."""
    row = conn.execute(
        f"SELECT count(*) FROM unnest(%s::text[]) AS u(uuid)"
        f" WHERE NOT EXISTS (SELECT 1 FROM {SCHEMA}.groups g WHERE g.uuid = u.uuid)",
        [list(uuids)]).fetchone()
    return int(row[0]) if row else 0


def missing_from(conn: psycopg.Connection[Any], uuids: Collection[str]) -> int:
    """How many of the hub's change groups are not among ``uuids`` (what a project lacks)."""
    row = conn.execute(
        f"SELECT count(*) FROM {SCHEMA}.groups g"
        f" WHERE NOT EXISTS (SELECT 1 FROM unnest(%s::text[]) AS u(uuid) WHERE u.uuid = g.uuid)",
        [list(uuids)]).fetchone()
    return int(row[0]) if row else 0


def open_conflicts(conn: psycopg.Connection[Any]) -> int:
    """How many conflicts on the hub are not resolved."""
    row = conn.execute(f"SELECT count(*) FROM {SCHEMA}.conflicts WHERE status = 'open'").fetchone()
    return int(row[0]) if row else 0
