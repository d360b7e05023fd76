"""Opening the hub: the URL, where its password comes from, and how a URL is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from fieldcase.errors import InputError
from fieldcase.hubstore.errors import PASSWORD_PLACES, translate

# Asked for the password when libpq found none and the server wants one; None: nobody to ask.
PasswordAsker = Callable[[str], "str | None"]

CONNECT_TIMEOUT = 10  # seconds: an unreachable host fails in this time, not libpq's forever


def parts(url: str) -> dict[str, Any]:
    """The URL's (or connection string's) settings; a malformed one is an :class:`InputError`."""
    try:
        return dict(conninfo_to_dict(url))
    except psycopg.ProgrammingError as err:
        raise InputError(f"not a PostgreSQL URL ({str(err).splitlines()[0]}); "
                         "expected postgresql://user@host:port/database") from None


def refuse_password(url: str) -> None:
    """Refuse a URL that carries a password: the project stores the URL, never a password."""
    if parts(url).get("password"):
        raise InputError("the hub URL holds a password, which a project never stores: give the "
                         f"URL without it and the password in {PASSWORD_PLACES}")


def where(url: str) -> str:
    """``host:port/database`` of the URL for messages, with libpq's defaults filled in."""
    settings = parts(url)
    host = settings.get("host") or settings.get("hostaddr") or "localhost"
    port = settings.get("port") or "5432"
    database = settings.get("dbname") or settings.get("user") or "?"
    return f"{host}:{port}/{database}"


def shown(url: str) -> str:
    """The URL as it may be printed: as given when it holds no password, else its settings
    with the password as ``***``."""
    settings = parts(url)
    if not settings.get("password"):
        return url
    settings["password"] = "***"
    return make_conninfo(**settings)


@contextmanager
def translating(url: str) -> Iterator[None]:
    """Turn a psycopg error raised inside into the one-line :class:`HubError` naming the hub
    at ``url`` (a write by a read-only member: ``hub_write_refused: …``)."""
    try:
        yield
    except psycopg.Error as err:
        raise translate(err, where(url), str(parts(url).get("user") or "")) from None


def connect(url: str, ask: PasswordAsker | None = None, **options: Any) -> psycopg.Connection[Any]:
    """A connection to the hub at ``url``, the password from libpq's usual places; when the
    server wants one and none was found, from ``ask`` (a prompt) if given."""
    settings = parts(url)
    user = str(settings.get("user") or "")
    password: str | None = str(settings["password"]) if settings.get("password") else None
    options.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        return psycopg.connect(url, **options)
    except psycopg.OperationalError as err:
        asked = ask(f"Password for the hub at {where(url)}: ") if (
            ask is not None and "no password supplied" in str(err)) else None
        if not asked:  # nobody to ask (or nothing typed): the error says where a password goes
            raise translate(err, where(url), user, password, connecting=True) from None
    try:
        return psycopg.connect(url, password=asked, **options)
    except psycopg.OperationalError as err:
        raise translate(err, where(url), user, asked, connecting=True) from None
