"""Applying pseudonyms at export time: to text in every spelling of a listed name, to
speaker labels, to code keys spelt from names, and to a whole template context."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from fieldcase.coding.key_names import KeyNames, name_slug
from fieldcase.text.spellings import NameFinder

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.store.pseudonyms import Form

K = TypeVar("K")
V = TypeVar("V")

# Fields of export rows and template contexts that hold code keys (``path``: a list of them).
KEY_FIELDS = frozenset({"key", "parent_key", "code", "code_key", "path"})
# Fields that name no one and must stay as they are (a code's GUID links it across tools).
KEEP_FIELDS = frozenset({"uuid", "color", "text_sha256", "file_sha256"})


def first(pairs: Iterable[tuple[K, V]]) -> dict[K, V]:
    """A dict of ``pairs`` where the first pair of a key wins (a listed name before a form
    derived from another)."""
    out: dict[K, V] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


class Pseudonyms:
    """What an export prints instead of each listed name; calling it renames a text."""

    def __init__(self, forms: list[Form]) -> None:
        self.forms = forms
        self._pseudonym = first(((f.text, f.label), f.pseudonym) for f in forms)
        self.finder = NameFinder([f.text for f in forms if not f.label], standalone=[f.text for f in forms if f.label])
        self.keys = KeyNames(first((f.text, name_slug(f.pseudonym)) for f in forms if not f.label))
        self._done: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.forms)

    def __call__(self, text: str) -> str:
        """``text`` with every listed name, in any spelling, replaced by its pseudonym."""
        if not text or not self.forms:
            return text
        done = self._done.get(text)
        if done is None:
            done = self.finder.replace(text, lambda hit: self._pseudonym[hit.name, hit.standalone])
            if len(text) <= 200:  # titles, names, dates repeat in every citation
                self._done[text] = done
        return done

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        """Where :meth:`__call__` replaces a name in ``text``: ``(start, end, pseudonym)``, in
        order (for an export that must move offsets into the text with it)."""
        if not text or not self.forms:
            return []
        return [(hit.start, hit.end, self._pseudonym[hit.name, hit.standalone]) for hit in self.finder.find(text)]

    def key(self, key: str) -> str:
        """A code key with any name spelt in it replaced (``…woshizhangsan`` → ``…woshih``)."""
        return self.keys.replace(key, lambda slug: slug) if key and self.forms else key

    def deep(self, value: Any, field: str | None = None) -> Any:
        """Every string in a template context or export row renamed: keys as keys, the
        rest as text; dicts and lists walked (their field names are kept)."""
        if field in KEEP_FIELDS:
            return value
        if isinstance(value, str):
            return self.key(value) if field in KEY_FIELDS else self(value)
        if isinstance(value, dict):
            return {k: self.deep(v, k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.deep(v, field) for v in value]
        return value


def renamer(project: Project, *, enabled: bool = True) -> Pseudonyms:
    """The project's pseudonyms (none with ``enabled=False``), to call on any text."""
    from fieldcase.store import pseudonyms

    return Pseudonyms(pseudonyms.forms(project) if enabled else [])



def variants(project: Project, real: str, *, limit: int = 20) -> list[dict[str, object]]:
    """Other ways ``real`` is written, to confirm (:func:`fieldcase.reports.name_variants.variants`)."""
    from fieldcase.reports.name_variants import variants as found

    return found(project, real, limit=limit)
