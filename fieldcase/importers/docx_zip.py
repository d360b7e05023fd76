"""The parts of a Word zip, read so that no zip can crash, fool or exhaust an import.

Every way an archive can be damaged or hostile (bit flips, truncation, encryption, a
compression Word never writes, a bomb, an entry that lies about its size) becomes one
``InputError``. A part is streamed in bounded chunks and never unpacked past the size its
header declares, so an entry whose header says 1 KB while its stream inflates to 2 GB is
refused after about 1 KB, and memory stays flat whatever the zip holds.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from fieldcase.errors import InputError

MAX_ENTRIES = 5_000
MAX_PART = 1 << 30  # a part larger than this is refused (a 64 MiB .docx unpacks to far less)
MAX_RATIO = 200  # a part over BOMB_FLOOR that unpacks more than this many times larger is a bomb
BOMB_FLOOR = 1_000_000
CHUNK = 1 << 16
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIRECTORY_ENTRY = b"PK\x01\x02"
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all that Word and LibreOffice write
_METHODS = {1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard",
            95: "xz", 98: "PPMd", 99: "AES encryption"}


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive of a Word file; refuses an old .doc, a file that is no zip, or too many entries."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            "an old-format (.doc) or password-protected Word file; save it as .docx without a password"
        )
    # Each entry of the directory starts with this signature, so counting it bounds the
    # entries before zipfile spends seconds and memory listing a million of them.
    if data.count(_DIRECTORY_ENTRY) > MAX_ENTRIES:
        raise InputError(f"not a valid .docx (the zip holds over {MAX_ENTRIES:,} entries)")
    with zip_errors("the zip directory"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise InputError("not a valid .docx (not a zip archive; truncated or renamed?)")
        archive = zipfile.ZipFile(io.BytesIO(data))
    if len(archive.infolist()) > MAX_ENTRIES:
        raise InputError(f"not a valid .docx (the zip holds {len(archive.infolist())} entries)")
    return archive


@contextmanager
def zip_errors(where: str, what: str = ".docx") -> Iterator[None]:
    """Say in one line what zipfile and zlib raise on a damaged or unreadable archive
    (``what``: the kind of file, as the message names it)."""
    try:
        yield
    except zipfile.BadZipFile as err:
        raise InputError(f"not a valid {what} (broken zip in {where}: {err})") from err
    except zlib.error as err:
        raise InputError(f"not a valid {what} (damaged compressed data in {where}: {err})") from err
    except (RuntimeError, NotImplementedError) as err:  # encrypted entries, unknown compression
        raise InputError(f"cannot unpack {where} ({err})") from err
    except (EOFError, OSError, ValueError, struct.error) as err:  # truncated, or names not UTF-8
        raise InputError(f"not a valid {what} (broken zip in {where}: {type(err).__name__}: {err})") from err


def open_part(archive: zipfile.ZipFile, name: str) -> PartReader | None:
    """A bounded reader of one part, or None when the zip has no such entry."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    check_entry(info)
    # Opened as if as large as allowed, so that a stream running on past its header's size
    # is seen and refused (by PartReader) rather than silently cut short.
    probe = copy.copy(info)
    probe.file_size = MAX_PART + 1
    with zip_errors(name):
        return PartReader(archive.open(probe), info)


def check_entry(info: zipfile.ZipInfo, what: str = ".docx", max_part: int = MAX_PART) -> None:
    """Refuse, before unpacking anything, an entry that is encrypted, compressed in a way
    Word never uses, too large, or far larger unpacked than stored (a zip bomb)."""
    name = info.filename
    if info.flag_bits & 0x41:
        raise InputError(f"password-protected: {name} is encrypted; save the file without a password")
    if info.compress_type not in _READABLE:
        method = _METHODS.get(info.compress_type, "unknown")
        raise InputError(
            f"not a valid {what} ({name} uses zip compression method {info.compress_type} ({method}), "
            f"which no {what} writer uses)"
        )
    if info.file_size > max_part:
        raise InputError(f"refused: {name} would unpack to {info.file_size // 2**20} MiB "
                         f"(the limit is {max_part // 2**20} MiB)")
    if info.file_size > BOMB_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise InputError(f"refused: zip entry {name!r} would unpack {MAX_RATIO}x larger than it is "
                         "stored (a zip bomb?)")


class PartReader:
    """Reads a zip entry in chunks of at most ``CHUNK`` bytes, refusing it the moment it
    yields more than its header declares, or ends short of it."""

    def __init__(self, stream: IO[bytes], info: zipfile.ZipInfo, what: str = ".docx") -> None:
        self.stream = stream
        self.what = what
        self.name = info.filename
        self.declared = info.file_size
        self.seen = 0

    def read(self, size: int = CHUNK) -> bytes:
        """Up to ``size`` (at most ``CHUNK``) bytes; ``b""`` at the end."""
        with zip_errors(self.name, self.what):
            data = self.stream.read(min(size, CHUNK) if size > 0 else CHUNK)
        self.seen += len(data)
        if self.seen > self.declared:
            raise InputError(
                f"refused: zip entry {self.name!r} unpacks to more than the {self.declared:,} bytes its "
                "header declares (a zip bomb?)"
            )
        if not data and self.seen < self.declared:
            raise InputError(f"not a valid {self.what} ({self.name} ends after {self.seen:,} of its "
                             f"{self.declared:,} bytes; truncated?)")
        return data
