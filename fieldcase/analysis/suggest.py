"""Coding suggestions over a project: the codes' keywords matched in the sources in scope,
less what is coded or was decided already, stored as the open suggestions.

The matching itself is :mod:`fieldcase.text.suggest`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import CancelledError, InputError
from fieldcase.text.fold import fold
from fieldcase.text.suggest import UNITS, Matcher, Suggestion, suggest_text

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def suggest(
    project: Project,
    scope: Scope | None = None,
    *,
    unit: str = "sentence",
    min_score: float = 0.0,
    interviewer: bool = False,
    store: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    **narrow: Unpack[Narrowing],
) -> list[Suggestion]:
    """Suggest spans to code in the sources in scope, for every code with keywords (or the
    scope's codes and their sub-codes). Spans already coded with the code, suggestions
    rejected before and (unless ``interviewer``) the interviewer's turns are left out. With
    ``store`` they replace the open suggestions."""
    from fieldcase.store import codes as store_codes
    from fieldcase.store import scoping, sources, suggestions

    from fieldcase.store.scoping import with_set_codes

    scope = with_set_codes(project, Scope.of(scope, **narrow))
    if unit not in UNITS:
        raise InputError(f"suggest by sentence, turn or paragraph, not {unit!r}")
    code_rows = store_codes.tree(project)
    if scope.code is not None:
        wanted = set(scoping.code_ids(project, scope))
        code_rows = [c for c in code_rows if c["id"] in wanted]
    keywords: dict[str, list[int]] = {}
    for row in code_rows:
        for keyword in row["keywords"]:
            folded = fold(keyword.strip(), variants=True)
            if folded and row["id"] not in keywords.setdefault(folded, []):
                keywords[folded].append(row["id"])
    matcher = Matcher(keywords)
    keys = {row["id"]: row["key"] for row in code_rows}
    ids = sources.ids_in_scope(project, scope)
    if ids is None:
        ids = sources.all_ids(project)
    known = suggestions.known(project, ids, list(keys))
    found: list[Suggestion] = []
    for done in range(0, len(ids), 50):
        if cancel is not None and cancel.is_set():
            raise CancelledError("suggesting cancelled; nothing was stored")
        for source_id, text, turns in sources.texts_and_turns(project, ids[done : done + 50]):
            for s in suggest_text(source_id, text, turns, matcher, keys, unit, interviewer=interviewer):
                if s.score >= min_score and not known.excludes(s.source_id, s.code_id, s.start, s.end, s.quote):
                    found.append(s)
        if progress is not None:
            progress(min(done + 50, len(ids)), len(ids))
    if store:
        fresh = suggestions.replace_open(project, ids, list(keys), [s.row() for s in found])
        for s in found:
            s.new = (s.source_id, s.code_id, s.start, s.end) in fresh
    return found
