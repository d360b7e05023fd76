"""What part of a project an operation looks at: one value for every narrowing option.

A :class:`Scope` names sites, cases, sources, codes and coders as the researcher wrote
them (a name, a key, an id); the store resolves them and turns a scope into SQL
(``fieldcase.store.scoping``), so search, word counts, suggestions, codings and the
tables all narrow alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypedDict, Unpack

Ref = str | int  # a name, key, title, UUID or id, as the store's ``find`` takes it

# The scope's fields as readers read them, in the order they are described.
LABELS = {"site": "site", "case": "case", "kind": "kind", "source": "source", "date_from": "from",
          "date_to": "to", "code": "code", "coder": "coder", "source_set": "source-set", "code_set": "code-set"}
SOURCE_FIELDS = ("site", "case", "kind", "source", "date_from", "date_to", "source_set")  # these pick sources


class Narrowing(TypedDict, total=False):
    """A scope's fields as keyword arguments (``search(project, q, site="X village")``)."""

    site: Ref | None
    case: Ref | None
    kind: str | None
    source: Ref | None
    date_from: str | None
    date_to: str | None
    code: Ref | Sequence[Ref] | None
    coder: str | None
    source_set: Ref | None
    code_set: Ref | None


@dataclass(frozen=True)
class Scope:
    """Sources of a site, linked to a case, of a kind, one source, dated within
    ``[date_from, date_to]``, in a source set; text coded with a code (one or several, each
    with its sub-codes where the operation says so) or with a code of a code set; codings by
    a coder. ``None``: not narrowed."""

    site: Ref | None = None
    case: Ref | None = None
    kind: str | None = None
    source: Ref | None = None
    date_from: str | None = None
    date_to: str | None = None
    code: Ref | Sequence[Ref] | None = None  # several are held as a tuple
    coder: str | None = None
    source_set: Ref | None = None
    code_set: Ref | None = None

    def __post_init__(self) -> None:
        """Hold several codes as a tuple, so that the scope stays hashable."""
        if self.code is not None and not isinstance(self.code, (str, int)):
            object.__setattr__(self, "code", tuple(self.code))

    @classmethod
    def of(cls, scope: Scope | None = None, **narrow: Unpack[Narrowing]) -> Scope:
        """``scope`` (or the whole project) with the given fields set."""
        base = scope if scope is not None else cls()
        return replace(base, **narrow) if narrow else base

    def items(self) -> Iterator[tuple[str, Ref | Sequence[Ref]]]:
        """``(field, value)`` of each field that narrows, in field order."""
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                yield f.name, value

    @property
    def is_empty(self) -> bool:
        """Whether nothing narrows: the whole project."""
        return next(self.items(), None) is None

    @property
    def narrows_sources(self) -> bool:
        """Whether a field that picks sources (not code, code set or coder) is given."""
        return any(getattr(self, name) is not None for name in SOURCE_FIELDS)

    @property
    def codes(self) -> tuple[Ref, ...]:
        """The codes given, as a tuple (empty when none)."""
        if self.code is None:
            return ()
        return (self.code,) if isinstance(self.code, (str, int)) else tuple(self.code)

    def sources_only(self) -> Scope:
        """The same sources, without code, code set or coder."""
        return replace(self, code=None, coder=None, code_set=None)

    def without(self, *names: str) -> Scope:
        """The same scope with the named fields cleared."""
        return replace(self, **dict.fromkeys(names))

    def describe(self) -> str:
        """The scope as a message says it: ``site=X village kind=interview`` (``everything`` when empty)."""
        parts = [f"{LABELS[name]}={'、'.join(map(str, value)) if isinstance(value, tuple) else value}"
                 for name, value in self.items()]
        return " ".join(parts) or "everything"


def parse(text: str, names: Sequence[str] = tuple(LABELS.values())) -> Scope:
    """``site=X village kind=interview`` as a scope, as :meth:`Scope.describe` writes one (a
    value runs to the next ``name=``); ``names``: the labels allowed. A ValueError says
    what is not ``name=value``."""
    import re

    field_of = {label: name for name, label in LABELS.items()}
    given: dict[str, str] = {}
    parts = re.split(r"\s*\b(" + "|".join(names) + r")=", " " + text.strip())
    if parts[0].strip():
        raise ValueError(f"scope: {parts[0].strip()!r} is not name=value (names: {', '.join(names)})")
    for name, value in zip(parts[1::2], parts[2::2]):
        if not value.strip():
            raise ValueError(f"scope: {name}= needs a value")
        given[field_of[name]] = value.strip()
    return Scope(**given)
