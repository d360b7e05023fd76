"""A hostile-input corpus for import, generated at test time (no binary blobs kept).

Each attack is a file name, its bytes and a fragment of the one error line it must give.
Run by hand to write the corpus into a folder and try it on the CLI:

    .venv/bin/python tests/hostile.py /tmp/attack && fieldcase import /tmp/attack -p /tmp/x.fieldcase
"""

from __future__ import annotations

import random
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD_TEXT = "访谈者：您是哪一年回村的？\nH：2012年。那时候杭州的生意不好做。\n"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def document_xml(body: str, prolog: str = "") -> bytes:
    """A ``word/document.xml`` with this body (and a prolog, say a DOCTYPE, before the root)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


GOOD_DOCUMENT = document_xml(paragraph("问：您好。") + paragraph("答：您好，请坐。"))


@dataclass
class Entry:
    """One zip entry as written, header fields free to lie: ``stored`` is the bytes in the
    archive, ``size`` and ``crc`` what the headers declare about the unpacked data."""

    name: str
    stored: bytes
    size: int
    crc: int
    method: int = 8
    flags: int = 0


def entry(name: str, data: bytes) -> Entry:
    """An honest deflated entry."""
    return Entry(name, deflate(data), len(data), zlib.crc32(data))


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zeros_stream(total: int, block: int = 1 << 20) -> bytes:
    """A raw deflate stream that inflates to ``total`` zero bytes, built from one
    compressed megabyte repeated (a full flush makes each copy stand alone), so making a
    2 GiB stream costs 2 MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    return piece * (total // block) + b"\x03\x00"  # an empty final block ends the stream


def craft_zip(entries: list[Entry]) -> bytes:
    """A zip archive written field by field, so that its headers say whatever we like."""
    out, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode()
        offset = len(out)
        fields = (20, e.flags, e.method, 0, 0x21, e.crc, len(e.stored), e.size, len(name))
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + name + e.stored
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + name
    count = min(len(entries), 0xFFFF)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


def docx(document: bytes = GOOD_DOCUMENT) -> bytes:
    return craft_zip([entry("[Content_Types].xml", CONTENT_TYPES), entry("word/document.xml", document)])


def _with_document(change: dict[str, int]) -> bytes:
    """A good .docx whose word/document.xml entry has some header fields changed."""
    document = entry("word/document.xml", GOOD_DOCUMENT)
    for key, value in change.items():
        setattr(document, key, value)
    return craft_zip([entry("[Content_Types].xml", CONTENT_TYPES), document])


def _bit_flips(seed: int) -> bytes:
    """A good .docx with bytes of word/document.xml's deflate data flipped."""
    body = GOOD_DOCUMENT.replace(b"</w:body>", (paragraph("更多的话。" * 40) * 20).encode() + b"</w:body>")
    document = entry("word/document.xml", body)
    rng = random.Random(seed)
    stored = bytearray(document.stored)
    for _ in range(3):
        stored[rng.randrange(2, len(stored) - 2)] ^= 1 << rng.randrange(8)
    document.stored = bytes(stored)
    return craft_zip([entry("[Content_Types].xml", CONTENT_TYPES), document])


def _lying_size() -> bytes:
    """word/document.xml's header says 1,000 bytes (with the CRC of 1,000 zeros, so a
    reader that trusts it sees nothing wrong) while its stream inflates to 2 GiB."""
    return craft_zip([Entry("word/document.xml", zeros_stream(2 << 30), 1000, zlib.crc32(bytes(1000)))])


_LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = document_xml(paragraph("&l9;"), f'<!DOCTYPE w:document [<!ENTITY l0 "ha">{_LAUGHS}]>')
XXE = document_xml(paragraph("&xxe;"), '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
TOO_DEEP = document_xml("<w:sdt><w:sdtContent>" * 2000 + paragraph("深") + "</w:sdtContent></w:sdt>" * 2000)


def hostile_docx() -> list[tuple[str, bytes, str]]:
    """Broken and hostile Word files: (name, bytes, a fragment of the error line)."""
    whole = docx()
    return [
        ("truncated.docx", whole[: len(whole) // 2], "not a valid .docx"),
        ("bitflip-1.docx", _bit_flips(1), "not a valid .docx"),
        ("bitflip-2.docx", _bit_flips(2), "not a valid .docx"),
        ("encrypted.docx", _with_document({"flags": 1}), "password-protected"),
        ("deflate64.docx", _with_document({"method": 9}), "method 9 (deflate64)"),
        ("bzip2.docx", _with_document({"method": 12}), "method 12 (bzip2)"),
        ("lzma.docx", _with_document({"method": 14}), "method 14 (LZMA)"),
        ("aes.docx", _with_document({"method": 99}), "method 99 (AES encryption)"),
        ("shrink.docx", _with_document({"method": 1}), "method 1 (shrink)"),
        ("bad-crc.docx", _with_document({"crc": 12345}), "Bad CRC-32"),
        ("lying-size.docx", _lying_size(), "unpacks to more than the 1,000 bytes its header declares"),
        ("bomb.docx", craft_zip([entry("word/document.xml", bytes(50_000_000))]), "zip bomb"),
        ("declares-2gb.docx", craft_zip([Entry("word/document.xml", zeros_stream(2 << 30), 2 << 30, 0)]),
         "would unpack to 2048 MiB"),
        ("no-document.docx", craft_zip([entry("hello.txt", b"hi")]), "no word/document.xml"),
        ("many-entries.docx", craft_zip([Entry(f"{i:x}", b"", 0, 0, method=0) for i in range(100_000)]),
         "the zip holds over 5,000 entries"),
        ("not-xml.docx", docx(b"\x00\x01 this is not XML"), "broken XML in word/document.xml"),
        ("unclosed.docx", docx(GOOD_DOCUMENT[:-30]), "broken XML in word/document.xml"),
        ("xxe.docx", docx(XXE), "declares a document type"),
        ("billion-laughs.docx", docx(BILLION_LAUGHS), "declares a document type"),
        ("too-deep.docx", docx(TOO_DEEP), "over 256 levels deep"),
        ("old-word.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old-format"),
        ("plain.docx", b"just some text, renamed", "not a zip archive"),
    ]


def hostile_text() -> list[tuple[str, bytes, str]]:
    """Files that are not text, or whose encoding lies: (name, bytes, error fragment)."""
    rng = random.Random(2024)
    attacks = [(f"random-{n}-{i}.txt", rng.randbytes(n), "not text") for n in range(1, 8) for i in range(3)]
    attacks = [a for a in attacks if a[1].strip()]  # bytes that are only spaces are "no text"
    attacks += [
        ("random-100.txt", random.Random(100).randbytes(100), "not text"),
        ("random-4096.txt", random.Random(4096).randbytes(4096), "binary file"),
        ("bom-lies.txt", b"\xef\xbb\xbf" + "访谈者：您好".encode("gbk") * 40, "byte-order mark says utf-8-sig"),
        ("utf16-odd.txt", b"\xff\xfe" + "访谈".encode("utf-16-le") + b"\x00", "byte-order mark says utf-16"),
        ("utf32-bad.txt", b"\xff\xfe\x00\x00" + b"\xff\xff\xff\xff" * 10, "byte-order mark says utf-32"),
        ("nul.txt", b"text\x00with\x00nuls" * 20, "binary"),
        ("controls.txt", bytes(range(1, 32)) * 20, "binary"),
    ]
    return attacks


def write_corpus(folder: Path) -> list[tuple[str, bytes, str]]:
    """Write every attack, and a good file named to sort after them, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    attacks = hostile_text() + hostile_docx()
    for name, data, _ in attacks:
        (folder / name).write_bytes(data)
    (folder / "zz-good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    return attacks


if __name__ == "__main__":
    written = write_corpus(Path(sys.argv[1]))
    print(f"{len(written)} hostile files and zz-good.txt written to {sys.argv[1]}")
