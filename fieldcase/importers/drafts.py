"""Turning a draft typed in the TUI (:mod:`fieldcase.store.drafts`) into a source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions
from fieldcase.importers.typed import store_typed
from fieldcase.store import drafts
from fieldcase.text.names import split_names

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def finish(project: Project, draft_id: int) -> int:
    """Store a draft as a new source (its site and cases created if needed); returns its id."""
    draft = drafts.get(project, draft_id)
    if not draft["text"].strip():
        raise InputError("the draft has no text yet")
    fields = draft["fields"]
    options = ImportOptions(
        site=fields.get("site") or None,
        kind=fields.get("kind") or None,
        date=fields.get("date") or None,
        interviewer=fields.get("interviewer") or None,
        title=fields.get("title") or None,
        place=fields.get("place") or None,
        language=fields.get("language") or None,
        consent=fields.get("consent") or None,
    )
    cases = split_names(str(fields.get("cases") or ""))
    with project.transaction():  # the source and the draft's end are one transaction
        source_id = store_typed(project, draft["text"], options, cases)
        drafts.discard(project, draft_id)
    return source_id
