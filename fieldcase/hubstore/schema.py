"""Making a database a hub (``init``), its group roles and ``grant``; checking one is a hub."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from fieldcase.errors import InputError
from fieldcase.hubstore import migrations
from fieldcase.hubstore.connection import PasswordAsker, connect, parts, where
from fieldcase.hubstore.errors import HubError, NotAHubError, translate

# The history a member may add to but never change, and the current state a member writes.
HISTORY_TABLES = ("groups", "entries", "texts", "conflicts_found", "conflict_settlements")
STATE_TABLES = ("sites", "cases", "attributes", "sources", "codes", "codings", "memos", "speakers",
                "source_cases", "site_attribute_values", "case_attribute_values",
                "source_attribute_values", "pseudonyms", "glossary",
                "sets", "set_codes", "set_sources", "framework_cells", "framework_links")
PURGE_SCRUB = "purge_scrub(text, text[], text[], text[], text[], text[])"  # migration 0005


@dataclass(frozen=True)
class Roles:
    """The hub's two group roles: ``member`` (read and push) and ``reader`` (read only)."""

    member: str
    reader: str


def roles_for(database: str) -> Roles:
    """The group roles of the hub in ``database``. Roles belong to the whole server, so each
    hub has its own: a member of one team's hub is not let into another's on the same server."""
    tail = database if re.fullmatch(r"[a-z0-9_]{1,40}", database) else (
        hashlib.sha256(database.encode("utf-8")).hexdigest()[:12])
    return Roles(f"fieldcase_member_{tail}", f"fieldcase_reader_{tail}")


def open_hub(url: str, ask: PasswordAsker | None = None) -> psycopg.Connection[Any]:
    """A connection (autocommit) to a hub this fieldcase can use; refuses a database that is
    no hub, or a hub newer than this fieldcase."""
    conn = connect(url, ask, autocommit=True)
    try:
        version = hub_version(conn, url)
        if version == 0:
            raise NotAHubError(f"{where(url)} is not a fieldcase hub (`fieldcase hub init URL` makes one)")
        migrations.refuse_newer(version)
    except BaseException:
        conn.close()
        raise
    return conn


def hub_version(conn: psycopg.Connection[Any], url: str) -> int:
    """The hub schema version of the database (0: none), errors named after ``url``."""
    try:
        return migrations.current_version(conn)
    except NotAHubError as err:
        raise NotAHubError(f"{where(url)}: {err}") from None
    except psycopg.Error as err:
        raise translate(err, where(url), str(parts(url).get("user") or "")) from None


def init_hub(url: str, ask: PasswordAsker | None = None, *, beside_other_tables: bool = False) -> dict[str, Any]:
    """Create or upgrade the hub schema in the (existing) database at ``url``, and its group
    roles if missing. Run again, it changes nothing. Returns what it did. A database that
    is neither empty nor a hub is refused, unless ``beside_other_tables``: then the hub goes
    in its own schema beside what is there, which it never touches."""
    with connect(url, ask, autocommit=True) as conn:
        try:
            if not beside_other_tables and migrations.current_version(conn) == 0:
                _refuse_other_tables(conn, url)
            applied = migrations.migrate(conn)
            database = conn.info.dbname
            roles = roles_for(database)
            with conn.transaction():
                migrations.lock(conn)
                created = [name for name in (roles.reader, roles.member) if _create_role(conn, name)]
                if applied or created:  # an up-to-date hub: nothing to grant (nor the right to)
                    _grant_rights(conn, roles, database)
            version = migrations.current_version(conn)
        except NotAHubError as err:
            raise NotAHubError(f"{where(url)}: {err}") from None
        except psycopg.errors.InsufficientPrivilege as err:
            who = parts(url).get("user") or conn.info.user
            raise HubError(f"role {who!r} may not create or upgrade the hub at {where(url)} "
                           f"(its database's owner runs `fieldcase hub init`): "
                           f"{str(err).splitlines()[0]}") from None
        except psycopg.Error as err:
            raise translate(err, where(url), str(parts(url).get("user") or "")) from None
    return {"hub": where(url), "applied": [f"{m.version:04d}_{m.name}" for m in applied],
            "version": version, "roles_created": created,
            "member_role": roles.member, "reader_role": roles.reader}


def _refuse_other_tables(conn: psycopg.Connection[Any], url: str) -> None:
    """Refuse a database that holds tables or views of its own: a hub wants one of its own."""
    found = conn.execute(
        "SELECT table_schema, count(*) FROM information_schema.tables"
        " WHERE table_schema NOT IN ('pg_catalog', 'information_schema', %s)"
        " AND table_schema NOT LIKE 'pg\\_%%' GROUP BY table_schema ORDER BY table_schema",
        [migrations.SCHEMA]).fetchall()
    if found:
        held = ", ".join(f"{n} in schema {schema}" for schema, n in found)
        raise InputError(f"{where(url)} is not empty ({held}); a hub wants a database of its own "
                         "(createdb makes one), or give --beside-other-tables to put the hub in its own "
                         f"schema, {migrations.SCHEMA}, beside them; nothing was changed")


def _create_role(conn: psycopg.Connection[Any], name: str) -> bool:
    """Create the group role ``name`` unless it exists; whether it was created."""
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone():
        return False
    conn.execute(sql.SQL(
        "DO $$ BEGIN CREATE ROLE {} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ).format(sql.Identifier(name)))
    return True


def _grant_rights(conn: psycopg.Connection[Any], roles: Roles, database: str) -> None:
    """The rights of the two group roles (granting them again changes nothing)."""
    reader, member = sql.Identifier(roles.reader), sql.Identifier(roles.member)
    schema = sql.Identifier(migrations.SCHEMA)
    state = sql.SQL(", ").join(sql.Identifier(migrations.SCHEMA, t) for t in STATE_TABLES)
    history = sql.SQL(", ").join(sql.Identifier(migrations.SCHEMA, t) for t in HISTORY_TABLES)
    for statement in (
        "GRANT CONNECT ON DATABASE {db} TO {reader}",
        "GRANT USAGE ON SCHEMA {schema} TO {reader}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}",
        "GRANT {reader} TO {member}",
        "GRANT INSERT ON {history} TO {member}",
        "GRANT INSERT, UPDATE, DELETE ON {state} TO {member}",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {member}",
        # the one way to change the history: a purge's scrub (a reader may not)
        f"GRANT EXECUTE ON FUNCTION {{schema}}.{PURGE_SCRUB} TO {{member}}",
    ):
        conn.execute(sql.SQL(statement).format(
            db=sql.Identifier(database), reader=reader, member=member, schema=schema,
            history=history, state=state))


def grant(url: str, role: str, read_only: bool, ask: PasswordAsker | None = None) -> dict[str, Any]:
    """Make the login role ``role`` a member of the hub (or a reader, ``read_only``, which
    also takes back the right to push)."""
    with open_hub(url, ask) as conn:
        roles = roles_for(conn.info.dbname)
        given, taken = (roles.reader, roles.member) if read_only else (roles.member, roles.reader)
        try:
            with conn.transaction():
                if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                    raise InputError(f"{where(url)}: the server has no role {role!r} "
                                       "(CREATE ROLE … LOGIN makes one)")
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(given), sql.Identifier(role)))
                if read_only:
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(
                        sql.Identifier(taken), sql.Identifier(role)))
        except psycopg.Error as err:
            raise translate(err, where(url), str(parts(url).get("user") or "")) from None
    return {"role": role, "granted": given, "read_only": read_only}
