"""Finding words that look like a Chinese person's name: written in pinyin (Wei Gang, Zhang
Xiaojun, Ouyang Fei), a surname of one syllable (or a two-syllable one) and a given name of
one or two, each word capitalised and made only of pinyin syllables; written in characters
(刘霞, 欧阳明, 黄阿姐), a word the segmenter does not know that starts with a common surname.
Used to warn that a name no one listed stands in an export; it finds candidates, not
certainties."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = ("(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue"
          "|er|a|o|e|i|u|v)")
_SYLLABLE = _INITIAL + _FINAL
_ONE = re.compile(f"(?:{_SYLLABLE})", re.IGNORECASE)
# a lookahead, so that pairs overlap: in "Compare Liu Xia" the pair after "Compare Liu" is read too
_WORDS = re.compile(r"(?<![A-Za-z'’-])(?=([A-Z][a-z]{0,11}) ([A-Z][a-z]{1,11})(?![A-Za-z]))")
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


# The commonest surnames (nine people in ten bear one), with those common in Guangxi's
# villages (韦, 覃, 蓝, 莫, 蒙), and the compound ones. 农 is left out, though a surname
# there: in the words of rural research it starts too many words that are no names (农房,
# 农资, 农机), which the segmenter does not know.
_HAN_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
                          "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
                          "郝龚邵万钱严覃武戴莫孔向汤蓝蒙")
_HAN_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                 "令狐", "夏侯")
# Characters that end a word no name ends with, where the segmenter glued a surname-like
# character to the word after it (谢谢您, 戴着, 田是).
_NOT_IN_NAMES = frozenset("是着了的要在说您你我他她它也就都又还和跟给把被让吗呢吧啊呀哦嘛啦么有没不很太更最这那哪个些们过来去到")
_HAN_WORD = re.compile("[\u3400-\u9fff]{2,4}")
# Surnames that are far more often a word of their own (money, a side, at, towards): only
# a whole word the segmenter does not know (钱建国) is taken for a name, never 钱 and one
# character, nor 向 cut from 老师 (向老师请教), nor 小于.
_WORDLIKE = frozenset("钱方于向")
# What stands before a measure word (一张纸, 这段话, 几张): then 张 or 段 is no surname.
_COUNTING = frozenset("一二两三四五六七八九十百千几每这那整半")
_MEASURES = frozenset("张段")
# Characters a given name cut from its surname does not hold (夏/木村, 陈/一户).
_NOT_IN_GIVEN = _NOT_IN_NAMES | frozenset("村镇县乡户元块一二三四五六七八九十")
# Titles a surname goes with, which name a person in a village as surely as a given name
# (王书记, 李会计, 莫医生), and which the segmenter cuts from the surname.
_TITLES = frozenset(("书记", "主任", "会计", "老师", "医生", "老板", "科长", "镇长", "乡长", "村长", "县长", "支书",
                     "队长", "组长", "师傅", "经理", "局长", "站长", "校长", "所长", "委员"))
# 老 or 小 and a surname that make a common word, not how someone is called
_NOT_NICKNAMES = frozenset(("小孔", "小白", "小熊", "小石", "小段"))
GIVEN_COMMON = 1000  # 建华 342, 永福 278, 国庆 131 are given names; 补助 373 … 生活 31550 mostly not
RARE = 20  # a word the dictionary counts fewer times than this may be a name (王建国 is there, 12 times)


def han_names(texts: Iterable[str], *, terms: Iterable[str] = ()) -> Counter[str]:
    """Each word in ``texts`` that looks like a person's name in Chinese characters, with how
    often it stands: a word of two to four characters that jieba's dictionary does not know
    (or counts rarely), that starts with a common surname and holds no particle, and that
    does not start with a common word of its own (谢谢). ``terms``: the project's own words
    (its glossary), which are never names."""
    from fieldcase.text.units import load_jieba

    load_jieba()
    import jieba

    known = jieba.dt.FREQ
    skip = set(terms)
    found: Counter[str] = Counter()
    for text in texts:
        if not any("\u3400" <= c <= "\u9fff" for c in text):
            continue
        cut = list(jieba.cut(text, HMM=True))
        joined = -1  # the word after a surname, already read with it (韦/国庆)
        for at, word in enumerate(cut):
            if at == joined:
                continue
            name = _candidate(word, cut[at - 1] if at else "", cut[at + 1] if at + 1 < len(cut) else "", known)
            if name is None or name in skip or any(name.startswith(t) for t in skip if len(t) > 1):
                continue  # the glossary's 林权 covers 林权证 as well
            joined = at + 1 if len(name) > len(word) else joined
            found[name] += 1
    return found


def _candidate(word: str, before: str, after: str, known: dict[str, int]) -> str | None:
    """The name ``word`` is or starts (with the word ``after`` it, for a surname cut from
    its given name), or None."""
    if before[-1:] in _COUNTING and word[:1] in _MEASURES:
        return None  # 一张纸, 这段讲完: a measure word, not a surname
    if _split_name(word, after, before, known):
        return word + after
    if len(word) == 2 and after in _TITLES and word[1] in _HAN_SURNAMES and word[1] not in _WORDLIKE \
            and word not in known:
        return word[1] + after  # 由谢/老板, 找王/书记: the surname glued to the word before it
    if len(word) == 2 and word[0] in "老小" and word[1] in _HAN_SURNAMES and word[1] not in _WORDLIKE:
        return None if word in _NOT_NICKNAMES else word  # 老李, 小张: how a village names someone
    if not _HAN_WORD.fullmatch(word) or known.get(word, 0) >= RARE:
        return None
    if word[0] not in _HAN_SURNAMES and len(word) > 2 and word[1] in _HAN_SURNAMES and word not in known:
        word = word[1:]  # 村医莫小燕 cut 村/医莫小燕: the name after one character glued to it
    rest = word[2:] if word.startswith(_HAN_COMPOUND) else word[1:] if word[0] in _HAN_SURNAMES else ""
    if not rest or len(rest) > 2 or any(c in _NOT_IN_NAMES for c in rest):
        return None
    if len(rest) == 1 and word[0] in _WORDLIKE:
        return None  # 钱花, 方面: money and a side, far more often than a surname
    if len(word) == 3 and known.get(word[:2], 0) >= 100 and not word.startswith(_HAN_COMPOUND):
        return None  # a common word and one more character
    return word


def _split_name(word: str, after: str, before: str, known: dict[str, int]) -> bool:
    """Whether ``word`` is a surname the segmenter cut from a given name that is also a
    word (韦/国庆, 谭/志强, 陆/永福): a surname alone, followed by two characters that are a
    word, though no very common one (生活, 怎么), and hold nothing a given name does not."""
    return (len(word) == 1 and word in _HAN_SURNAMES and word not in _WORDLIKE and before != "姓"
            and len(after) == 2 and _HAN_WORD.fullmatch(after) is not None
            and (after in _TITLES or 0 < known.get(after, 0) < GIVEN_COMMON)
            and not any(c in _NOT_IN_GIVEN for c in after))
