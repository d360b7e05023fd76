"""A place's name in English and in Chinese: ``X village`` is also written ``X村`` (or
``X cun``), and ``杨家村`` also ``Yangjia village`` or ``Yangjiacun``; a pseudonym for one
form stands for the others, each printed in its own language."""

from __future__ import annotations

import re
from collections.abc import Iterable

# English place words and their Chinese suffixes, with the suffix's pinyin.
KINDS = (("village", "村", "cun"), ("township", "乡", "xiang"), ("town", "镇", "zhen"), ("county", "县", "xian"),
         ("city", "市", "shi"), ("district", "区", "qu"), ("province", "省", "sheng"))
_ENGLISH = re.compile(r"^(?P<stem>.*?\S)[\s\u3000]+(?P<kind>" + "|".join(k[0] for k in KINDS) + r")$", re.IGNORECASE)
_CHINESE = re.compile(r"^(?P<stem>.*?\S)[\s\u3000]*(?P<kind>[" + "".join(k[1] for k in KINDS) + r"])$")
# Stems that are words, not names (行政村, 自然村, 中心村, 城关镇 …): never replaced on their own.
GENERIC_STEMS = frozenset({
    "行政", "自然", "中心", "新农", "农", "乡", "城", "城关", "本", "该", "全", "此", "这个", "那个", "我们", "你们",
    "他们", "咱们", "每个", "各", "各个", "哪个", "某", "某个", "同一", "一个", "两个", "几个", "整个", "附近", "隔壁",
    "邻近", "周边", "周围", "当地", "本地", "外地", "老家", "家乡", "故乡", "山区", "平原", "沿海", "偏远", "贫困",
    "示范", "特色", "特色小", "美丽乡", "文明", "试点", "重点", "地级", "县级", "直辖", "副省级", "省会", "区县",
    "乡镇", "城乡", "城中", "开发", "经济开发", "高新", "高新技术开发", "工业", "行政中心", "中心城", "街道",
})


def _parse(name: str) -> tuple[str, tuple[str, str, str]] | None:
    """``(stem, kind)`` of a place name in either language, or None."""
    name = name.strip()
    if m := _ENGLISH.match(name):
        return m.group("stem"), next(k for k in KINDS if k[0] == m.group("kind").lower())
    if m := _CHINESE.match(name):
        return m.group("stem"), next(k for k in KINDS if k[1] == m.group("kind"))
    return None


def _latin(stem: str) -> str:
    """A stem in Latin letters: pinyin syllables, spaced, for a Chinese one."""
    from fieldcase.text.spellings import is_han

    if not any(is_han(c) for c in stem):
        return stem
    from pypinyin import lazy_pinyin

    return " ".join(s.capitalize() for s in lazy_pinyin(stem))


def _in_english(pseudonym: str) -> str:
    parsed = _parse(pseudonym)
    if parsed is None:
        return pseudonym
    stem, (english, _, _) = parsed
    return f"{_latin(stem)} {english}"


def _in_chinese(pseudonym: str) -> str:
    parsed = _parse(pseudonym)
    if parsed is None:
        return pseudonym
    stem, (_, chinese, _) = parsed
    return stem + chinese


def companions(real: str, pseudonym: str) -> list[tuple[str, str]]:
    """The other forms of the place ``real`` with what each prints instead: for
    ``Y村 → X village``, ``Y village → X village`` and ``Y cun → X village``; for
    ``X village → Y village``, ``X村 → Y村``. Nothing for a name that is not a place."""
    parsed = _parse(real)
    if parsed is None:
        return []
    stem, (english, chinese, pinyin) = parsed
    latin = _latin(stem)
    out = [(f"{latin} {english}", _in_english(pseudonym)), (f"{latin} {pinyin}", _in_english(pseudonym))]
    if not _CHINESE.match(real.strip()):
        out.append((stem + chinese, _in_chinese(pseudonym)))
    from fieldcase.text.spellings import fold_name

    return [(form, fake) for form, fake in out if fold_name(form) != fold_name(real.strip())]


def bare_stem(real: str, pseudonym: str) -> list[tuple[str, str]]:
    """A Chinese place's name without its suffix, which stands alone in talk and names
    (夏木 of 夏木村, in 夏木竹编合作社), and its pinyin (Xia Mu), each with what prints
    instead (the pseudonym's own stem); nothing when the stem is under two Chinese
    characters or a generic word (行政 of 行政村)."""
    stem = han_stem(real)
    if stem is None:
        return []
    parsed = _parse(pseudonym)
    fake = parsed[0] if parsed else pseudonym.strip()
    return [(stem, fake), (_latin(stem), _latin(fake))]


def han_stem(real: str) -> str | None:
    """The stem of a place named with two Chinese characters or more before its suffix
    (夏木 of 夏木村 or 夏木 village), unless it is a generic word; else None."""
    from fieldcase.text.spellings import is_han

    parsed = _parse(real)
    if parsed is None:
        return None
    stem = parsed[0].strip()
    if len(stem) < 2 or not all(is_han(c) for c in stem) or stem in GENERIC_STEMS:
        return None
    return stem


def han_spellings(real: str, texts: Iterable[str]) -> list[str]:
    """The Chinese spellings in ``texts`` of a place named in pinyin: ``Xiamu Village`` is
    夏木村 where 夏木 reads xia mu (every reading of a character counts). Nothing for a
    name already in Chinese or not a place."""
    from fieldcase.text.spellings import fold_name, is_han

    parsed = _parse(real)
    if parsed is None or any(is_han(c) for c in parsed[0]):
        return []
    stem, (_, suffix, _) = parsed
    wanted = re.sub(r"[^a-z]", "", fold_name(stem))
    if not wanted:
        return []
    found: dict[str, None] = {}
    seen: set[str] = set()
    for text in texts:
        at = text.find(suffix)
        while at != -1:
            for size in range(1, 5):
                word = text[max(0, at - size) : at]
                if len(word) < size or not is_han(word[0]):
                    break
                if word not in seen:
                    seen.add(word)
                    if _reads_as(word, wanted):
                        found[word + suffix] = None
            at = text.find(suffix, at + 1)
    return list(found)


def _reads_as(word: str, wanted: str) -> bool:
    """Whether some reading of ``word`` in toneless pinyin, joined, is ``wanted``."""
    from pypinyin import Style, pinyin

    readings = pinyin(word, style=Style.NORMAL, heteronym=True)
    spelled = {""}
    for options in readings:
        spelled = {s + o for s in spelled for o in options if wanted.startswith(s + o)}
        if not spelled:
            return False
    return wanted in spelled
