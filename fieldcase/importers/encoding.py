"""Decoding text files in whatever encoding a village laptop saved them.

Order of trust: an explicit ``--encoding``; a byte-order mark; strict UTF-8;
GB18030 or Big5 when the bytes decode cleanly (short Chinese texts are where
statistical detectors fail, so these come first, told apart by how common the
decoded characters are); then charset-normalizer for everything else. A file of
fewer than ``SHORT`` bytes gives too little evidence for guessing, so it must read
cleanly as text (see ``short_text``); random bytes then rarely pass.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from fieldcase.errors import InputError
from fieldcase.importers.short_text import SHORT, check_short, han_only, looks_chinese, looks_western
from fieldcase.text.english import count

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that do not belong in text (tab, newlines, form feed, escape do).
_BAD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")
# Surrogate escapes of the bytes of a file name that are not UTF-8.
_UNDECODED = re.compile(r"[\udc80-\udcff]")
# Real Chinese text is nearly all level-1 characters; mis-decoded bytes are not.
_PLAUSIBLE_CHINESE = 0.6


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode file bytes; raises ``InputError`` with a one-line reason."""
    decoded = _decode(data, declared)
    if len(data) < SHORT:
        check_short(decoded.text, len(data))
    return decoded


def _decode(data: bytes, declared: str | None) -> Decoded:
    if declared:
        return _decode_declared(data, declared)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, name, "the byte-order mark says"), name)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("a binary file, not text (it contains NUL bytes)")
        return utf16
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    readings = [r for r in (_try(data, "gb18030"), _try(data, "big5")) if r is not None]
    scored = sorted(((_commonness(*r), r) for r in readings), reverse=True)
    if len(data) < SHORT:  # a statistical guess on a few bytes is a coin flip
        return _short(data, scored[0][1] if scored else None)
    if scored and scored[0][0] >= _PLAUSIBLE_CHINESE:
        return _checked(*scored[0][1])
    try:
        return _detect(data)
    except InputError:
        if scored:
            return _checked(*scored[0][1])
        raise


def _decode_declared(data: bytes, declared: str) -> Decoded:
    try:
        name = codecs.lookup(declared).name
    except LookupError as err:
        raise InputError(f"unknown encoding {declared!r}") from err
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    return _checked(_strict(data, name, "--encoding says"), name)


def _strict(data: bytes, name: str, why: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as err:
        at = err.start + len(data) - len(err.object)  # utf-8-sig reports past its BOM
        raise InputError(
            f"{why} {name}, but byte {at} ({data[at:at + 1].hex()}) is not valid {name}"
        ) from err


def _try(data: bytes, name: str) -> tuple[str, str] | None:
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        return None


def _commonness(text: str, name: str) -> float:
    """Share of Han characters that are level-1 (common) characters of ``name``.

    Big5 bytes read as GB18030 (or the reverse) decode to rare characters,
    while the right reading gives common ones.
    """
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"][:5000]
    if not han:
        return 1.0 if name == "gb18030" else 0.0
    common = 0
    for ch in han:
        try:
            raw = ch.encode("gb2312" if name == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue  # not in the encoding's common set at all
        if name == "gb18030":
            common += 0xB0 <= raw[0] <= 0xD7
        else:
            common += 0xA440 <= int.from_bytes(raw[:2], "big") <= 0xC67E
    # A small edge to GB18030: the likelier encoding for mainland fieldwork.
    return common / len(han) + (0.02 if name == "gb18030" else 0.0)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 with no BOM: the reading (LE or BE) that gives ordinary text, if either does
    (ASCII bytes with stray NULs read as UTF-16 give rare Han characters, which is not)."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        plausible = max(_commonness(text, "gb18030"), _commonness(text, "big5")) >= _PLAUSIBLE_CHINESE
        score = _ordinary_share(text) if plausible else 0.0
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None or best[0] < 0.95:
        return None
    return _checked(best[1], best[2])


def _ordinary_share(text: str) -> float:
    """Share of characters usual in Chinese or Western text (binary read as UTF-16 is not)."""
    sample = text[:20_000]
    usual = sum(
        1
        for ch in sample
        if (" " <= ch <= "~")
        or ch in "\t\n\r"
        or "\u00a0" <= ch <= "\u024f"
        or "\u2000" <= ch <= "\u206f"
        or "\u3000" <= ch <= "\u303f"
        or "\u4e00" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
    )
    return usual / max(len(sample), 1)


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError("cannot tell the text encoding; name it with --encoding")
    best = matches[0]
    # Equally plausible readings are common for Latin text; Windows-1252 is the usual one.
    for match in matches:
        if match.encoding == "cp1252" and abs(match.chaos - best.chaos) < 0.01:
            best = match
    text = str(best)
    name = codecs.lookup(best.encoding).name
    if name != "cp1252" and _try(data, "cp1252") == (text, "cp1252"):
        name = "cp1252"
    return _checked(text, name)


def _checked(text: str, encoding: str) -> Decoded:
    """Refuse decoded text that is full of control characters: a binary file."""
    sample = text[:100_000]
    bad = len(_BAD_CHARS.findall(sample))
    if sample and bad > max(2, len(sample) // 100):
        raise InputError("a binary file, not text (it is full of control characters)")
    return Decoded(text, encoding)


def _short(data: bytes, chinese: tuple[str, str] | None) -> Decoded:
    """A short file that is not UTF-8: Chinese if its best Chinese reading looks it (every
    character common), else Windows-1252 if that reads as Western text, else refused."""
    if chinese is not None and _commonness(han_only(chinese[0]), chinese[1]) >= 1.0 and looks_chinese(chinese[0]):
        return Decoded(*chinese)
    western = _try(data, "cp1252")
    if western is not None and looks_western(western[0]):
        return Decoded(*western)
    raise InputError(
        f"not text (too short to guess an encoding: {count(len(data), 'byte')} that read as neither UTF-8 "
        "nor Chinese nor Western text; if it is text, name its encoding with --encoding)"
    )


def readable_name(name: str) -> str:
    """A file or folder name as text that can be stored, and printed on one line.

    A name whose bytes are not UTF-8 (GBK names from a Chinese Windows zip unpacked on
    Linux come as surrogate escapes) is read as GB18030 or Big5 when that gives common
    characters; otherwise each undecodable byte shows as U+FFFD. A line break becomes its
    sign ``␊``; other control characters stay, as in any title (what prints them shows
    them as signs).
    """
    if _UNDECODED.search(name):
        raw = os.fsencode(name)
        readings = [r for r in (_try(raw, "gb18030"), _try(raw, "big5")) if r is not None]
        scored = sorted(((_commonness(*r), r[0]) for r in readings), reverse=True)
        name = scored[0][1] if scored and scored[0][0] >= _PLAUSIBLE_CHINESE else raw.decode("utf-8", "replace")
    return name.replace("\n", "\u240a")
