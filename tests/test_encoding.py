"""Reading text in the encodings village laptops save: detection and clear refusals."""

from __future__ import annotations

import codecs

import pytest

from fieldcase.errors import InputError
from fieldcase.importers.encoding import decode

ZH = "访谈者：您是哪一年回村的？\nH：2012年。那时候杭州的生意不好做，父母年纪也大了，我就回来搞土地流转。"
ZH_SHORT = "返乡"
ZH_TRAD = "竹編產業在夏木村復興了，很多年輕人回來做直播，村民都很高興。"
EN = "Interviewer: Why did you come back?\nLi Ling: The city was expensive."


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        (ZH, ZH.encode("utf-8"), "utf-8"),
        (ZH, codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig"),
        (ZH, ZH.encode("utf-16"), "utf-16"),
        (ZH, codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "utf-16"),
        (ZH, ZH.encode("utf-16-le"), "utf-16-le"),
        (ZH, ZH.encode("gb18030"), "gb18030"),
        (ZH, ZH.encode("gbk"), "gb18030"),
        (ZH_SHORT, ZH_SHORT.encode("gb18030"), "gb18030"),
        (ZH_TRAD, ZH_TRAD.encode("big5"), "big5"),
        (EN, EN.encode("ascii"), "utf-8"),
        ("café naïve, Müller über Straße", "café naïve, Müller über Straße".encode("cp1252"), "cp1252"),
        ("𠀀 rare: 𪚥", "𠀀 rare: 𪚥".encode("gb18030"), "gb18030"),
    ],
)
def test_detects_encoding(text, data, expected):
    decoded = decode(data)
    assert decoded.encoding == expected
    assert decoded.text.removeprefix("\ufeff") == text


def test_declared_encoding_overrides_detection():
    data = ZH_TRAD.encode("big5")
    assert decode(data, "big5").encoding == "big5"
    assert decode(ZH.encode("gb18030"), "GBK").text == ZH


def test_wrong_declared_encoding_names_the_byte():
    with pytest.raises(InputError, match=r"--encoding says utf-8, but byte 0 \(b7\)"):
        decode(ZH.encode("gb18030"), "utf-8")


def test_unknown_declared_encoding():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"abc", "klingon")


def test_bom_that_lies_is_refused():
    with pytest.raises(InputError, match="byte-order mark says utf-8-sig"):
        decode(codecs.BOM_UTF8 + ZH.encode("gb18030"))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="binary file"):
        decode(data)
