"""Stable ASCII keys for codes, made from their names (Chinese names through pinyin)."""

from __future__ import annotations

import re
import unicodedata

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def has_han(text: str) -> bool:
    """True if ``text`` contains Chinese characters."""
    return bool(_HAN.search(text or ""))


# Letters that keep no ASCII letter once their accents are taken off, spelt as they are read.
_SPELT = dict(zip("ßæÆœŒøØłŁđĐðÐþÞıŋŊſ", ["ss", "ae", "AE", "oe", "OE", "o", "O", "l", "L", "d", "D", "d", "D",
                                           "th", "TH", "i", "ng", "NG", "s"], strict=True))
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", [
    "a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"], strict=True))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", [
    "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y", "f",
    "ch", "ps", "o"], strict=True))


def to_ascii(text: str) -> str:
    """``text`` with every letter and digit in ASCII, none dropped: accents taken off
    (``Kérdés`` → ``Kerdes``), a few Latin letters spelt out (``ß`` → ``ss``), Cyrillic and
    Greek transliterated (``Вопрос`` → ``Vopros``), any other letter by its Unicode name
    (``ب`` → ``beh``); other characters are kept as they are."""
    if text.isascii():
        return text
    out = []
    for char in _pieces(text):
        if char.isascii():
            out.append(char)
        elif unicodedata.category(char).startswith("M"):  # accents and vowel signs
            continue
        elif char in _SPELT:
            out.append(_SPELT[char])
        elif char.lower() in _CYRILLIC or char.lower() in _GREEK:
            spelt = _CYRILLIC.get(char.lower(), _GREEK.get(char.lower(), ""))
            out.append(spelt.capitalize() if char.isupper() else spelt)
        elif char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        elif char.isalnum():
            out.append(_by_name(char))
        else:
            out.append(char)
    return "".join(out)


def _pieces(text: str) -> list[str]:
    """The characters of ``text`` with their accents apart (NFKD), a Korean syllable kept whole."""
    out: list[str] = []
    for char in text:
        out.extend(char if "\uac00" <= char <= "\ud7a3" else unicodedata.normalize("NFKD", char))
    return out


def _by_name(char: str) -> str:
    """A letter of another script as its Unicode name says it (``HEBREW LETTER ALEF`` → ``alef``)."""
    name = unicodedata.name(char, "")
    for word in (" LETTER ", " SYLLABLE ", " CHARACTER "):
        if word in name:
            name = name.split(word, 1)[1]
            break
    spelt = re.sub(r"\b(final|small|capital)\b|[^a-z0-9]+", "", name.lower())
    return spelt or f"u{ord(char):x}"


def slug(name: str, limit: int = 32) -> str:
    """An ASCII slug of a name: ``Return motives`` → ``return-motives``, ``新乡贤`` →
    ``xinxiangxian``, ``Kérdés`` → ``kerdes``: letters are spelt in ASCII, never dropped."""
    text = name.strip()
    if has_han(text):
        from pypinyin import lazy_pinyin

        # the letters and digits between Chinese characters stay (访谈A组 → fangtanazu)
        text = "".join(lazy_pinyin(text, errors=lambda chunk: "".join(c for c in chunk if c.isalnum())))
    text = re.sub(r"[^A-Za-z0-9]+", "-", to_ascii(text)).strip("-").lower()
    return text[:limit].strip("-") or "code"


def valid_key(key: str) -> bool:
    """Keys are ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit."""
    return bool(KEY_PATTERN.match(key or ""))


_TRIM_SYMBOLS = frozenset("~～…·•※★☆◆◇■□▲△○●")
_CLAUSE_ENDS = frozenset("，。；！？、：,.;!?:")
_BREAKS = frozenset("，、；：。！？")  # always end a clause
_LATIN_BREAKS = frozenset(",;:.!?")  # end a clause before a space (not in 3,000 or 3.5)
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
MIN_CLAUSE = 3  # Chinese characters (or 2 Latin words) a name needs before it is cut


def _is_trim(char: str) -> bool:
    """Punctuation, spaces and decoration that never begin or end a code name."""
    return (unicodedata.category(char)[0] in "PZC" and char not in "%％‰") or char in _TRIM_SYMBOLS


def has_word(text: str) -> bool:
    """True if ``text`` holds a letter, a Chinese character or a digit (not only punctuation)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text or "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _trim(text: str) -> str:
    """Spaces collapsed, and punctuation trimmed from both ends."""
    text = " ".join((text or "").split())
    start, end = 0, len(text)
    while start < end and _is_trim(text[start]):
        start += 1
    while end > start and _is_trim(text[end - 1]):
        end -= 1
    return text[start:end]


_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("《", "》"), ("〈", "〉"), ("（", "）"), ("(", ")"),
          ("【", "】"), ("[", "]"))


def _balanced(text: str) -> str:
    """``text`` without a quote mark or bracket whose partner a cut left out
    (城里人说的那个“城市病 → 城里人说的那个城市病)."""
    for opener, closer in _PAIRS:
        if text.count(opener) != text.count(closer):
            text = text.replace(opener, "").replace(closer, "")
    return text


def _enough(head: str) -> bool:
    """True if ``head`` is long enough to name a code (不是 "对" or "Well")."""
    return len(_HAN.findall(head)) >= MIN_CLAUSE or len(_LATIN_WORD.findall(head)) >= 2


def first_clause(text: str) -> str:
    """``text`` up to its first clause break (，、；：。！？, or , ; : . ! ? before a space)
    that leaves enough words for a name; all of it when there is none."""
    for i, char in enumerate(text):
        latin = char in _LATIN_BREAKS and (i + 1 == len(text) or text[i + 1].isspace())
        if (char in _BREAKS or latin) and _enough(text[:i]):
            return text[:i]
    return text


def in_vivo_name(words: str, limit: int = 40) -> str:
    """A code name made from coded words, as MAXQDA offers an in-vivo code: spaces
    collapsed, punctuation trimmed from both ends, cut at the first clause break
    (先搞土地流转，后来办了合作社 → 先搞土地流转; a quote mark left without its
    partner goes), and then to ``limit`` columns (20
    Chinese characters) at a word break where one is near; blank when the words are
    only punctuation."""
    text = _trim(_balanced(_trim(first_clause(_trim(words)))))
    if _width(text) <= limit:
        return text
    cut = 0
    while cut < len(text) and _width(text[: cut + 1]) <= limit:
        cut += 1
    head = text[:cut]
    breaks = [i for i, c in enumerate(head) if c in _CLAUSE_ENDS or c == " "]
    if breaks and breaks[-1] >= cut // 3:
        head = head[: breaks[-1]]
    return in_vivo_name(head, limit)
