"""Files only their researcher can read: folders ``0700``, files ``0600``, whatever the umask.

Interview texts carry real names; on a shared machine a project, its log, its backups and
anything written beside it must not be readable by other accounts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` and each missing parent as a folder only its owner can enter; returns
    it. Folders that already exist are left as they are (they are the user's to set)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process
        os.chmod(folder, FOLDER_MODE)  # the umask may have taken owner bits away
    if not path.is_dir():
        path.mkdir()  # raises the error that says why (a file stands there)
    return path


def create_private(path: Path) -> int:
    """Create ``path`` exclusively, mode ``0600``; returns an open descriptor for writing."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # a umask such as 0o277 would otherwise leave it unwritable
    return descriptor


def touch_private(path: Path) -> Path:
    """Create ``path`` as an empty ``0600`` file (replacing a stale one), for a writer that
    then opens it by name and so keeps its mode; returns it."""
    path.unlink(missing_ok=True)
    os.close(create_private(path))
    return path


def make_private(path: Path) -> bool:
    """Take other accounts' access to ``path`` away if anyone on the machine may read or
    write it and it is ours (mode ``0600``); returns whether its mode changed.

    A file that only its group may read was shared that way on purpose (a team's folder)
    and is left alone; access for every account is what a umask of 022 gives by accident.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    owner = getattr(os, "getuid", lambda: info.st_uid)()  # Windows has no owner bits to tighten
    if not stat.S_ISREG(info.st_mode) or info.st_uid != owner or not info.st_mode & 0o007:
        return False
    os.chmod(path, FILE_MODE)
    return True
