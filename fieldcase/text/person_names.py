"""Finding words that look like a Chinese person's name written in pinyin (Wei Gang, Zhang
Xiaojun, Ouyang Fei): a surname of one syllable (or a two-syllable one) and a given name of
one or two, each word capitalised and made only of pinyin syllables. Used to warn that a
name no one listed stands in an export; it finds candidates, not certainties."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = ("(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue"
          "|er|a|o|e|i|u|v)")
_SYLLABLE = _INITIAL + _FINAL
_ONE = re.compile(f"(?:{_SYLLABLE})", re.IGNORECASE)
_WORDS = re.compile(r"(?<![A-Za-z'’-])([A-Z][a-z]{0,11}) ([A-Z][a-z]{1,11})(?![A-Za-z])")
# English words a capitalised pinyin-shaped pair may start with (a sentence's first word)
_NOT_SURNAMES = frozenset({"he", "she", "me", "we", "be", "a", "an", "in", "on", "no", "so", "to", "go", "do",
                           "i", "yuan", "come", "same", "ten", "one", "line", "die", "lie", "tie", "can", "man",
                           "men", "ban", "fan", "pan", "van", "sue", "mao"})


def syllables(word: str) -> int:
    """How many pinyin syllables ``word`` is made of (0: not pinyin), read greedily with
    backtracking so that ``xian`` is one and ``xiaojun`` two."""
    word = word.lower()

    def split(at: int) -> int:
        if at == len(word):
            return 0
        best = -1
        for end in range(min(len(word), at + 6), at, -1):
            if _ONE.fullmatch(word, at, end):
                rest = split(end)
                if rest >= 0 and (best < 0 or rest + 1 < best):
                    best = rest + 1
        return best

    found = split(0)
    return max(found, 0)


def pinyin_names(texts: Iterable[str]) -> Counter[str]:
    """Each two-word pinyin personal name found in ``texts``, with how often it stands."""
    found: Counter[str] = Counter()
    for text in texts:
        for match in _WORDS.finditer(text):
            surname, given = match.group(1), match.group(2)
            if surname.lower() in _NOT_SURNAMES:
                continue
            if 1 <= syllables(surname) <= 2 and 1 <= syllables(given) <= 2:
                found[f"{surname} {given}"] += 1
    return found
