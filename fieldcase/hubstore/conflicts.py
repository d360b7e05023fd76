"""The conflicts the team's syncs found, as the hub keeps them (hub migration 0004): each
stored once by its lasting id, and its settlement, the first the hub took, beside it."""

from __future__ import annotations

from typing import Any

import psycopg

from fieldcase.hubstore.migrations import SCHEMA

FOUND_COLUMNS = ("id", "table_name", "row_uuid", "field", "mine", "theirs", "what", "other", "found_in",
                 "found_by")


def shared(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every conflict on the hub in the order the hub took them, with its settlement
    (``keep``, ``settled_at``, ``settled_by``; None while open)."""
    cursor = conn.execute(
        f"SELECT {', '.join('f.' + c for c in FOUND_COLUMNS)}, s.keep, s.settled_at, s.settled_by"
        f" FROM {SCHEMA}.conflicts_found f LEFT JOIN {SCHEMA}.conflict_settlements s ON s.conflict_id = f.id"
        " ORDER BY f.seq")
    names = [c.name for c in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def put_found(conn: psycopg.Connection[Any], rows: list[dict[str, Any]]) -> None:
    """Store conflicts a member found (one the hub holds by its id is left as it is)."""
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SCHEMA}.conflicts_found ({', '.join(FOUND_COLUMNS)})"
            f" VALUES ({', '.join('%(' + c + ')s' for c in FOUND_COLUMNS)}) ON CONFLICT (id) DO NOTHING", rows)


def put_settled(conn: psycopg.Connection[Any], rows: list[tuple[str, str, str, str]]) -> None:
    """Store settlements (conflict id, keep, settled_at, settled_by); of a conflict the hub
    has a settlement for already, the first stands."""
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SCHEMA}.conflict_settlements (conflict_id, keep, settled_at, settled_by)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (conflict_id) DO NOTHING", rows)
