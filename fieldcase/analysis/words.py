"""Word frequencies over a project's sources, and keyword in context.

Counts per source are cached in the project until the text or the dictionary (glossary
and code keywords) changes, so a second count over a large corpus reads the cache
instead of segmenting again.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import CancelledError
from fieldcase.text.words import (
    JIEBA_LOCK,
    WordCount,
    count_text,
    decode_turns,
    dictionary_key,
    edges,
    rank,
    segmenter,
)

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def word_counts(
    project: Project,
    *,
    top: int | None = 50,
    keep_stop_words: bool = False,
    min_length: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    scope: Scope | None = None,
    **narrow: Unpack[Narrowing],
) -> list[WordCount]:
    """The most frequent words in the sources in scope (see ``sources.ids_in_scope``;
    a code counts only text coded with it or its sub-codes)."""
    from fieldcase.store import words

    from fieldcase.store.scoping import with_set_codes

    scope = with_set_codes(project, Scope.of(scope, **narrow))
    terms = words.segmentation_terms(project)
    key = dictionary_key(terms)
    totals: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    if scope.code is not None:
        per_source = _coded_counts(project, terms, scope)
    else:
        per_source = _source_counts(project, terms, key, scope, progress, cancel)
    for counts in per_source.values():
        totals.update(counts)
        spread.update(counts.keys())
    ranked = rank(totals, spread, keep_stop_words=keep_stop_words, min_length=min_length)
    return ranked if top is None else ranked[:top]


def _source_counts(
    project: Project, terms: list[str], key: str, scope: Scope,
    progress: Callable[[int, int], None] | None, cancel: threading.Event | None,
) -> dict[int, Counter[str]]:
    from fieldcase.store import sources, words

    ids = sources.ids_in_scope(project, scope)
    if ids is None:
        ids = sources.all_ids(project)
    found = {i: Counter(c) for i, c in words.cached_counts(project, ids, key).items()}
    todo = [i for i in ids if i not in found]
    if todo:
        segment = segmenter(terms)
        for done in range(0, len(todo), 20):
            if cancel is not None and cancel.is_set():
                raise CancelledError("word count cancelled")
            rows = words.source_texts(project, todo[done : done + 20])
            computed = []
            with JIEBA_LOCK:
                for row in rows:
                    counts = count_text(row["text"], decode_turns(row["turns"]), segment)
                    found[row["id"]] = counts
                    computed.append((row["id"], row["text_sha256"], dict(counts)))
            words.store_counts(project, computed, key)
            if progress is not None:
                progress(min(done + 20, len(todo)), len(todo))
    return found


def _coded_counts(project: Project, terms: list[str], scope: Scope) -> dict[int, Counter[str]]:
    from fieldcase.store import codings, sources

    allowed = sources.ids_in_scope(project, scope)
    segment = segmenter(terms)
    out: dict[int, Counter[str]] = {}
    with JIEBA_LOCK:
        for row in codings.query(project, Scope(code=scope.code), descendants=True):
            if allowed is None or row["source_id"] in allowed:
                out.setdefault(row["source_id"], Counter()).update(count_text(row["text"], [], segment))
    return out


def kwic(project: Project, word: str, *, width: int = 20, limit: int | None = None, sort: str = "source",
         whole_words: bool = False, scope: Scope | None = None,
         **narrow: Unpack[Narrowing]) -> list[dict[str, Any]]:
    """Every place ``word`` occurs, with ``width`` characters either side, sorted by
    source, or by the words to the left or right of it.

    ``whole_words`` keeps only places where jieba (with the glossary) reads ``word`` as a
    word of its own, the places :func:`word_counts` counts: 讲 but not the 讲 of 讲话.
    """
    from fieldcase.analysis.search import search

    quoted = '"' + word.replace('"', '""') + '"'
    hits = list(search(project, quoted, Scope.of(scope, **narrow), context=width).hits)
    if whole_words:
        hits = _as_words(project, hits)
    rows: list[dict[str, Any]] = [{"source_id": h.source_id, "start": h.start, "end": h.end,
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

    segment = segmenter(words.segmentation_terms(project))
    bounds: dict[int, set[int]] = {}
    labels: dict[int, list[tuple[int, int]]] = {}
    kept = []
    with JIEBA_LOCK:
        for hit in hits:
            if hit.source_id not in bounds:
                labels[hit.source_id] = [(t["start"], t["speech"]) for t in sources.turns_of(project, hit.source_id)]
                bounds[hit.source_id] = edges(hit._text, segment)  # noqa: SLF001 - the text the hit was cut from
            in_label = any(a <= hit.start < b for a, b in labels[hit.source_id])
            if not in_label and hit.start in bounds[hit.source_id] and hit.end in bounds[hit.source_id]:
                kept.append(hit)
    return kept
