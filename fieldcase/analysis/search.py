"""Full-text search over a project's sources: exact offsets, in any script, at any length.

The index (``store.search_index``) narrows a query to the sources that can hold it; a
source is read only when the index alone cannot be sure (a phrase with spaces, a scope
by code, a variant character when variants are not folded), and to place the hits.
Matching ignores case, and with ``fold_variants`` Traditional and Simplified characters
match each other; otherwise a hit is exactly where ``str.find`` finds the term.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.text import query as q
from fieldcase.text.fold import fold, fold_case, variant_class
from fieldcase.text.grams import match_expression, variant_expression
from fieldcase.text.search import DEFAULT_CONTEXT, Hit, Hits, find_all

if TYPE_CHECKING:
    from fieldcase.store.project import Project

_BATCH = 50  # sources read at a time when every hit is streamed


@dataclass
class SearchResult:
    """The sources that match a query and the hits in them, in source and text order."""

    sources: list[int]
    hits: Sequence[Hit] = field(default_factory=list)
    complete: bool = True  # False when ``limit`` cut the hits short


@dataclass
class _Scope:
    allowed: set[int] | None
    spans: dict[int, list[tuple[int, int]]] | None  # coded spans when scoped by code
    fold_variants: bool


class _Search:
    """One query's evaluation, reading each source text at most once."""

    def __init__(self, project: Project, scope: _Scope, *, keep: bool = True) -> None:
        """``keep=False``: texts read are not kept in memory for later searches."""
        self.project = project
        self.scope = scope
        self.keep = keep
        self._folded: dict[int, str] = {}
        self._raw: dict[int, str] = {}
        self._universe: set[int] | None = None
        self._docs: dict[str, set[int]] = {}

    def universe(self) -> set[int]:
        if self._universe is None:
            from fieldcase.store import search_index

            every = search_index.live_sources(self.project)
            self._universe = every if self.scope.allowed is None else every & self.scope.allowed
        return self._universe

    def fold(self, text: str) -> str:
        return fold(text, variants=self.scope.fold_variants)

    def load(self, ids: set[int] | list[int]) -> None:
        from fieldcase.store import search_index

        missing = [i for i in ids if i not in self._folded]
        for source_id, (text, folded) in search_index.folded_texts(self.project, sorted(missing), keep=self.keep).items():
            self._raw[source_id] = text
            self._folded[source_id] = fold(folded, variants=True) if self.scope.fold_variants else folded

    def drop(self, ids: list[int]) -> None:
        """Let these sources' texts go (read again if needed)."""
        for source_id in ids:
            self._raw.pop(source_id, None)
            self._folded.pop(source_id, None)

    def places(self, source_id: int, term: str) -> list[int]:
        """Start offsets of the folded ``term`` in a source, within coded spans if scoped."""
        found = find_all(self._folded[source_id], term)
        spans = self.scope.spans
        if spans is None:
            return found
        coded = spans.get(source_id, [])
        starts = [s for s, _ in coded]
        kept = []
        for at in found:
            # any coding that starts at or before the hit and ends at or after its end
            for start, end in coded[: bisect_right(starts, at)]:
                if end >= at + len(term):
                    kept.append(at)
                    break
        return kept

    def docs(self, term: str) -> set[int]:
        """Exactly the sources in scope holding ``term``."""
        if term in self._docs:
            return self._docs[term]
        from fieldcase.store import search_index

        folded = self.fold(term)
        if self.scope.fold_variants:
            expression, exact = variant_expression(fold_case(term), variant_class), False
        else:
            expression, exact = match_expression(folded)
        if self.scope.spans is not None:
            exact = False
        candidates = self.universe() if expression is None else search_index.matching_sources(
            self.project, expression
        ) & self.universe()
        if not exact:
            holding = sorted(candidates)
            candidates = set()
            for at in range(0, len(holding), _BATCH):  # (a batch of texts in memory at a time)
                batch = holding[at : at + _BATCH]
                self.load(batch)
                candidates.update(i for i in batch if self.places(i, folded))
                if not self.keep:
                    self.drop(batch)
        self._docs[term] = candidates
        return candidates

    def evaluate(self, node: q.Node) -> set[int]:
        if isinstance(node, q.Term):
            return self.docs(node.text)
        if isinstance(node, q.Not):
            return self.universe() - self.evaluate(node.inner)
        if isinstance(node, q.Any_):
            return set().union(*(self.evaluate(p) for p in node.parts))
        positive = [p for p in node.parts if not isinstance(p, q.Not)]
        found = self.universe() if not positive else set.intersection(*(self.evaluate(p) for p in positive))
        for part in node.parts:
            if isinstance(part, q.Not) and found:
                found = found - self.evaluate(part.inner)
        return found

    def hits(self, ids: list[int], terms: list[str], limit: int | None, context: int) -> tuple[Hits, bool]:
        out = Hits(context)
        folded_terms = list({self.fold(t): t for t in reversed(terms)}.items())[::-1]
        self.load(ids if limit is None else ids[:limit])
        for source_id in ids:
            if source_id not in self._folded:
                self.load(ids[ids.index(source_id) : ids.index(source_id) + 50])
            self._add(out, source_id, folded_terms)
            if limit is not None and len(out) >= limit:
                return out.cut(limit), len(out) == limit and source_id == ids[-1]
        return out, True

    def each_hit(self, ids: list[int], terms: list[str], context: int) -> Iterator[Hit]:
        """Every hit in order, reading 50 sources at a time and letting each go when its
        hits are out: memory holds no more than those."""
        folded_terms = list({self.fold(t): t for t in reversed(terms)}.items())[::-1]
        for at in range(0, len(ids), _BATCH):
            batch = ids[at : at + _BATCH]
            self.load(batch)
            for source_id in batch:
                out = Hits(context)
                self._add(out, source_id, folded_terms)
                yield from out
                self.drop([source_id])

    def _add(self, out: Hits, source_id: int, folded_terms: list[tuple[str, str]]) -> None:
        """Add one source's hits of the (folded, as typed) terms to ``out``."""
        if len(folded_terms) == 1:
            folded, term = folded_terms[0]
            starts = self.places(source_id, folded)
            out.add(source_id, self._raw[source_id], starts, [len(folded)], [term])
        else:
            here = sorted((at, at + len(folded), term) for folded, term in folded_terms
                          for at in self.places(source_id, folded))
            out.add(source_id, self._raw[source_id], [h[0] for h in here],
                    [h[1] - h[0] for h in here], [h[2] for h in here])


def _scope(project: Project, fold_variants: bool, scope: Scope) -> _Scope:
    from fieldcase.store import codings, scoping, sources

    scope = scoping.with_set_codes(project, scope)
    in_scope = sources.ids_in_scope(project, scope)
    allowed = None if in_scope is None else set(in_scope)
    spans: dict[int, list[tuple[int, int]]] | None = None
    if scope.code is not None:
        spans = {}
        for row in codings.query(project, Scope(code=scope.code), descendants=True):
            spans.setdefault(row["source_id"], []).append((row["start"], row["end"]))
        for coded in spans.values():
            coded.sort()
        inside = set(spans)
        allowed = inside if allowed is None else allowed & inside
    return _Scope(allowed, spans, fold_variants)


def search(
    project: Project,
    query: str,
    scope: Scope | None = None,
    *,
    fold_variants: bool = False,
    limit: int | None = None,
    context: int = DEFAULT_CONTEXT,
    with_hits: bool = True,
    progress: Callable[[int, int], None] | None = None,
    **narrow: Unpack[Narrowing],
) -> SearchResult:
    """Run a query (see :mod:`fieldcase.text.query`) over the sources in scope (a code
    keeps the hits inside text coded with it or its sub-codes; a coder is not looked at).

    ``limit`` caps the hits (``None``: all of them); ``with_hits=False`` returns only the
    matching sources, which needs no source text for most queries.
    """
    from fieldcase.store import search_index

    node = q.parse(query)
    search_index.sync(project, progress=progress)
    run = _Search(project, _scope(project, fold_variants, Scope.of(scope, **narrow)))
    ids = sorted(run.evaluate(node))
    if not with_hits:
        return SearchResult(ids)
    hits, complete = run.hits(ids, q.positive_terms(node), limit, context)
    return SearchResult(ids, hits, complete)


def search_all(project: Project, query: str, scope: Scope | None = None, *, context: int = DEFAULT_CONTEXT,
               fold_variants: bool = False, **narrow: Unpack[Narrowing]) -> tuple[list[int], Iterator[Hit]]:
    """Every hit of a query, as :func:`search` with no limit finds them, but one at a time
    (the matching sources first): for writing them all out in bounded memory."""
    from fieldcase.store import search_index

    node = q.parse(query)
    search_index.sync(project)
    run = _Search(project, _scope(project, fold_variants, Scope.of(scope, **narrow)), keep=False)
    ids = sorted(run.evaluate(node))
    return ids, run.each_hit(ids, q.positive_terms(node), context)
