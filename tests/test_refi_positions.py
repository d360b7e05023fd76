"""Producer positions onto fieldcase's text, against a plain reference: for texts built of
words, emoji, CJK Extension B, CRLF and decomposed accents, every span between pieces, counted
as NVivo, ATLAS.ti, QualCoder or the standard counts it, lands on exactly its words."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldcase.text.refi_positions import CODE_POINTS, CRLF_ONE, UTF16, UTF16_CRLF_ONE, PositionMap, counting_for

PIECES = ["land", " ", "土地", "😀", "𠀀", "\r\n", "e\u0301", "\n", "\u00e9", "合作社", "\t", "👩\u200d🌾"]


def producer_count(prefix: str, counting: str) -> int:
    """How far ``prefix`` reaches as the producer counts."""
    if counting == UTF16:
        return len(prefix.encode("utf-16-le")) // 2
    if counting == CRLF_ONE:
        return len(prefix.replace("\r\n", "\n"))
    if counting == UTF16_CRLF_ONE:  # Qt's QTextCursor over the text: a line end is one
        return len(prefix.replace("\r\n", "\n").encode("utf-16-le")) // 2
    return len(prefix)


def fieldcase_words(words: str) -> str:
    return unicodedata.normalize("NFC", words.replace("\r\n", "\n"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.data(),
       st.sampled_from([UTF16, CRLF_ONE, UTF16_CRLF_ONE, CODE_POINTS]), st.booleans())
def test_every_span_between_pieces_lands_on_its_words(pieces, data, counting, bom) -> None:
    pieces = [*pieces, "end"]  # the text ends in a word: trailing blank space is not stored
    raw = ("\ufeff" if bom else "") + "".join(pieces)
    cuts = [0]
    for piece in pieces:
        cuts.append(cuts[-1] + len(piece))
    first = data.draw(st.integers(0, len(pieces)))
    last = data.draw(st.integers(first, len(pieces)))
    body = raw.removeprefix("\ufeff")
    start, end = cuts[first], cuts[last]
    mapping = PositionMap(raw, counting)
    a, b = mapping.span(producer_count(body[:start], counting), producer_count(body[:end], counting))
    assert mapping.text[a:b] == fieldcase_words(body[start:end])


def test_the_producer_is_told_by_origin() -> None:
    assert counting_for("NVivo for Mac 12.7.0") == UTF16
    assert counting_for("ATLAS.ti 8.4.0 573 , macOS") == CRLF_ONE
    assert counting_for("MAXQDA 24") == counting_for(None) == CODE_POINTS
    assert counting_for("QualCoder 3.6") == counting_for("Qualcoder-1.4") == UTF16_CRLF_ONE


def test_positions_past_the_text_are_clamped() -> None:
    mapping = PositionMap("abc  \r\n", CODE_POINTS)
    assert mapping.text == "abc" and mapping.span(1, 99) == (1, 3) and mapping(-5) == 0


def test_every_export_target_is_read_back_as_it_counts() -> None:
    """The producer table and the export targets agree: the ``origin`` an export writes for a
    target is read back with that target's way of counting."""
    from fieldcase.text.refi_targets import TARGETS

    for t in TARGETS.values():
        expected = (UTF16 if t.crlf else UTF16_CRLF_ONE) if t.utf16 else CRLF_ONE if t.crlf else CODE_POINTS
        assert counting_for(f"fieldcase 0.1.0; positions for {t.producer}") == expected, t.name


def test_maxqda_counts_a_character_above_the_bmp_as_one() -> None:
    from fieldcase.text.refi_targets import target

    raw = "a😀b𠀀c\r\nd"
    positions = PositionMap(raw, counting_for("MAXQDA 2022 (Release 22.2.0)"))
    # code points: b at 2, c at 4, d at 7 (the CRLF is the two characters the .txt holds)
    assert [positions.text[positions(p)] for p in (0, 1, 2, 3, 4, 7)] == ["a", "😀", "b", "𠀀", "c", "d"]
    stored = positions.text  # "a😀b𠀀c\nd"
    count = target("maxqda").counter(stored)
    assert [count(stored.index(c)) for c in "b𠀀cd"] == [2, 3, 4, 6]  # written as MAXQDA reads: LF text
    assert target("maxqda").file_text(stored) == stored


def test_qualcoder_counts_as_its_qt_editor_does() -> None:
    """QualCoder stores QPlainTextEdit's selectionStart/End and exports them as is. Measured
    with PyQt6 6.11 (Qt 6.11) over "Hi 😀 there\\n𠀀 is CJK-B\\nlast 😀𠀀 words\\n": "there" 6..11,
    "is CJK-B" 15..23, "words" 34..39; over "Hi 😀 there\\r\\nnext": "next" 12..16 (the CRLF one)."""
    lf = PositionMap("Hi 😀 there\n𠀀 is CJK-B\nlast 😀𠀀 words\n", counting_for("QualCoder 3.6"))
    assert [lf.text[slice(*lf.span(a, b))] for a, b in [(6, 11), (15, 23), (34, 39)]] == ["there", "is CJK-B", "words"]
    crlf = PositionMap("Hi 😀 there\r\nnext ü line\r\n", counting_for("QualCoder 3.6"))
    assert [crlf.text[slice(*crlf.span(a, b))] for a, b in [(6, 11), (12, 16), (19, 23)]] == ["there", "next", "line"]
