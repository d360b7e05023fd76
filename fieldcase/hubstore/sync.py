"""What a sync reads from and writes to the hub: its groups and entries, its state by table,
its texts. The merge itself happens in the project (:mod:`fieldcase.exchange.sync`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

HubConnection = psycopg.Connection[Any]  # what callers above the hubstore name a hub connection

LOCK = 0x66636873  # "fchs": every sync of one hub holds this lock from its pull to its push


def lock(conn: psycopg.Connection[Any]) -> None:
    """Wait for every other sync of this hub to end; held until this transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])


def may_write(conn: psycopg.Connection[Any]) -> bool:
    """Whether the connected role may push (insert into the hub's history)."""
    found = conn.execute("SELECT has_table_privilege('fieldcase.groups', 'INSERT')").fetchone()
    return bool(found and found[0])


def group_uuids(conn: psycopg.Connection[Any]) -> set[str]:
    """The UUID of every change group on the hub."""
    return {r[0] for r in conn.execute("SELECT uuid FROM fieldcase.groups")}


def not_held(conn: psycopg.Connection[Any], uuids: list[str]) -> list[str]:
    """Those of ``uuids`` (change groups) the hub does not hold, in their order."""
    held = {r[0] for r in conn.execute("SELECT uuid FROM fieldcase.groups WHERE uuid = ANY(%s)", [uuids])}
    return [u for u in uuids if u not in held]


def authors(conn: psycopg.Connection[Any], uuids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Who made these groups and when (the time as the project files write it), by UUID."""
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT uuid, author, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        " FROM fieldcase.groups WHERE uuid = ANY(%s)", [list(uuids)])}


def entries_of(conn: psycopg.Connection[Any], uuids: Iterable[str]) -> Iterator[
        tuple[str, int, str, str, str, list[str], dict[str, str]]]:
    """The entries of these groups in the order the hub took them: (group, seq, op, table,
    row key, columns, origin)."""
    cursor = conn.execute(
        "SELECT e.group_uuid, e.seq, e.op, e.table_name, e.row_key, e.columns, e.origin"
        " FROM fieldcase.entries e JOIN fieldcase.groups g ON g.uuid = e.group_uuid"
        " WHERE e.group_uuid = ANY(%s) ORDER BY g.seq, e.seq", [list(uuids)])
    for group, seq, op, table, key, columns, origin in cursor:
        yield group, seq, op, table, key, list(columns or []), dict(origin or {})


def state(conn: psycopg.Connection[Any], table: str, keys: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The rows of one of the hub's state tables (those with these uuids, if given)."""
    query = sql.SQL("SELECT * FROM fieldcase.{}").format(sql.Identifier(table))
    if keys is not None:
        query += sql.SQL(" WHERE uuid = ANY(%s)")
    cursor = conn.execute(query, [list(keys)] if keys is not None else None)
    names = [c.name for c in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def texts(conn: psycopg.Connection[Any], hashes: Iterable[str]) -> dict[str, str]:
    """The texts with these hashes."""
    return dict(conn.execute("SELECT sha256, text FROM fieldcase.texts WHERE sha256 = ANY(%s)",
                             [list(hashes)]).fetchall())


def put_texts(conn: psycopg.Connection[Any], found: dict[str, str]) -> None:
    """Add texts the hub lacks (asked under the hub's lock: the rest go in with COPY)."""
    held = {r[0] for r in conn.execute("SELECT sha256 FROM fieldcase.texts WHERE sha256 = ANY(%s)", [list(found)])}
    with conn.cursor() as cursor, cursor.copy("COPY fieldcase.texts (sha256, text) FROM STDIN") as copy:
        for sha, text in found.items():
            if sha not in held:
                copy.write_row((sha, text))


def put_groups(conn: psycopg.Connection[Any], groups: list[dict[str, Any]],
               entries: list[tuple[str, int, str, str, str, list[str], dict[str, str]]]) -> None:
    """Append change groups and their entries (a group the hub has is left as it is, and
    its entries are not among ``entries``)."""
    held = group_uuids(conn)
    with conn.cursor() as cursor:
        # the others are new to the hub (asked under its lock, in this transaction): they
        # and their entries go in with COPY
        with cursor.copy("COPY fieldcase.groups (uuid, at, author, action, summary, project) FROM STDIN") as copy:
            for group in groups:
                if group["uuid"] not in held:
                    copy.write_row([group[c] for c in ("uuid", "at", "user", "action", "summary", "project")])
        said: dict[tuple[Any, ...], str] = {}  # (many entries share a few lists of columns and origins)
        with cursor.copy("COPY fieldcase.entries (group_uuid, seq, op, table_name, row_key, columns, origin)"
                         " FROM STDIN") as copy:
            for g, s, op, t, k, c, o in entries:
                columns = said.get(tuple(c)) or said.setdefault(tuple(c), json.dumps(c))
                shape = tuple(o.items())
                origin = (said.get(shape) or said.setdefault(shape, json.dumps(o))) if o else None
                copy.write_row((g, s, op, t, k, columns, origin))


def upsert(conn: psycopg.Connection[Any], table: str, rows: list[dict[str, Any]]) -> None:
    """Write rows of a state table as they are now, by uuid: those the hub lacks straight in
    with COPY (the caller holds the hub's lock), the others through a staged update."""
    if not rows:
        return
    held = {r[0] for r in conn.execute(sql.SQL("SELECT uuid FROM fieldcase.{} WHERE uuid = ANY(%s)").format(
        sql.Identifier(table)), [[r["uuid"] for r in rows]])}
    columns = list(rows[0])
    typed = set(json_columns(conn, table))  # (an attribute's value: a number stays a number)
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    fresh = [r for r in rows if r["uuid"] not in held]
    if fresh:
        with conn.cursor() as cursor, cursor.copy(sql.SQL("COPY fieldcase.{} ({}) FROM STDIN").format(
                sql.Identifier(table), names)) as copy:
            for row in fresh:
                copy.write_row([Jsonb(row[c]) if c in typed and row[c] is not None else row[c] for c in columns]
                               if typed else [row[c] for c in columns])
    rows = [r for r in rows if r["uuid"] in held]
    if not rows:
        return
    staged = sql.Identifier(f"staged_{table}")
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE fieldcase.{} INCLUDING DEFAULTS)"
                               " ON COMMIT DROP").format(staged, sql.Identifier(table)))
        cursor.execute(sql.SQL("TRUNCATE {}").format(staged))
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(staged, names)) as copy:
            for row in rows:
                copy.write_row([Jsonb(row[c]) if c in typed and row[c] is not None else row[c] for c in columns])
        cursor.execute(sql.SQL(
            "INSERT INTO fieldcase.{table} ({names}) SELECT {names} FROM {staged}"
            " ON CONFLICT (uuid) DO UPDATE SET {updates}").format(
            table=sql.Identifier(table), names=names, staged=staged,
            updates=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c))
                                       for c in columns if c != "uuid")))


def delete(conn: psycopg.Connection[Any], table: str, keys: list[str]) -> None:
    """Remove rows of a state table by uuid."""
    if keys:
        conn.execute(sql.SQL("DELETE FROM fieldcase.{} WHERE uuid = ANY(%s)").format(sql.Identifier(table)),
                     [keys])


def json_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The columns of one of the hub's state tables that hold a JSON value."""
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'fieldcase'"
        " AND table_name = %s AND data_type = 'jsonb'", [table])]


def columns_of(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The columns of one of the hub's state tables."""
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'fieldcase'"
        " AND table_name = %s ORDER BY ordinal_position", [table])]


def scrub_purge(conn: psycopg.Connection[Any], group: str, erased: dict[str, list[str]],
                fingerprints: list[str]) -> int:
    """Scrub from the hub what the purge ``group`` erased (``erased``: ``sources``, ``cases``,
    ``codes``, ``history`` by uuid), through the hub's one exception to its append-only
    history (migration 0005); record it with the purging project's keyed ``fingerprints``.
    Returns how many texts, summaries and entries it changed."""
    row = conn.execute("SELECT fieldcase.purge_scrub(%s, %s, %s, %s, %s, %s)",
                       [group, *(erased.get(k, []) for k in ("sources", "cases", "codes", "history")),
                        fingerprints]).fetchone()
    return int(row[0]) if row else 0


def purges_unknown(conn: psycopg.Connection[Any], known: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The purges on the hub whose change groups are not in ``known``, oldest first: by
    group, what each erased, as (``source`` | ``case`` | ``history``, uuid)."""
    there = conn.execute("SELECT to_regclass('fieldcase.purges') IS NOT NULL").fetchone()
    if not (there and there[0]):
        return {}  # a hub from before purges were scrubbed (`fieldcase hub init` upgrades it)
    found: dict[str, list[tuple[str, str]]] = {}
    for group, kind, target in conn.execute(
            "SELECT group_uuid, kind, target_uuid FROM fieldcase.purges ORDER BY seq"):
        if group not in known:
            found.setdefault(group, []).append((kind, target))
    return found
