"""Times as people read them: the change log's UTC stamps in this computer's time zone."""

from __future__ import annotations

from datetime import datetime


def zone() -> str:
    """The name of this computer's time zone (``CST``, ``UTC``)."""
    return datetime.now().astimezone().strftime("%Z") or "local time"


def local(at: str) -> str:
    """A logged UTC time (ISO 8601) as local ``YYYY-MM-DD HH:MM``; anything else as it is."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at
