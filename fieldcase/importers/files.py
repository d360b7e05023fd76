"""Which files an import looks at, and reading one without being led astray.

A file or folder named by the user is taken as named, a symbolic link too (the user
chose it). Inside a folder, links are not followed unless asked (``follow_links``): a
link in a transcripts folder can point anywhere (``pw.txt -> /etc/passwd``), and each
one left alone is reported, never passed over in silence. A folder or file that cannot
be read is an error naming it; the rest of the batch goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fieldcase.errors import InputError
from fieldcase.importers.encoding import readable_name
from fieldcase.importers.formats import SUPPORTED, is_clutter, unreadable, unsupported_problem

MAX_FILE_BYTES = 64 * 1024 * 1024
_NOT_FOLLOWED = "not followed (fieldcase import --follow-links follows links in folders)"


@dataclass(frozen=True)
class Found:
    """A file an import looked at: to read (no problem), or why not and with what status;
    ``follow`` says whether a link in its place may be followed when it is read."""

    path: Path
    problem: str | None = None
    status: str = "error"
    follow: bool = True


def expand(paths: Iterable[str | Path], *, follow_links: bool = False) -> list[Found]:
    """Files to import: named files as they are, folders walked for every file in them.

    A named file that cannot be imported is an error. In a folder, a document fieldcase
    cannot read is ``unsupported`` (with what to do about it), any other file ``ignored``,
    a link not followed ``skipped``, and hidden or temporary files are left out.
    """
    found: list[Found] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found.extend(_walk(path, follow_links, set()))
        elif path.is_file():
            problem = None if path.suffix.lower() in SUPPORTED else unsupported_problem(path)
            found.append(Found(path, problem))
        elif path.is_symlink():
            found.append(Found(path, f"a broken symbolic link (to {_target(path)})"))
        elif path.exists():
            found.append(Found(path, "not a regular file"))
        else:
            found.append(Found(path, "no such file or folder"))
    return found


def _walk(folder: Path, follow_links: bool, seen: set[tuple[int, int]]) -> Iterator[Found]:
    """Every file under ``folder`` in name order, depth first (as sorted paths run)."""
    try:
        info = folder.stat()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        yield Found(folder, f"cannot read the folder ({err.strerror or err})")
        return
    seen = seen | {(info.st_dev, info.st_ino)}
    for entry in entries:
        if is_clutter(entry.name):
            continue
        path = Path(entry.path)
        link = entry.is_symlink()
        if link and not follow_links:
            yield Found(path, f"a symbolic link (to {_target(path)}); {_NOT_FOLLOWED}", "skipped")
        elif _is_dir(entry):
            yield from _subfolder(path, follow_links, seen)
        elif link and not path.exists():
            yield Found(path, f"a broken symbolic link (to {_target(path)})")
        else:
            yield _classify(path, regular=_is_file(entry), follow=follow_links)


def _subfolder(path: Path, follow_links: bool, seen: set[tuple[int, int]]) -> Iterator[Found]:
    try:
        info = path.stat()
    except OSError as err:
        yield Found(path, f"cannot read the folder ({err.strerror or err})")
        return
    if (info.st_dev, info.st_ino) in seen:  # a link back into a folder being read
        yield Found(path, f"a symbolic link (to {_target(path)}) back into a folder already read; "
                          "not followed", "skipped")
        return
    yield from _walk(path, follow_links, seen)


def _classify(path: Path, *, regular: bool, follow: bool) -> Found:
    if not regular:
        return Found(path, "not a regular file (a device, pipe or socket)", "ignored")
    if path.suffix.lower() in SUPPORTED:
        return Found(path, follow=follow)
    if advice := unreadable(path):
        return Found(path, advice, "unsupported")
    return Found(path, "not a text document; fieldcase reads " + ", ".join(SUPPORTED), "ignored")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _target(path: Path) -> str:
    try:
        return readable_name(os.readlink(path))
    except OSError:
        return "?"


def shown(path: Path) -> str:
    """A path as it is printed and stored: every part readable (see ``readable_name``)."""
    return str(Path(*(readable_name(part) for part in path.parts))) if path.parts else str(path)


def read_bytes(path: Path, *, follow: bool = True) -> bytes:
    """A file's bytes, refusing an empty or too large file or anything but a regular file;
    with ``follow`` false a link in its place (swapped in since the folder was read) is
    refused too. ``OSError`` is left to the caller."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size == 0:
            raise InputError("empty file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"too large ({info.st_size / 2**20:.0f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB);"
                " split it into parts"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"too large (it grew past {MAX_FILE_BYTES // 2**20} MiB while being read)")
    return data
