"""PositionMap.many (one source's positions at once) gives what each position alone gives."""

from __future__ import annotations

import random

import pytest

from fieldcase.text.refi_positions import CODE_POINTS, COUNTINGS, CRLF_ONE, UTF16, PositionMap

PIECES = ["a", "b", " ", "\r\n", "\n", "\r", "😀", "𠀋", "e\u0301", "\u2028", "é", "字"]


@pytest.mark.parametrize("counting", COUNTINGS)
def test_many_is_each_alone_over_generated_texts(counting: str) -> None:
    rng = random.Random(17)
    for _ in range(400):
        raw = ("\ufeff" if rng.random() < 0.2 else "") + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        positions = [rng.randint(-3, 70) for _ in range(30)]
        mapped = PositionMap(raw, counting)
        assert mapped.many(positions) == [mapped(p) for p in positions], (raw, positions)


def test_many_places_the_words_after_an_emoji_and_a_crlf() -> None:
    raw = "ab😀\r\ncd"
    nvivo = PositionMap(raw, UTF16)  # units: a b (2) \r \n c d -> "cd" at 6..8
    start, end = nvivo.many([6, 8])
    assert nvivo.text[start:end] == "cd"
    atlas = PositionMap(raw, CRLF_ONE)  # code points, CRLF once: "cd" at 4..6
    start, end = atlas.many([4, 6])
    assert atlas.text[start:end] == "cd"
    standard = PositionMap(raw, CODE_POINTS)  # code points, CRLF twice: "cd" at 5..7
    assert [standard.text[a:b] for a, b in [tuple(standard.many([5, 7]))]] == ["cd"]


def test_many_clamps_to_the_text_before_any_shift() -> None:
    mapped = PositionMap("plain words", UTF16)
    assert mapped.many([-5, 0, 3, 11, 99]) == [0, 0, 3, 11, 11]
