"""Backups of a project file: where they live, what they are called, when they are made.

A project ``study.fieldcase`` keeps its backups in ``study.fieldcase-backups/`` beside it
(a ``0700`` folder), each a complete SQLite copy made with the online backup API, named
``study.TIMESTAMP.REASON.fieldcase`` so that a listing sorts oldest first. A copy is
written under a hidden name and renamed when complete, so a crash never leaves half a
backup. Automatic backups beyond the project's ``backup.keep`` are removed, oldest first;
those the researcher asked for (``manual``) or that a restore kept aside never are.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.errors import InputError, ProjectError
from fieldcase.store.changes import now
from fieldcase.store.db import backup, errors
from fieldcase.store.private import private_folder, touch_private

if TYPE_CHECKING:
    from fieldcase.store.project import Project

_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}(?:-\d+)?)\.(?P<reason>[a-z0-9-]+)\.fieldcase$")
_LEGACY = re.compile(r"\.v(?P<version>\d+)\.bak$")
_STAMP = "%Y%m%dT%H%M%S"

KEPT_REASONS = frozenset({"manual", "before-restore"})  # never removed by pruning
EVERY_KEY, KEEP_KEY = "backup.every_minutes", "backup.keep"  # keys of project_info
DEFAULT_EVERY, DEFAULT_KEEP = 30, 10
STALE_PARTIAL_SECONDS = 3600


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was made (UTC, ISO 8601), why, and its size."""

    path: Path
    at: str
    reason: str
    bytes: int

    @property
    def encrypted(self) -> bool:
        """Whether the copy is encrypted (SQLCipher): a plain SQLite file starts with its
        format's name. A backup is a closed copy, so reading its header here is safe."""
        try:
            with self.path.open("rb") as handle:
                return handle.read(16) != b"SQLite format 3\x00"
        except OSError:
            return False

    @property
    def automatic(self) -> bool:
        """Whether pruning may remove it (the researcher did not ask for it by name)."""
        return self.reason not in KEPT_REASONS and _NAME.match(self.path.name) is not None


@dataclass(frozen=True)
class Settings:
    """How often work is backed up (0: never by time) and how many automatic backups are
    kept (0: all)."""

    every_minutes: int = DEFAULT_EVERY
    keep: int = DEFAULT_KEEP


def backup_folder(project_path: Path) -> Path:
    """The folder holding ``project_path``'s backups (it may not exist yet)."""
    return project_path.with_name(f"{project_path.name}-backups")


def backup_path(project_path: Path, reason: str, folder: Path | None = None) -> Path:
    """A new, unused backup file name for ``project_path`` made now for ``reason``, in its
    backup folder or in ``folder``."""
    stamp = re.sub(r"[^0-9]", "", now())[:14]
    stamp = f"{stamp[:8]}T{stamp[8:]}"
    folder = folder or backup_folder(project_path)
    stem = project_path.stem
    # numbered after every other backup of the same second, whatever its reason, so that
    # names sort in the order the backups were made
    taken = [_order(p)[1] for p in folder.glob(f"{glob_escape(stem)}.{stamp}*") if _NAME.match(p.name)]
    label = f"{stamp}-{max(taken) + 1}" if taken else stamp
    return folder / f"{stem}.{label}.{reason}.fieldcase"


def list_backups(project_path: Path) -> list[Path]:
    """Every backup of ``project_path``, oldest first: those in its backup folder and the
    ``NAME.vN.bak`` copies that migrations wrote beside it before backups had a folder."""
    folder = backup_folder(project_path)
    found = [p for p in folder.glob("*.fieldcase") if _NAME.match(p.name)] if folder.is_dir() else []
    found.sort(key=_order)
    legacy = sorted(project_path.parent.glob(f"{glob_escape(project_path.name)}.v*.bak"))
    return legacy + found


def _order(path: Path) -> tuple[str, int]:
    """Sorts backup names by time, then by their number within one second (2 before 10)."""
    stamp = _NAME.match(path.name)["stamp"]  # type: ignore[index]  # only names _NAME matched are listed
    base, _, number = stamp.partition("-")
    return base, int(number or 1)


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def describe(path: Path) -> Backup:
    """What a backup's name says about it (a legacy ``.vN.bak``: its file time)."""
    size = path.stat().st_size
    match = _NAME.match(path.name)
    if match is None:
        legacy = _LEGACY.search(path.name)
        reason = f"migration-v{legacy['version']}" if legacy else "unknown"
        at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        return Backup(path, _iso(at), reason, size)
    stamp = datetime.strptime(match["stamp"].split("-")[0], _STAMP).replace(tzinfo=timezone.utc)
    return Backup(path, _iso(stamp), match["reason"], size)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds").replace("+00:00", "Z")


def backups(project_path: Path) -> list[Backup]:
    """Every backup of ``project_path`` described, oldest first."""
    return [describe(p) for p in list_backups(project_path)]


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the database of ``conn`` to ``target`` (``0600``) with SQLite's online backup,
    written beside it and renamed into place when complete; returns ``target``."""
    if conn.in_transaction:  # the copy would wait forever on this connection's own write
        raise ProjectError(f"{target}: cannot back up in the middle of a change")
    partial = target.with_name(f".{target.name}.partial")
    touch_private(partial)
    try:
        backup(conn, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def make_backup(project: Project, reason: str, *, to: Path | None = None, before_change: bool = False) -> Path:
    """Back ``project`` up now for ``reason`` (``manual``, ``import``, ``purge``, ``merge`` …)
    into its backup folder, or to ``to`` (a new file, or a folder to put it in), and prune
    old automatic ones; returns the backup's path.

    With ``before_change``, inside a change not yet committed, the backup is of the file as
    it was before that change: read through a connection of its own, which (the file being
    in WAL mode) sees only what was committed. So a change that may write nothing (a merge)
    backs up only once it knows it writes, and no other writer comes between the backup and
    the change. (Without it, a backup inside a change is refused: see :func:`copy_database`.)"""
    if not re.fullmatch(r"[a-z0-9-]+", reason):
        raise ValueError(f"a backup reason is lower-case letters, digits and '-': {reason!r}")
    if to is None:
        target = backup_path(project.path, reason)
        private_folder(target.parent)
    else:
        target = backup_path(project.path, reason, to) if to.is_dir() else to
        if target.exists():
            raise InputError(f"{target}: a file already exists there; choose a new name")
        private_folder(target.parent)
    if before_change and project.conn.in_transaction:
        from fieldcase.store.db import open_connection

        reader = open_connection(project.path, durable=False)
        try:
            copy_database(reader, target)
        finally:
            reader.close()
    else:
        copy_database(project.conn, target)
    if to is None and reason not in KEPT_REASONS:
        prune(project.path, settings(project).keep)
    return target


def prune(project_path: Path, keep: int) -> list[Path]:
    """Remove the oldest automatic backups in the folder beyond the newest ``keep`` (0: keep
    all), and copies left half-written an hour ago or more; returns the backups removed."""
    _remove_stale_partials(backup_folder(project_path))
    if keep <= 0:
        return []
    automatic = [b.path for b in backups(project_path) if b.automatic]
    removed = automatic[: max(0, len(automatic) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _remove_stale_partials(folder: Path) -> None:
    """Remove copies a crash cut short (one still being written is never an hour old)."""
    for partial in folder.glob(".*.partial") if folder.is_dir() else []:
        with contextlib.suppress(FileNotFoundError):
            if partial.stat().st_mtime < time.time() - STALE_PARTIAL_SECONDS:
                partial.unlink()


def settings(project: Project) -> Settings:
    """The project's backup settings (the defaults where none was set)."""
    stored = dict(project.conn.execute(
        "SELECT key, value FROM project_info WHERE key IN (?, ?)", [EVERY_KEY, KEEP_KEY]
    ).fetchall())
    return Settings(_number(stored.get(EVERY_KEY), DEFAULT_EVERY), _number(stored.get(KEEP_KEY), DEFAULT_KEEP))


def _number(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


def change_settings(project: Project, *, every_minutes: int | None = None, keep: int | None = None) -> Settings:
    """Store new backup settings (``None`` leaves one as it is); returns them. They are
    settings, not research content, so they are not in the change log."""
    for key, value in ((EVERY_KEY, every_minutes), (KEEP_KEY, keep)):
        if value is not None and value < 0:
            raise InputError(f"{key}: give 0 or more, not {value}")
    with project.transaction():
        for key, value in ((EVERY_KEY, every_minutes), (KEEP_KEY, keep)):
            if value is not None:
                project.conn.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)",
                                     [key, str(value)])
    project.backup_due = None  # recomputed at the next write
    return settings(project)


def backup_if_due(project: Project) -> Path | None:
    """Before a write: back up if the newest backup is older than the project's interval
    (or, with none yet, the project is). Cheap between due times: a clock read. A backup
    that fails (a full disk) does not stop the work; it is tried again after an interval."""
    if project.backup_due is not None and time.time() < project.backup_due:
        return None
    every = settings(project).every_minutes
    due = _newest_backup_time(project) + every * 60 if every else float("inf")
    if time.time() < due:
        project.backup_due = due
        return None
    project.backup_due = time.time() + every * 60
    try:
        return make_backup(project, "periodic")
    except (OSError, ProjectError) + errors("Error"):
        return None


def _newest_backup_time(project: Project) -> float:
    """When the newest backup in the folder was made, else when the project was created."""
    found = [b for b in backups(project.path) if _NAME.match(b.path.name)]
    at = found[-1].at if found else project.info().get("created_at")
    try:
        return datetime.fromisoformat(at or "").timestamp()
    except ValueError:
        return 0.0
