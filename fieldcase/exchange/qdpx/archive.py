"""Opening a ``.qdpx`` (or a bare ``.qde``) so that no archive can fool or exhaust an import.

The zip is read in memory, never unpacked to disk: its entries are counted before zipfile
lists them, each is refused if encrypted, too large or a bomb, and read in bounded chunks
(:mod:`fieldcase.importers.docx_zip`). An entry whose name leaves the archive (``..``, an
absolute path) refuses the whole file, as does a reference that would. The project XML is
any single ``*.qde``; source texts are found by ``internal://``, ``relative://`` or a bare
relative path, under ``Sources/`` or ``sources/`` in any letter case.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fieldcase.errors import InputError
from fieldcase.importers.docx_zip import PartReader, check_entry, zip_errors

WHAT = ".qdpx"
MAX_BYTES = 2 << 30  # the archive itself
MAX_ENTRIES = 50_000  # a 20,000-source project holds 40,000 (a text and its original each)
MAX_QDE = 1 << 30  # the project XML unpacked
MAX_TEXT = 256 << 20  # one source's text unpacked
MAX_TOTAL = 4 << 30  # all that one import unpacks
_DIRECTORY_ENTRY = b"PK\x01\x02"
_ABSOLUTE = re.compile(r"^(/|[A-Za-z]:|\\\\)")


@dataclass
class Package:
    """The project XML of a ``.qdpx`` and a way to read the other entries it names."""

    path: Path
    qde: bytes
    archive: zipfile.ZipFile | None = None
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # by lower-case name
    unpacked: int = 0
    base: str = ""  # the folder holding the .qde, when a tool zipped the project's folder

    def read(self, reference: str) -> bytes | None:
        """The bytes of the entry ``reference`` names (``internal://…``, ``relative://…`` or
        a relative path), or None when the archive holds none; refuses one that leaves it."""
        info = self.entries.get(self.resolve(reference) or "")
        if info is None or self.archive is None:
            return None
        return self._unpack(info, MAX_TEXT)

    def resolve(self, reference: str) -> str | None:
        """The lower-case entry name a reference points to, if the archive has it (None for a
        path on the producer's disk, ``file://``, ``C:\\…``, which is not in the archive)."""
        ref = reference.strip().replace("\\", "/")
        for scheme in ("internal://", "relative://"):
            if ref.lower().startswith(scheme):
                ref = ref[len(scheme):].lstrip("/")
                break
        else:
            if "://" in ref or _ABSOLUTE.match(ref):
                return None
        candidates = [f"sources/{ref}", ref]
        if self.base:
            candidates += [f"{self.base}/sources/{ref}", f"{self.base}/{ref}"]
        for candidate in candidates:
            name: str = posixpath.normpath(candidate)
            if name == ".." or name.startswith("../"):
                raise InputError(f"refused: the reference {reference!r} points outside the archive")
            if name.lower() in self.entries:
                return name.lower()
        return None

    def _unpack(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """One entry, read in bounded chunks, counted against what the import may unpack."""
        assert self.archive is not None
        check_entry(info, WHAT, limit)
        if self.unpacked + info.file_size > MAX_TOTAL:
            raise InputError(f"refused: the archive unpacks to more than {MAX_TOTAL >> 30} GiB")
        self.unpacked += info.file_size
        with zip_errors(info.filename, WHAT):
            stream = self.archive.open(info)
        reader = PartReader(stream, info, WHAT)
        chunks = []
        while chunk := reader.read():
            chunks.append(chunk)
        return b"".join(chunks)


def open_package(path: str | Path) -> Package:
    """A ``.qdpx`` (by content, whatever its name) or a bare ``.qde``; every problem is one
    :class:`InputError` without the file's name (the caller adds it)."""
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"too large ({size >> 20} MiB; the limit is {MAX_BYTES >> 20} MiB)")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror or err})") from err
    if not data.startswith(b"PK"):
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return Package(path, data)  # a project XML on its own: no source files
        raise InputError("not a REFI-QDA project (neither a .qdpx zip nor a .qde XML file)")
    if data.count(_DIRECTORY_ENTRY) > MAX_ENTRIES:
        raise InputError(f"refused: the archive holds over {MAX_ENTRIES:,} entries")
    with zip_errors("the zip directory", WHAT):
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"refused: the archive holds {len(infos):,} entries (at most {MAX_ENTRIES:,})")
    qde = _the_qde(infos)
    package = Package(path, b"", archive, _entries(infos), base=posixpath.dirname(qde.filename).lower())
    package.qde = package._unpack(qde, MAX_QDE)
    return package


def is_project_archive(path: Path) -> bool:
    """Whether ``path`` is a zip holding a ``*.qde`` (a ``.qdpx`` under another name, such as
    the ``.zip`` MAXQDA users send); False for anything that is not, or cannot be read."""
    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".qde") for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _entries(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by lower-case name; refuses a name that leaves the archive."""
    found = {}
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if _ABSOLUTE.match(info.filename) or ".." in parts:
            raise InputError(f"refused: the entry {info.filename!r} points outside the archive")
        if not info.is_dir():
            found[posixpath.normpath(name).lower()] = info
    return found


def _the_qde(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The one ``*.qde`` entry (``project.qde``, or named after the project as ATLAS.ti does)."""
    qdes = [i for i in infos if i.filename.lower().endswith(".qde") and not i.is_dir()]
    if not qdes:
        raise InputError("not a REFI-QDA project: the archive holds no .qde file")
    if len(qdes) > 1:
        top = [i for i in qdes if "/" not in i.filename.strip("/")]
        if len(top) != 1:
            names = ", ".join(i.filename for i in qdes[:3])
            raise InputError(f"the archive holds {len(qdes)} .qde files ({names}); expected one")
        return top[0]
    return qdes[0]
