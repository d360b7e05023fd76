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
from itertools import accumulate, repeat
from operator import add, sub
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from fieldcase.text import query as q
from fieldcase.text.fold import fold, fold_case, variant_class
from fieldcase.text.grams import match_expression, variant_expression

if TYPE_CHECKING:
    from fieldcase.store.project import Project

DEFAULT_CONTEXT = 30


class Hit:
    """One place a term was found: ``text[start:end]`` of a source; its context is cut
    from the text only when asked for, so a query with 50,000 hits stays cheap."""

    __slots__ = ("source_id", "start", "end", "term", "_text", "_width")

    def __init__(self, source_id: int, start: int, end: int, term: str, text: str, width: int) -> None:
        self.source_id, self.start, self.end, self.term = source_id, start, end, term
        self._text, self._width = text, width

    @property
    def match(self) -> str:
        """The text found, as stored (case and variants as written there)."""
        return self._text[self.start : self.end]

    @property
    def left(self) -> str:
        """Up to the context width of text before the match, on one line."""
        return _flat(self._text[max(0, self.start - self._width) : self.start])

    @property
    def right(self) -> str:
        """Up to the context width of text after the match, on one line."""
        return _flat(self._text[self.end : self.end + self._width])

    @property
    def context(self) -> str:
        """A keyword-in-context line: the match in brackets between its neighbours."""
        return f"{self.left}【{self.match}】{self.right}"

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON-ready data, with its context line."""
        return {"source_id": self.source_id, "start": self.start, "end": self.end, "term": self.term,
                "left": self.left, "match": self.match, "right": self.right, "context": self.context}

    def __repr__(self) -> str:
        return f"Hit({self.source_id}, {self.start}, {self.end}, {self.term!r})"


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

    def __init__(self, project: Project, scope: _Scope) -> None:
        self.project = project
        self.scope = scope
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
        for source_id, (text, folded) in search_index.folded_texts(self.project, sorted(missing)).items():
            self._raw[source_id] = text
            self._folded[source_id] = fold(folded, variants=True) if self.scope.fold_variants else folded

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
            self.load(candidates)
            candidates = {i for i in candidates if self.places(i, folded)}
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
            if len(folded_terms) == 1:
                folded, term = folded_terms[0]
                starts = self.places(source_id, folded)
                out.add(source_id, self._raw[source_id], starts, [len(folded)], [term])
            else:
                here = sorted((at, at + len(folded), term) for folded, term in folded_terms
                              for at in self.places(source_id, folded))
                out.add(source_id, self._raw[source_id], [h[0] for h in here],
                        [h[1] - h[0] for h in here], [h[2] for h in here])
            if limit is not None and len(out) >= limit:
                return out.cut(limit), len(out) == limit and source_id == ids[-1]
        return out, True


class Hits(Sequence[Hit]):
    """The hits of a search, stored as offsets per source; a :class:`Hit` is made only
    when one is looked at, so counting or paging 50,000 hits stays cheap."""

    def __init__(self, context: int) -> None:
        self.context = context
        self._blocks: list[tuple[int, str, list[int], list[int], list[str]]] = []
        self._ends: list[int] = []  # running total of hits after each block

    def add(self, source_id: int, text: str, starts: list[int], lengths: list[int], terms: list[str]) -> None:
        """Add a source's hits: starts in order, with one length and term or one per hit."""
        if starts:
            self._blocks.append((source_id, text, starts, lengths, terms))
            self._ends.append((self._ends[-1] if self._ends else 0) + len(starts))

    def cut(self, limit: int) -> Hits:
        """The first ``limit`` hits."""
        kept = Hits(self.context)
        for block in self._blocks:
            room = limit - len(kept)
            if room <= 0:
                break
            source_id, text, starts, lengths, terms = block
            one = len(lengths) == 1
            kept.add(source_id, text, starts[:room], lengths if one else lengths[:room], terms if one else terms[:room])
        return kept

    def offsets(self) -> Iterator[tuple[int, int, int]]:
        """``(source_id, start, end)`` of every hit, without making hit objects."""
        for source_id, _, starts, lengths, _ in self._blocks:
            if len(lengths) == 1:
                n = lengths[0]
                yield from ((source_id, at, at + n) for at in starts)
            else:
                yield from ((source_id, at, at + n) for at, n in zip(starts, lengths))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        b = bisect_right(self._ends, index)
        source_id, text, starts, lengths, terms = self._blocks[b]
        i = index - (self._ends[b - 1] if b else 0)
        one = len(lengths) == 1
        start = starts[i]
        return Hit(source_id, start, start + lengths[0 if one else i], terms[0 if one else i], text, self.context)

    def __iter__(self) -> Iterator[Hit]:
        for source_id, text, starts, lengths, terms in self._blocks:
            one = len(lengths) == 1
            for i, start in enumerate(starts):
                yield Hit(source_id, start, start + lengths[0 if one else i], terms[0 if one else i], text,
                          self.context)


def find_all(text: str, term: str) -> list[int]:
    """Every start of ``term`` in ``text``, overlapping ones included."""
    n = len(term)
    if n and not _has_border(term):
        # No occurrence can overlap another, so splitting finds them all (in C).
        parts = text.split(term)
        if len(parts) == 1:
            return []
        return list(map(sub, accumulate(map(add, map(len, parts[:-1]), repeat(n))), repeat(n)))
    found, at = [], text.find(term)
    while at != -1:
        found.append(at)
        at = text.find(term, at + 1)
    return found


def _has_border(term: str) -> bool:
    """Whether a proper prefix of ``term`` is also its suffix (so matches may overlap)."""
    return any(term[:k] == term[-k:] for k in range(1, len(term)))


def _flat(text: str) -> str:
    return " ".join(text.split("\n")).replace("\r", "").replace("\t", " ")


def _scope(project: Project, fold_variants: bool, code: str | int | None, **narrow: Any) -> _Scope:
    from fieldcase.store import codings, sources

    allowed = sources.ids_in_scope(project, **narrow)
    spans = None
    if code is not None:
        spans = {}
        for row in codings.query(project, code=code, descendants=True):
            spans.setdefault(row["source_id"], []).append((row["start"], row["end"]))
        for coded in spans.values():
            coded.sort()
        inside = set(spans)
        allowed = inside if allowed is None else set(allowed) & inside
    return _Scope(None if allowed is None else set(allowed), spans, fold_variants)


def search(
    project: Project,
    query: str,
    *,
    site: str | int | None = None,
    case: str | int | None = None,
    kind: str | None = None,
    source: str | int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    code: str | int | None = None,
    fold_variants: bool = False,
    limit: int | None = None,
    context: int = DEFAULT_CONTEXT,
    with_hits: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SearchResult:
    """Run a query (see :mod:`fieldcase.text.query`) over the sources in scope.

    ``limit`` caps the hits (``None``: all of them); ``with_hits=False`` returns only the
    matching sources, which needs no source text for most queries.
    """
    from fieldcase.store import search_index

    node = q.parse(query)
    search_index.sync(project, progress=progress)
    run = _Search(project, _scope(project, fold_variants, code, site=site, case=case, kind=kind,
                                  source=source, date_from=date_from, date_to=date_to))
    ids = sorted(run.evaluate(node))
    if not with_hits:
        return SearchResult(ids)
    hits, complete = run.hits(ids, q.positive_terms(node), limit, context)
    return SearchResult(ids, hits, complete)
