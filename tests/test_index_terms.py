"""The search index's terms stay exactly what the scheme says, whatever the script.

The oracle below is the scheme written out plainly (grams.py's docstring): each run of
letters and digits becomes its overlapping pairs plus its last character alone, each
character as four base-36 digits. The digest pins the terms of a varied corpus as the
pre-vectorised code produced them, so that a faster term generator cannot drift.
"""

from __future__ import annotations

import hashlib
import random
import re

from fieldcase.text.fold import fold_case
from fieldcase.text.grams import RUN, index_terms, match_expression

_POOL = (
    "返乡村民土地流转合作社新乡贤宅基地電商直播竹編民宿養老鄉賢"  # Simplified and Traditional
    "\U00020000\U0002a6d6\U0002b740\U00020bb7𠮷"  # CJK Extension B and beyond (astral)
    "ＡＢＣａｂｃ０１２９ｚＺ"  # full-width letters and digits
    "😀👩‍👩‍👧🇨🇳✨"  # emoji, a ZWJ sequence, a flag
    "abcXYZ019_-'’ "  # English, underscore, hyphen, apostrophes
    "ΣσςΟΔΥΣΣΕΥΣ"  # Greek with final sigma
    "İıßẞǅﬁ"  # case changes that alter length
    "²³½Ⅻⅷ٣३"  # superscripts, fractions, Roman numerals, other digits
    "가나다ไทยعربي"  # Hangul, Thai, Arabic
    "\u0301\u200b\u3000\t\n。，！？、：；“”（）|"  # combining mark, zero-width, punctuation, a bar
)


def oracle(folded: str) -> str:
    def code(ch: str) -> str:
        n, digits = ord(ch), ""
        for _ in range(4):
            n, d = divmod(n, 36)
            digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
        return digits

    terms = []
    for run in re.findall(r"[^\W_]+", folded):
        codes = [code(c) for c in run]
        terms += [a + b for a, b in zip(codes, codes[1:])] + [codes[-1]]
    return " ".join(terms)


def corpus() -> list[str]:
    rng = random.Random(14)
    texts = ["", " ", "。", "a", "字", "__", "😀", "\U00020000", "ab", "a b", "|a|", "Ａ１"]
    for _ in range(400):
        texts.append("".join(rng.choices(_POOL, k=rng.randint(0, 120))))
    return texts


def test_terms_match_the_scheme_for_a_varied_corpus():
    for text in corpus():
        folded = fold_case(text)
        assert index_terms(folded) == oracle(folded), text


def test_terms_match_the_scheme_for_every_character():
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    in_order = "".join(chars)
    random.Random(3).shuffle(chars)
    for text in (in_order, "".join(chars)):
        for start in range(0, len(text), 50_000):
            piece = text[start : start + 50_000]
            assert index_terms(piece) == oracle(piece)


def test_terms_are_as_before():
    joined = "\x00".join(index_terms(fold_case(t)) for t in corpus())
    assert len(joined) == 138_904
    assert hashlib.sha256(joined.encode()).hexdigest() == "c69a6a53cf01d475615aec923df312496f19dddd45e1444657873310532cf87d"


def test_query_expressions_use_the_same_terms():
    assert match_expression("返乡") == ('"' + oracle("返乡").split()[0] + '"', True)
    assert match_expression("a_b") == ('"' + oracle("a").split()[0] + '"* AND "' + oracle("b").split()[0] + '"*', False)
    assert RUN.pattern == r"[^\W_]+"
