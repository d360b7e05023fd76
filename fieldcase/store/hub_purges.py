"""A purge as the team hub sees it: what one of this project's purges erased, by lasting key
(for the hub to scrub), and a purge another member made, applied here as the same change."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import purge

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.store.purge import Outcome, Plan

_HISTORY = re.compile(r"^Purged the earlier versions of source (\d+)\b")
_ERASED = ("sources", "cases", "codes")


def own_purges(project: Project) -> list[str]:
    """The UUIDs of the purges in this project's log, oldest first."""
    return [r[0] for r in project.conn.execute("SELECT uuid FROM change_groups WHERE action = 'purge' ORDER BY id")]


def erased(project: Project, group_uuid: str) -> tuple[dict[str, list[str]], list[str]]:
    """What this project's purge ``group_uuid`` erased, by uuid (``sources``, ``cases``,
    ``codes``; ``history``: sources whose earlier texts went), and the keyed fingerprints
    it recorded of the texts (never a plain hash)."""
    found = project.conn.execute("SELECT id, summary FROM change_groups WHERE uuid = ?", [group_uuid]).fetchone()
    if found is None:
        return {}, []
    group_id, summary = found
    out: dict[str, list[str]] = {table: [] for table in (*_ERASED, "history")}
    for table, row_uuid in project.conn.execute(
        "SELECT table_name, row_uuid FROM changes WHERE group_id = ? AND op = 'delete' AND row_uuid IS NOT NULL"
        " AND coalesce(json_extract(before, '$.purged'), 0) = 1 ORDER BY id", [group_id],
    ):
        if table in _ERASED:
            out[table].append(row_uuid)
    history = _HISTORY.match(summary or "")
    if history:
        out["history"].append(_uuid_of(project, "sources", int(history.group(1))))
    fingerprints = [r[0] for r in project.conn.execute(
        "SELECT fingerprint FROM purged_texts WHERE change_id = ? ORDER BY fingerprint", [group_id])]
    return {k: [u for u in v if u] for k, v in out.items()}, fingerprints


def apply_pulled(project: Project, group_uuid: str, targets: list[tuple[str, str]]) -> Outcome | None:
    """Erase here what another member's purge ``group_uuid`` erased there (``targets``: kind
    and uuid, as the hub records them), as one purge with that group's UUID, so that the
    two are one change to every copy. No backup is made: it would keep the words. None
    when this project holds nothing of it."""
    from fieldcase.store.source_purge import plan_history, plan_source
    from fieldcase.store.withdrawal import plan_case

    planners: list[Callable[[Project], Plan]] = []
    for kind, uuid in sorted(targets, key=lambda t: ("case", "source", "history").index(t[0])):
        table = "cases" if kind == "case" else "sources"
        row_id = _id_of(project, table, uuid, stored=kind != "source")
        planner = partial({"case": plan_case, "source": plan_source, "history": plan_history}[kind], ref=str(row_id))
        try:
            if row_id is not None and planner(project):  # (asked first: what cannot be purged here is left out)
                planners.append(planner)
        except (InputError, NotFoundError):
            continue  # purged here already
    if not planners:
        return None

    def everything(p: Project) -> Plan:
        plan = planners[0](p)
        for more in planners[1:]:
            plan.join(more(p))
        return plan

    return purge.run(project, everything, backup=False, group_uuid=group_uuid)


def _id_of(project: Project, table: str, uuid: str, *, stored: bool) -> int | None:
    """The id of ``table``'s row with this uuid: stored now, or (unless ``stored``) one the
    change log still knows."""
    found = project.conn.execute(f'SELECT id FROM "{table}" WHERE uuid = ?', [uuid]).fetchone()
    if found is None and not stored:
        found = project.conn.execute(
            "SELECT row_id FROM changes WHERE table_name = ? AND row_uuid = ? LIMIT 1", [table, uuid]).fetchone()
    return None if found is None else int(found[0])


def _uuid_of(project: Project, table: str, row_id: int) -> str:
    found = project.conn.execute(f'SELECT uuid FROM "{table}" WHERE id = ?', [row_id]).fetchone()
    return "" if found is None else str(found[0])
