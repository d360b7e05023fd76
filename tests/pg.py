"""A real PostgreSQL for the hub tests: a throwaway database per test, dropped afterwards.

The server is ``$FIELDCASE_TEST_PG`` (a URL to a database the tests may log into as a role
that can create databases and roles), else ``postgresql://postgres@127.0.0.1:5432/postgres``.
When no server answers, hub tests skip with a reason, unless ``FIELDCASE_REQUIRE_PG=1`` (as
in CI), where they fail. Names are random: other runs may use the same server at once.

That server trusts everyone, so passwords are tested on a ``private_cluster`` of our own
(initdb in a temporary folder, SCRAM on 127.0.0.1, stopped at the end).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
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


PG_BIN = Path(os.environ.get("FIELDCASE_PG_BIN", "/usr/lib/postgresql/15/bin"))
CLUSTER_ADMIN = "fcadmin"  # the private cluster's superuser, let in by its socket alone


@dataclass(frozen=True)
class PrivateCluster:
    """A PostgreSQL server of our own that asks for passwords (SCRAM) on 127.0.0.1: its
    port, and its socket folder, where its superuser logs in without one."""

    port: int
    socket_dir: Path

    @property
    def admin_url(self) -> str:
        return f"host={self.socket_dir} port={self.port} user={CLUSTER_ADMIN} dbname=postgres"

    def url(self, user: str, database: str) -> str:
        """A URL as a member gives it: by TCP, with no password in it."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin_url_of(self, database: str) -> str:
        return self.admin_url.replace("dbname=postgres", f"dbname={database}")

    def execute(self, sql: str, params: Any = None, database: str = "postgres") -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.admin_url_of(database), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def _as_postgres_account(folder: Path) -> list[str]:
    """What runs the server's programs: as ourselves, or (initdb and postgres refuse root)
    as the machine's ``postgres`` account, which is given ``folder``."""
    if os.geteuid() != 0:
        return []
    import pwd

    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("running as root, and there is no postgres account to run initdb as")
    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser is None:
        _unavailable("running as root, and neither runuser nor setpriv is there to run initdb as postgres")
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, account.pw_uid, account.pw_gid)
    if runuser.endswith("setpriv"):
        return [runuser, f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--"]
    return [runuser, "-u", "postgres", "--"]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def start_private_cluster() -> Iterator[PrivateCluster]:
    """initdb a cluster in a temporary folder, start it on a free port with SCRAM passwords
    on 127.0.0.1, and stop and remove it at the end. Without initdb: a skip (a failure
    under ``FIELDCASE_REQUIRE_PG=1``)."""
    initdb, pg_ctl = PG_BIN / "initdb", PG_BIN / "pg_ctl"
    if not (initdb.exists() and pg_ctl.exists()):
        _unavailable(f"no initdb at {PG_BIN} (set FIELDCASE_PG_BIN to PostgreSQL's bin folder) "
                     "for a private cluster that asks for passwords")
    # (as root, in /tmp: the postgres account must reach it, and a socket's path is short)
    folder = Path(tempfile.mkdtemp(prefix="fieldcase-pg-", dir="/tmp" if os.geteuid() == 0 else None))
    data, port = folder / "data", _free_port()
    try:
        run_as = _as_postgres_account(folder)
        _run([*run_as, str(initdb), "-D", str(data), "-U", CLUSTER_ADMIN, "-E", "UTF8", "--no-locale",
              "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256"])
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
        run_as = _as_postgres_account(folder)  # (the file just written, too)
        for attempt in range(3):  # (a free port can be taken by another run before the server binds it)
            options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
                       " -c password_encryption=scram-sha-256")
            try:
                _run([*run_as, str(pg_ctl), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60",
                      "-o", options, "start"])
                break
            except RuntimeError:
                if attempt == 2:
                    raise
                port = _free_port()
        try:
            yield PrivateCluster(port, folder)
        finally:
            _run([*run_as, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {(done.stderr or done.stdout).strip()}")


@pytest.fixture(scope="module")
def private_cluster() -> Iterator[PrivateCluster]:
    """A private PostgreSQL cluster that checks passwords, for one test module."""
    with start_private_cluster() as cluster:
        yield cluster
