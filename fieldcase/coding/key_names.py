"""Finding a person's name spelt inside a code key made from words: an in-vivo code named
我是张三 has the key ``…woshizhangsan``, which must not carry the name into an export."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from fieldcase.coding.keys import has_han, to_ascii

# A name's joined spelling this long is looked for anywhere in a key's word (``woshizhangsan``);
# a shorter one only between whole pinyin syllables (``woshilili``, ``woaxiajiuxing``; not
# ``daxia``), never inside an English word (``brilliant``, ``ataxia``).
_ANYWHERE = 6
_SLUG_LIMIT = 32


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every pinyin syllable as a key spells it (no tones, ü as v: ``lv``, ``zhang``)."""
    import unicodedata

    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            if any(v in plain for v in "aeiouv"):
                found.add(plain)
    return frozenset(found)


@lru_cache(maxsize=4096)
def is_pinyin(text: str) -> bool:
    """Whether ``text`` is whole pinyin syllables run together (empty counts)."""
    if not text:
        return True
    syllables = pinyin_syllables()
    return any(text[:n] in syllables and is_pinyin(text[n:]) for n in range(min(6, len(text)), 0, -1))


def name_spellings(name: str) -> dict[str, bool]:
    """How ``name`` is spelt inside keys made from words, each with whether it must stand
    as a whole word: ``张三`` → ``zhangsan`` (in every reading of its characters);
    ``Zhang San`` → ``zhangsan``, ``zhang-san``; ``Li`` → ``li`` (whole words only). Nothing
    for a single Chinese character, which no key could be told to hold."""
    from itertools import islice, product

    text = name.strip()
    if has_han(text):
        if len(text) < 2 or not all(has_han(c) for c in text):
            return {}
        from pypinyin import Style, pinyin

        readings = pinyin(text, style=Style.NORMAL, heteronym=True, errors="ignore")
        return {"".join(p): False for p in islice(product(*readings), 32)}
    found: dict[str, bool] = {}
    for spelt in dict.fromkeys((to_ascii(text), text)):  # Kovács: kovacs, and kov-cs as keys once spelt it
        words = re.findall(r"[a-z0-9]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spelt).lower())
        if len(words) == 1:
            found.setdefault(words[0], True)
        elif words:
            found.setdefault("".join(words), False)
            found.setdefault("-".join(words), True)
    return found


class KeyNames:
    """Finds names spelt inside code keys (and key-like words: lower-case ASCII)."""

    def __init__(self, names: dict[str, str]) -> None:
        """``names``: each name with what its spellings are reported as (the name itself,
        or its pseudonym)."""
        self.spellings: dict[str, str] = {}
        self.pinyin: dict[str, str] = {}  # short spellings of Chinese names
        patterns = []
        for name, value in names.items():
            for spelling, whole in name_spellings(name).items():
                if spelling in self.spellings:
                    continue
                self.spellings[spelling] = value
                body = re.escape(spelling)
                if whole:
                    patterns.append(f"(?<![a-z0-9]){body}(?![a-z0-9])")
                elif len(spelling) >= _ANYWHERE:
                    patterns.append(body)
                elif has_han(name):
                    self.pinyin[spelling] = value
                else:
                    patterns.append(f"(?<![a-z0-9]){body}(?![a-z0-9])")
        patterns.sort(key=len, reverse=True)
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, value)`` of each spelling in the lower-case words of ``text``;
        a key word cut at the slug's length counts when it ends in the start of a spelling."""
        if not self.spellings:
            return []
        found: list[tuple[int, int, str]] = []
        for token in re.finditer(r"[a-z0-9._-]+", text):
            if token.start() and text[token.start() - 1].isalnum():
                continue  # the tail of a capitalised word (Lilian)
            for m in self.pattern.finditer(token.group()) if self.pattern else ():
                found.append((token.start() + m.start(), token.start() + m.end(), self.spellings[m.group()]))
            for word in re.finditer(r"[a-z0-9]+", token.group()):
                found += self._in_pinyin(word.group(), token.start() + word.start(), found)
                if len(word.group()) == _SLUG_LIMIT:
                    cut = self._cut(word.group())
                    at = token.start() + word.end()
                    if cut and not any(s < at and at <= e for s, e, _ in found):
                        found.append((at - len(cut[0]), at, cut[1]))
        return sorted(found)

    def _in_pinyin(self, word: str, at: int, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Short spellings standing between whole syllables of a word of pinyin."""
        out: list[tuple[int, int, str]] = []
        for spelling, value in self.pinyin.items():
            for m in re.finditer(f"(?={re.escape(spelling)})", word):
                start, end = at + m.start(), at + m.start() + len(spelling)
                if any(s < end and start < e for s, e, _ in found + out):
                    continue
                if is_pinyin(word[: m.start()]) and is_pinyin(word[m.start() + len(spelling) :]):
                    out.append((start, end, value))
        return out

    def _cut(self, word: str) -> tuple[str, str] | None:
        """The start of a spelling (5 letters or more) that ``word`` ends in."""
        for spelling, value in self.spellings.items():
            for size in range(len(spelling) - 1, 4, -1):
                if word.endswith(spelling[:size]):
                    return spelling[:size], value
        return None

    def replace(self, key: str, value: Callable[[str], str]) -> str:
        """``key`` with each spelling found replaced by ``value(found_value)``."""
        out, at = [], 0
        for start, end, found in self.find(key):
            if start < at:
                continue
            out.append(key[at:start])
            out.append(value(found))
            at = end
        out.append(key[at:])
        return "".join(out)


def name_slug(name: str) -> str:
    """A pseudonym as a key would spell it: ``H`` → ``h``, ``老H`` → ``laoh``."""
    from pypinyin import lazy_pinyin

    text = "".join(lazy_pinyin(name)) if has_han(name) else name
    return re.sub(r"[^A-Za-z0-9]+", "", to_ascii(text)).lower() or "x"
