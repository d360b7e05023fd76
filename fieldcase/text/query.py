"""Search queries: words and quoted phrases joined by AND, OR, NOT and parentheses.

``返乡 青年`` means both (AND is implied); ``"rural pull"`` is one phrase, spaces and
all; ``NOT`` binds tightest, then ``AND``, then ``OR``. The operators are upper-case
English words, so a lower-case "and" or "or" is searched for like any other word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldcase.errors import InputError


@dataclass(frozen=True)
class Term:
    """Text to find, exactly as written (a word or a quoted phrase)."""

    text: str


@dataclass(frozen=True)
class Not:
    """Texts that do not hold the inner query."""

    inner: Node


@dataclass(frozen=True)
class All:
    """Texts that hold every part."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    """Texts that hold at least one part."""

    parts: tuple[Node, ...]


Node = Term | Not | All | Any_

_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(\()|(\))|([^\s()"]+))')
_OPERATORS = {"AND", "OR", "NOT"}


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: ``term``, ``op`` or ``paren``."""
    out: list[tuple[str, str]] = []
    pos = 0
    query = query.rstrip()
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        if match is None:
            raise InputError(f"search query {query!r}: a quote is not closed")
        phrase, opening, closing, word = match.groups()
        if phrase is not None:
            if phrase:
                out.append(("term", phrase.replace('""', '"')))
        elif opening or closing:
            out.append(("paren", opening or closing))
        elif word in _OPERATORS:
            out.append(("op", word))
        else:
            out.append(("term", word))
        pos = match.end()
    return out


def parse(query: str) -> Node:
    """Parse a query into a tree; a clear error for an empty or malformed query."""
    tokens = _tokens(query)
    if not tokens:
        raise InputError("search query is empty")
    node, rest = _or(tokens, query)
    if rest:
        raise InputError(f"search query {query!r}: unexpected {rest[0][1]!r}")
    return node


def _or(tokens: list[tuple[str, str]], query: str) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _and(tokens, query)
    parts.append(node)
    while tokens and tokens[0] == ("op", "OR"):
        node, tokens = _and(tokens[1:], query)
        parts.append(node)
    return (parts[0] if len(parts) == 1 else Any_(tuple(parts))), tokens


def _and(tokens: list[tuple[str, str]], query: str) -> tuple[Node, list[tuple[str, str]]]:
    parts = []
    node, tokens = _not(tokens, query)
    parts.append(node)
    while tokens and tokens[0] != ("op", "OR") and tokens[0] != ("paren", ")"):
        if tokens[0] == ("op", "AND"):
            tokens = tokens[1:]
        node, tokens = _not(tokens, query)
        parts.append(node)
    return (parts[0] if len(parts) == 1 else All(tuple(parts))), tokens


def _not(tokens: list[tuple[str, str]], query: str) -> tuple[Node, list[tuple[str, str]]]:
    if not tokens:
        raise InputError(f"search query {query!r}: ends where a word was expected")
    kind, value = tokens[0]
    if (kind, value) == ("op", "NOT"):
        inner, rest = _not(tokens[1:], query)
        return Not(inner), rest
    if kind == "term":
        return Term(value), tokens[1:]
    if (kind, value) == ("paren", "("):
        inner, rest = _or(tokens[1:], query)
        if not rest or rest[0] != ("paren", ")"):
            raise InputError(f"search query {query!r}: a parenthesis is not closed")
        return inner, rest[1:]
    raise InputError(f"search query {query!r}: unexpected {value!r}")


def positive_terms(node: Node, negated: bool = False) -> list[str]:
    """The terms whose places are hits (those not under a NOT), in query order."""
    if isinstance(node, Term):
        return [] if negated else [node.text]
    if isinstance(node, Not):
        return positive_terms(node.inner, not negated)
    return [t for part in node.parts for t in positive_terms(part, negated)]
