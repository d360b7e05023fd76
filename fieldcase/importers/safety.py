"""A backup before an import of many files, taken by the CLI and the workspace alike: a
folder or a long list can bring hundreds of sources in, and one step back should undo it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldcase.store.project import Project

MANY_FILES = 10  # an import of this many named files, or of any folder, is backed up first


def is_batch(paths: Sequence[str | Path]) -> bool:
    """Whether importing ``paths`` is big enough to back the project up first."""
    return len(paths) >= MANY_FILES or any(Path(p).expanduser().is_dir() for p in paths)


def backup_before_import(project: Project, paths: Sequence[str | Path]) -> Path | None:
    """Back ``project`` up (reason ``import``) if importing ``paths`` is a batch; returns the
    backup's path, or None when none was needed."""
    if not is_batch(paths):
        return None
    from fieldcase.store.backups import make_backup

    return make_backup(project, "import")
