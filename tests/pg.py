"""A real PostgreSQL for the hub tests: a throwaway database per test, dropped afterwards.

The server is ``$FIELDCASE_TEST_PG`` (a URL to a database the tests may log into as a role
that can create databases and roles), else ``postgresql://postgres@127.0.0.1:5432/postgres``.
When no server answers, hub tests skip with a reason, unless ``FIELDCASE_REQUIRE_PG=1`` (as
in CI), where they fail. Names are random: other runs may use the same server at once.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class PgDatabase:
    """A database made for one test: its name and URL, and the admin URL of its server."""

    name: str
    url: str
    admin_url: str

    def url_as(self, user: str, password: str | None = None) -> str:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        settings = dict(conninfo_to_dict(self.url))
        settings.update(user=user, password=password)
        return make_conninfo(**{k: v for k, v in settings.items() if v is not None})

    def execute(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run ``sql`` in this database as the admin (autocommit); the rows it returns."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def server_url() -> str:
    return os.environ.get("FIELDCASE_TEST_PG") or DEFAULT_SERVER


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def _admin_connection() -> Any:
    """An autocommit connection to the test server, or a skip (a failure when required)."""
    try:
        import psycopg
    except ImportError as err:  # pragma: no cover - psycopg is a dependency
        _unavailable(f"psycopg is not installed ({err})")
    try:
        return psycopg.connect(server_url(), autocommit=True, connect_timeout=5)
    except psycopg.Error as err:
        _unavailable(f"no PostgreSQL at {server_url()} ({str(err).strip().splitlines()[-1].strip()})")


def _unavailable(why: str) -> None:
    if os.environ.get("FIELDCASE_REQUIRE_PG") == "1":
        pytest.fail(f"FIELDCASE_REQUIRE_PG=1 but {why}", pytrace=False)
    pytest.skip(f"{why}; point FIELDCASE_TEST_PG=postgresql://user@host:port/db at a server "
                "(a role that may create databases and roles) to run the hub tests")


def drop_roles(admin: Any, names: list[str]) -> None:
    from psycopg import sql

    for name in names:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@contextmanager
def fresh_database() -> Iterator[tuple[PgDatabase, Any]]:
    """A new empty database (and the admin connection); dropped at the end together with
    every role named after it (the hub's group roles) or made by the test (``test_roles``)."""
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    admin = _admin_connection()
    name = unique_name("fchub")
    settings = dict(conninfo_to_dict(server_url()))
    settings["dbname"] = name
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield PgDatabase(name, make_conninfo(**settings), server_url()), admin
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        roles = [r[0] for r in admin.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", [f"%{name}"])]
        drop_roles(admin, roles)
        admin.close()


@contextmanager
def password_refusing_server() -> Iterator[int]:
    """A stand-in server on a free local port that asks every client for a password and
    refuses it as PostgreSQL does (28P01): the test server trusts everyone, so a wrong
    password needs this. It speaks just enough of the wire protocol for libpq."""
    import socket
    import struct
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def read(conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def serve(conn: socket.socket) -> None:
        with conn:
            while True:  # SSLRequest / GSSENCRequest answered "N", until the startup message
                length, code = struct.unpack("!ii", read(conn, 8))
                read(conn, length - 8)
                if code in (80877103, 80877104):
                    conn.sendall(b"N")
                    continue
                break
            conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
            kind = read(conn, 1)
            length = struct.unpack("!i", read(conn, 4))[0]
            read(conn, length - 4)
            if kind != b"p":
                return
            fields = b"".join(tag + text + b"\0" for tag, text in (
                (b"S", b"FATAL"), (b"V", b"FATAL"), (b"C", b"28P01"),
                (b"M", b'password authentication failed for user "someone"')))
            conn.sendall(b"E" + struct.pack("!i", len(fields) + 5) + fields + b"\0")

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            try:
                serve(conn)
            except (ConnectionError, OSError, struct.error):
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()
