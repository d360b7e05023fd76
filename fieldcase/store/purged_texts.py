"""What a purge remembers of the texts it erased, so that re-importing the fieldwork folder
does not quietly bring a withdrawn participant back.

Each erased text leaves a fingerprint: HMAC-SHA256, keyed with a random secret kept in the
project, of the SHA-256 that sources store of their text. A plain hash of a short text that
someone can guess would confirm the guess; without the project file, the key forbids it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

SECRET_KEY = "purge.secret"  # the project_info key of the fingerprints' secret (never shown by info())


def _secret(project: Project, *, create: bool = False) -> bytes | None:
    """The project's fingerprint secret, made at its first purge (``create``)."""
    row = project.conn.execute("SELECT value FROM project_info WHERE key = ?", [SECRET_KEY]).fetchone()
    if row is None and create:
        value = secrets.token_hex(32)
        project.conn.execute("INSERT INTO project_info (key, value) VALUES (?, ?)", [SECRET_KEY, value])
        return bytes.fromhex(value)
    return bytes.fromhex(row[0]) if row else None


def fingerprint(secret: bytes, text_sha256: str) -> str:
    """The keyed fingerprint of a text, from the hex SHA-256 of its normalised form."""
    return hmac.new(secret, text_sha256.encode("utf-8"), hashlib.sha256).hexdigest()


def remember(project: Project, w: ChangeWriter, hashes: Iterable[str]) -> int:
    """Record the texts a purge erases, by their hashes (those a stored source still holds are
    not erased, and are left out); a text purged before takes this purge's date and user."""
    held = {r[0] for r in project.conn.execute("SELECT text_sha256 FROM sources")}
    going = sorted({h for h in hashes if h} - held)
    if not going:
        return 0
    secret = _secret(project, create=True)
    assert secret is not None
    rows = [(fingerprint(secret, h), w.at, project.user, w.open_group()) for h in going]
    project.conn.executemany(
        "INSERT INTO purged_texts (fingerprint, purged_at, purged_by, change_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (fingerprint) DO UPDATE SET purged_at = excluded.purged_at,"
        " purged_by = excluded.purged_by, change_id = excluded.change_id", rows)
    return len(rows)


def purged(project: Project, text_sha256: str) -> dict[str, Any] | None:
    """When and by whom a text was purged (``purged_at``, ``purged_by``, ``change_id``), if it was."""
    secret = _secret(project)
    if secret is None:
        return None
    row = project.conn.execute("SELECT purged_at, purged_by, change_id FROM purged_texts WHERE fingerprint = ?",
                               [fingerprint(secret, text_sha256)]).fetchone()
    return {"purged_at": row[0], "purged_by": row[1], "change_id": row[2]} if row else None


def refuse_purged(project: Project, text_sha256: str) -> None:
    """Refuse a text that a purge erased: it comes back only when the researcher says so."""
    found = purged(project, text_sha256)
    if found:
        raise InputError(f"this text was erased (purged) on {found['purged_at'][:10]} by {found['purged_by']}, "
                         "when a participant withdrew; import it again only with their consent: --allow-purged")

