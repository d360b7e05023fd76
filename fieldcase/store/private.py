"""Files only their researcher can read: folders ``0700``, files ``0600``, whatever the umask.

Interview texts carry real names; on a shared machine a project, its log, its backups and
anything written beside it must not be readable by other accounts.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a folder only its owner can enter; returns it."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path


def create_private(path: Path) -> int:
    """Create ``path`` exclusively, mode ``0600``; returns an open descriptor for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
