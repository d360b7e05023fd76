"""The shapes of the rows the store hands to the other layers: codes and the code tree,
codings, sources and their turns.

Each type has exactly the keys its query returns. A ``…Record`` is a whole table row
(``SELECT *``); the others are the joined or computed rows of one function, named there.
Keys a function adds only when asked are ``NotRequired``.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class CodeRecord(TypedDict):
    """A row of ``codes``, as :func:`fieldcase.store.codes.find` returns it."""

    id: int
    uuid: str
    key: str
    parent_id: int | None
    position: int
    name_zh: str | None
    name_en: str | None
    description: str | None
    inclusion: str | None
    exclusion: str | None
    example: str | None
    color: str | None
    keywords: str  # a JSON array of words
    origin: str
    created_at: str
    created_by: str
    modified_at: str
    modified_by: str


class CodeNode(TypedDict):
    """One code of :func:`fieldcase.store.codes.tree`, depth-first, with its counts."""

    id: int
    uuid: str
    key: str
    parent_key: str | None
    depth: int
    path: list[str]  # the keys from the top code down to this one
    name_zh: str | None
    name_en: str | None
    color: str | None
    description: str | None
    inclusion: str | None
    exclusion: str | None
    example: str | None
    keywords: list[str]
    origin: str
    codings: int
    sources: int
    total_codings: int  # with the codings of its descendants


class CodingRecord(TypedDict):
    """A row of ``codings``, as :func:`fieldcase.store.codings.find` returns it."""

    id: int
    uuid: str
    source_id: int
    code_id: int
    start_offset: int
    end_offset: int
    coder: str
    memo: str | None
    quote: str
    context_before: str
    context_after: str
    status: str  # active or orphaned
    created_at: str
    created_by: str
    modified_at: str
    modified_by: str


class Coding(TypedDict):
    """A coded segment as :func:`fieldcase.store.codings.query` returns it."""

    id: int
    source_id: int
    source_title: str
    code_key: str
    code_name_zh: str | None
    code_name_en: str | None
    start: int
    end: int
    text: str  # the stored quote: the span of the source's text
    coder: str
    memo: str | None
    status: str
    # with_context
    context_before: NotRequired[str]
    context_after: NotRequired[str]
    # with_cases (or when narrowed to a case): see fieldcase.coding.speakers.Attribution
    case_ids: NotRequired[tuple[int, ...]]
    basis: NotRequired[str]
    speaker: NotRequired[str | None]
    opened_by: NotRequired[str | None]


class SourceRecord(TypedDict):
    """A row of ``sources`` with its text, as :func:`fieldcase.store.sources.find` returns it."""

    id: int
    uuid: str
    kind: str
    title: str
    date: str | None
    place: str | None
    interviewer: str | None
    language: str | None
    consent: str | None
    site_id: int | None
    original_filename: str | None
    file_sha256: str | None
    encoding: str | None
    text: str
    text_sha256: str
    chars: int
    turns: str  # JSON, see fieldcase.store.sources.encode_turns
    created_at: str
    created_by: str
    modified_at: str
    modified_by: str


class TurnRow(TypedDict):
    """A speaker turn as :func:`fieldcase.store.sources.decode_turns` reads it."""

    seq: int
    speaker: str
    start: int
    speech: int  # where the words start, after the label
    end: int
    timestamp: str | None


class _SourceMeta(TypedDict):
    """What :func:`fieldcase.store.sources.list_all` and ``get`` share."""

    id: int
    uuid: str
    title: str
    kind: str
    date: str | None
    place: str | None
    interviewer: str | None
    language: str | None
    consent: str | None
    site_id: int | None
    site: str | None  # the site's name
    chars: int
    encoding: str | None
    original_filename: str | None
    file_sha256: str | None
    text_sha256: str
    created_at: str
    created_by: str
    modified_at: str
    cases: list[str]  # the names of its cases, sorted


class SourceListing(_SourceMeta):
    """A source without its text, as :func:`fieldcase.store.sources.list_all` lists it."""

    turns: int  # how many


class SourceLabel(TypedDict):
    """What a quote is cited by: its source's title, kind, date and site, as
    :func:`fieldcase.store.sources.labels` gives them."""

    id: int
    title: str
    kind: str
    date: str | None
    site: str | None  # the site's name


class SourceDetails(_SourceMeta):
    """One source as :func:`fieldcase.store.sources.get` returns it."""

    turns: list[TurnRow]
    attributes: dict[str, Any]
    text: NotRequired[str]  # unless with_text=False
