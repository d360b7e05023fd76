"""psycopg's exceptions as one-line :class:`FieldcaseError` s naming the hub, never a password."""

from __future__ import annotations

import re

import psycopg
from psycopg import errors as pg_errors

from fieldcase.errors import FieldcaseError


class HubError(FieldcaseError):
    """The hub could not be used; the message names its host and database."""


class HubUnreachableError(HubError):
    """No PostgreSQL answered at the hub's host and port."""


class HubAuthError(HubError):
    """The server refused the login: wrong password, no password given, unknown role."""


class HubMissingError(HubError):
    """The server has no database of the hub's name."""


class NotAHubError(HubError):
    """The database holds no fieldcase hub, or a ``fieldcase`` schema that is not one."""


class HubTooNewError(HubError):
    """The hub's schema is newer than this fieldcase knows."""


class HubWriteRefusedError(HubError):
    """The login role may read the hub but not write to it (``hub_write_refused``)."""


PASSWORD_PLACES = "PGPASSWORD, ~/.pgpass or a service file (PGSERVICE)"


def translate(err: psycopg.Error, where: str, user: str = "", password: str | None = None,
              *, connecting: bool = False) -> HubError:
    """The :class:`HubError` for ``err`` raised while connecting to (``connecting``) or using
    the hub at ``where`` (``host:port/db``) as ``user``; ``password`` never appears in it."""
    text = _first_line(str(err), password)
    who = f"role {user!r}" if user else "this role"
    if isinstance(err, pg_errors.InsufficientPrivilege):
        if "append-only" in text:  # the history's guard, even for the hub's owner
            return HubError(f"the hub at {where} refused: {text}")
        if "for schema" in text:
            return HubAuthError(f"{who} is no member of the hub at {where} "
                                f"(the hub's lead can run `fieldcase hub grant ROLE`): {text}")
        return HubWriteRefusedError(
            f"hub_write_refused: {who} may only read the hub at {where} "
            f"(the hub's lead can run `fieldcase hub grant ROLE`): {text}")
    if connecting:
        return _connection_error(text, where, who)
    return HubError(f"the hub at {where} refused: {text}")


# libpq's words when what answered at the address does not speak PostgreSQL's protocol
_NOT_POSTGRES = ("invalid response to ssl negotiation", "expected authentication request from server",
                 "received invalid response", "unsupported frontend protocol")


def _connection_error(text: str, where: str, who: str) -> HubError:
    lowered = text.lower()
    if "authentication failed" in lowered:
        return HubAuthError(f"the hub at {where} refused the password of {who}")
    if "no password supplied" in lowered:
        return HubAuthError(f"the hub at {where} needs a password for {who}: "
                            f"give it in {PASSWORD_PLACES}, or run at a terminal to be asked")
    if "does not exist" in lowered and "database" in lowered:
        return HubMissingError(f"the server of {where} has no such database "
                               "(a hub is made in an existing database: createdb, then `fieldcase hub init`)")
    if "does not exist" in lowered and "role" in lowered:
        return HubAuthError(f"the hub at {where} knows no {who}")
    if any(said in lowered for said in _NOT_POSTGRES):
        return HubUnreachableError(f"the address {where} is not a PostgreSQL hub: something else answers there "
                                   f"(a web server or proxy?); check the hub's host and port ({text})")
    if "no pg_hba.conf entry" in lowered:
        return HubAuthError(f"the server of {where} does not let {who} in from here (pg_hba.conf)")
    return HubUnreachableError(f"cannot reach the hub at {where}: {text}")


def _first_line(text: str, password: str | None) -> str:
    """The line of a libpq or server message that says what went wrong, without libpq's
    preamble, and with the password (if any) blanked out."""
    if password:
        text = text.replace(password, "***")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # libpq: 'connection failed: connection to server at "h", port 5432 failed: <reason>',
    # then hints; several hosts tried give one such line each after a heading.
    line = next((line for line in lines if " failed: " in line), lines[0] if lines else "no message")
    line = re.sub(r"^(- )?(connection failed: )?(connection to server .*? failed: )?(FATAL: +)?", "", line)
    return line.strip()
