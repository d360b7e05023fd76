"""Storing text typed into fieldcase (the TUI's new-source form), like an imported file."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, check_options, prepare_text, store_prepared
from fieldcase.store import sources
from fieldcase.text.normalize import text_hash

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def store_typed(
    project: Project,
    text: str,
    options: ImportOptions,
    case_names: list[str],
) -> int:
    """Store typed text as a source; sites and cases named in the form are created."""
    site = options.site
    # a typed site may be new: created below, not required to exist (the caller's options stay as they are)
    checked, _ = check_options(project, dataclasses.replace(options, site=None))
    checked.site = site
    prepared = prepare_text("untitled", text, None, checked, [])
    prepared.site = site or prepared.site
    if checked.date:  # the form's date field wins over a date line in the text
        prepared.fields["date"] = checked.date
    if checked.place:  # as its place field wins over a place line
        prepared.fields["place"] = checked.place
    prepared.case_names = list(dict.fromkeys([*prepared.case_names, *case_names]))
    prepared.fields["text_sha256"] = text_hash(prepared.fields["text"])
    twin = sources.duplicate_of(project, prepared.fields["text_sha256"])
    if twin:
        raise InputError(f"source {twin['id']} ({twin['title']}) already has exactly this text")
    prepared.fields.setdefault("encoding", "typed")
    # store_prepared opens its own change group, which joins the caller's transaction.
    source_id, _ = store_prepared(project, prepared, action="source.typed", verb="Typed")
    return source_id
