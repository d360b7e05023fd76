"""Taking a set from another tool's file (a ``.qdc``'s or a ``.qdpx``'s ``<Set>``) into the
project: matched by GUID, then by name among the sets of its kind, else added; its members
added to it once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.store import sets

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter

Known = dict[str, tuple[int, str, str]]  # UUID -> (id, kind, name): see sets.by_uuid


def take_set(w: ChangeWriter, kind: str, uuid: str | None, name: str, description: str | None,
             member_ids: list[int], known: Known) -> bool:
    """Put ``member_ids`` in the project's set that this one is, making it if needed, within
    ``w``'s change; ``known`` is kept up to date. Says whether the set is new."""
    project = w.project
    found = known.get(uuid or "")
    set_id = found[0] if found is not None and found[1] == kind else None
    if set_id is None:
        named = [v[0] for v in known.values() if v[1] == kind and v[2].lower() == name.strip().lower()]
        set_id = named[0] if named else None
    added = set_id is None
    if set_id is None:
        free = uuid if uuid and uuid not in known else None
        set_id = sets.add(project, kind, name, description=description, uuid=free, writer=w)
        known[free or f"#{set_id}"] = (set_id, kind, name.strip())
    sets.add_members(project, set_id, member_ids, writer=w)
    return added
