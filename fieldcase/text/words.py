"""Word frequencies with jieba, stop words and the project glossary; keyword in context.

jieba is imported on first use. Counts per source are cached in the project until the
text or the dictionary (glossary and code keywords) changes, so a second count over a
large corpus reads the cache instead of segmenting again.
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
from typing import TYPE_CHECKING, Any

from fieldcase.errors import CancelledError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

_WORDY = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"^[\d.,%]+$")
_LOCK = threading.Lock()  # jieba's dictionary is shared: one segmentation at a time


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


def _segmenter(terms: list[str]) -> Callable[[str], list[str]]:
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


def _decode_turns(raw: str) -> list[dict[str, Any]]:
    return [{"start": t[2], "speech": t[3]} for t in json.loads(raw or "[]")]


def word_counts(
    project: Project,
    *,
    top: int | None = 50,
    keep_stop_words: bool = False,
    min_length: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    **scope: Any,
) -> list[WordCount]:
    """The most frequent words in the sources in scope (see ``sources.ids_in_scope``;
    ``code=`` counts only text coded with that code or its sub-codes)."""
    from fieldcase.store import words

    code = scope.pop("code", None)
    terms = words.segmentation_terms(project)
    key = dictionary_key(terms)
    totals: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    if code is not None:
        per_source = _coded_counts(project, code, terms, scope)
    else:
        per_source = _source_counts(project, terms, key, scope, progress, cancel)
    for counts in per_source.values():
        totals.update(counts)
        spread.update(counts.keys())
    all_words = sum(totals.values()) or 1
    stops = frozenset() if keep_stop_words else stop_words()
    ranked = [
        WordCount(w, n, spread[w], round(n * 10_000 / all_words, 2))
        for w, n in totals.most_common()
        if w not in stops and len(w) >= min_length and not _NUMBER.match(w)
    ]
    return ranked if top is None else ranked[:top]


def _source_counts(project, terms, key, scope, progress, cancel) -> dict[int, Counter[str]]:  # noqa: ANN001
    from fieldcase.store import sources, words

    ids = sources.ids_in_scope(project, **scope)
    if ids is None:
        ids = [r[0] for r in project.conn.execute("SELECT id FROM sources ORDER BY id")]
    found = {i: Counter(c) for i, c in words.cached_counts(project, ids, key).items()}
    todo = [i for i in ids if i not in found]
    if todo:
        segment = _segmenter(terms)
        for done in range(0, len(todo), 20):
            if cancel is not None and cancel.is_set():
                raise CancelledError("word count cancelled")
            rows = words.source_texts(project, todo[done : done + 20])
            computed = []
            with _LOCK:
                for row in rows:
                    counts = count_text(row["text"], _decode_turns(row["turns"]), segment)
                    found[row["id"]] = counts
                    computed.append((row["id"], row["text_sha256"], dict(counts)))
            words.store_counts(project, computed, key)
            if progress is not None:
                progress(min(done + 20, len(todo)), len(todo))
    return found


def _coded_counts(project, code, terms, scope) -> dict[int, Counter[str]]:  # noqa: ANN001
    from fieldcase.store import codings, sources

    allowed = sources.ids_in_scope(project, **scope)
    segment = _segmenter(terms)
    out: dict[int, Counter[str]] = {}
    with _LOCK:
        for row in codings.query(project, code=code, descendants=True):
            if allowed is None or row["source_id"] in allowed:
                out.setdefault(row["source_id"], Counter()).update(count_text(row["text"], [], segment))
    return out


def kwic(project: Project, word: str, *, width: int = 20, limit: int | None = None,
         sort: str = "source", whole_words: bool = False, **scope: Any) -> list[dict[str, Any]]:
    """Every place ``word`` occurs, with ``width`` characters either side, sorted by
    source, or by the words to the left or right of it.

    ``whole_words`` keeps only places where jieba (with the glossary) reads ``word`` as a
    word of its own, the places :func:`word_counts` counts: 讲 but not the 讲 of 讲话.
    """
    from fieldcase.text.search import search

    quoted = '"' + word.replace('"', '""') + '"'
    hits = list(search(project, quoted, context=width, **scope).hits)
    if whole_words:
        hits = _as_words(project, hits)
    rows = [{"source_id": h.source_id, "start": h.start, "end": h.end,
             "left": h.left, "match": h.match, "right": h.right} for h in hits]
    if sort == "left":
        rows.sort(key=lambda r: r["left"][::-1])
    elif sort == "right":
        rows.sort(key=lambda r: r["right"])
    return rows if limit is None else rows[:limit]


def _as_words(project: Project, hits: list[Any]) -> list[Any]:
    """The hits that start and end on jieba word boundaries of their source, outside
    speaker labels (which word counts leave out)."""
    from fieldcase.store import sources, words

    segment = _segmenter(words.segmentation_terms(project))
    bounds: dict[int, set[int]] = {}
    labels: dict[int, list[tuple[int, int]]] = {}
    kept = []
    with _LOCK:
        for hit in hits:
            if hit.source_id not in bounds:
                labels[hit.source_id] = [(t["start"], t["speech"]) for t in sources.turns_of(project, hit.source_id)]
                text = hit._text  # noqa: SLF001 - the source text the hit was cut from
                edges, at = {0}, 0
                for token in segment(text):
                    at += len(token)
                    edges.add(at)
                bounds[hit.source_id] = edges
            in_label = any(a <= hit.start < b for a, b in labels[hit.source_id])
            if not in_label and hit.start in bounds[hit.source_id] and hit.end in bounds[hit.source_id]:
                kept.append(hit)
    return kept
