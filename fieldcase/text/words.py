"""Words of a text with jieba, stop words and the glossary kept whole, and their ranking.

jieba is imported on first use. Counting over a project (its cache, its scope, keyword
in context) is :mod:`fieldcase.analysis.words`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORDY = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"^[\d.,%]+$")
JIEBA_LOCK = threading.Lock()  # jieba's dictionary is shared: one segmentation at a time


@dataclass
class WordCount:
    """A word, how often it occurs, in how many sources, and per 10,000 words counted."""

    word: str
    count: int
    sources: int
    per_10k: float

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "count": self.count, "sources": self.sources, "per_10k": self.per_10k}


# What people say in any interview, whatever it is about: particles, time and sequence words,
# verbs of saying and thinking, hedges, vague nouns and amounts, and spoken function words
# that stopwords-iso leaves in. Words that carry the study (回来, 村里, 钱, 老人) are not here.
INTERVIEW_FILLERS = frozenset("""
嗯 啊 哦 呃 哈 吧 呢 嘛 噢 唉 对 就是 然后 那个 这个
现在 以后 以前 后来 当时 那时候 刚才 后面 原来 最后 之前 之后 一直 已经 慢慢
讲 想 觉得 认为 知道 提到 感觉
其实 说实话 真的 反正 比如说 怎么说 一下 有点 一点 好像 可能 大概 基本上 肯定 应该 主要 具体
事情 东西 方面 这块 一块 情况 这种 那种 有人
一年 一个月 一天 几年 两年 去年 今年 那年 今天 几个 两个 很多 一部分 一次 每个 十几个
没 没有 不能 不会 不要 起来 下来 过来 搞 弄 算
yeah uh um hmm mm okay ok gonna kinda lot
""".split())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Chinese and English stop words (stopwords-iso), plus interview fillers."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh")) | frozenset(stopwordsiso.stopwords("en")) | INTERVIEW_FILLERS


def dictionary_key(terms: list[str]) -> str:
    """Names the segmentation dictionary: jieba's version and the terms kept whole."""
    import jieba

    digest = hashlib.sha1("\n".join(terms).encode()).hexdigest()[:16]
    return f"jieba-{jieba.__version__}-{digest}"


def segmenter(terms: list[str]) -> Callable[[str], list[str]]:
    from fieldcase.text.units import load_jieba

    load_jieba()
    import jieba

    for term in terms:
        if jieba.dt.FREQ.get(term, 0) < 50_000:
            jieba.add_word(term, freq=50_000)  # high enough to win over its parts
    return lambda text: jieba.lcut(text, HMM=True)


def count_text(text: str, turns: list[dict[str, Any]], segment: Callable[[str], list[str]]) -> Counter[str]:
    """Word counts of one text, speaker labels left out and Latin words lower-cased."""
    if turns:
        pieces, at = [], 0
        for turn in turns:
            pieces.append(text[at : turn["start"]])
            at = turn["speech"]
        pieces.append(text[at:])
        text = "\n".join(pieces)
    counts: Counter[str] = Counter()
    for token in segment(text):
        token = token.strip()
        if token and _WORDY.search(token):
            counts[token.lower()] += 1
    return counts


def decode_turns(raw: str) -> list[dict[str, Any]]:
    """The turns as stored (JSON), as much of them as :func:`count_text` needs."""
    return [{"start": t[2], "speech": t[3]} for t in json.loads(raw or "[]")]


def rank(totals: Counter[str], spread: Counter[str], *, keep_stop_words: bool = False,
         min_length: int = 1) -> list[WordCount]:
    """Words by count, with the sources they occur in (``spread``) and their rate per
    10,000 words; stop words (unless kept), short words and numbers left out."""
    all_words = sum(totals.values()) or 1
    stops = frozenset() if keep_stop_words else stop_words()
    return [
        WordCount(w, n, spread[w], round(n * 10_000 / all_words, 2))
        for w, n in totals.most_common()
        if w not in stops and len(w) >= min_length and not _NUMBER.match(w)
    ]


def edges(text: str, segment: Callable[[str], list[str]]) -> set[int]:
    """The offsets where the words of ``text`` begin and end."""
    found, at = {0}, 0
    for token in segment(text):
        at += len(token)
        found.add(at)
    return found
