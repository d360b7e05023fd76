"""Backups of a project file: where they live and what they are called.

A project ``study.fieldcase`` keeps its backups in ``study.fieldcase-backups/`` beside it
(a ``0700`` folder), each a complete SQLite copy made with the online backup API, named
``study.TIMESTAMP.REASON.fieldcase`` so that a listing sorts oldest first.
"""

from __future__ import annotations

import re
from pathlib import Path

from typing import TYPE_CHECKING

from fieldcase.store.changes import now

if TYPE_CHECKING:
    from fieldcase.store.project import Project

_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}(?:-\d+)?)\.(?P<reason>[a-z0-9-]+)\.fieldcase$")


def backup_folder(project_path: Path) -> Path:
    """The folder holding ``project_path``'s backups (it may not exist yet)."""
    return project_path.with_name(f"{project_path.name}-backups")


def backup_path(project_path: Path, reason: str) -> Path:
    """A new, unused backup file name for ``project_path`` made now for ``reason``."""
    stamp = re.sub(r"[^0-9]", "", now())[:14]
    stamp = f"{stamp[:8]}T{stamp[8:]}"
    folder = backup_folder(project_path)
    path = folder / f"{project_path.stem}.{stamp}.{reason}.fieldcase"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{project_path.stem}.{stamp}-{number}.{reason}.fieldcase"
    return path


def list_backups(project_path: Path) -> list[Path]:
    """Every backup of ``project_path``, oldest first: those in its backup folder and the
    ``NAME.vN.bak`` copies that migrations wrote beside it before backups had a folder."""
    folder = backup_folder(project_path)
    found = [p for p in folder.glob("*.fieldcase") if _NAME.match(p.name)] if folder.is_dir() else []
    found.sort(key=lambda p: _NAME.match(p.name)["stamp"])  # type: ignore[index]
    legacy = sorted(project_path.parent.glob(f"{glob_escape(project_path.name)}.v*.bak"))
    return legacy + found


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def make_backup(project: Project, reason: str) -> Path:
    """Copy the project, as committed now, into its backup folder (readable by its owner
    only); returns the copy's path."""
    import os

    from fieldcase.store.db import backup
    from fieldcase.store.private import create_private, private_folder

    private_folder(backup_folder(project.path))
    target = backup_path(project.path, reason)
    os.close(create_private(target))  # an empty file is an empty database: SQLite fills it
    backup(project.conn, target)
    return target
