"""``fieldcase sync``: the team's work from the hub into this project, this project's to the hub.

The hub is one more copy of the project: its state tables and the history of every group
pushed to it. A sync holds the hub's lock from start to end, reads the hub as a copy, merges
it into the project by the same rules as ``fieldcase merge`` (conflicts listed here), then
pushes every group of the project the hub lacks — the merge's own among them — with the
rows they touched as they stand now, and the conflicts found or settled here that the hub
lacks, taking in the hub's (:mod:`fieldcase.exchange.shared_conflicts`). A sync stopped
anywhere and run again loses and doubles nothing: the project's merge commits first; the
hub's writes are one transaction, and what the hub lacks is asked again by UUID.

A purge is the one change that reaches back: before anything is pulled, the project's purges
the hub lacks scrub the hub (its rows, texts and the words in its history, see the hub's
migration 0005), so the pull cannot hand the words back; and every purge of another member
the project lacks is carried out here first, as the same change group, whether or not the
member may push.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.exchange.merge import MergeReport, merge_copy
from fieldcase.exchange.shared_conflicts import Shared, share
from fieldcase.hubstore import sync as hub
from fieldcase.hubstore.errors import HubWriteRefusedError
from fieldcase.store import hub_link, hub_purges, merging
from fieldcase.store.changes import now
from fieldcase.store.merging import JOINS, MEMO_TARGETS, TABLES, Copy, Entry

if TYPE_CHECKING:
    from fieldcase.hubstore.sync import HubConnection
    from fieldcase.store.project import Project


@dataclass
class SyncReport:
    """What a sync pulled (the merge's report) and pushed."""

    hub: str
    pulled: MergeReport
    pushed_groups: int = 0
    pushed_rows: dict[str, int] = field(default_factory=dict)
    read_only: bool = False
    scrubbed: int = 0  # this project's purges scrubbed from the hub
    purged: list[dict[str, Any]] = field(default_factory=list)  # others' purges carried out here
    conflicts: Shared = field(default_factory=Shared)  # the team's conflicts pushed and taken in

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def hub_column(table: str, column: str) -> str:
    """The hub's name of a project column holding a row id (``site_id`` → ``site_uuid``)."""
    if column == "target_id":
        return "target_uuid"
    if column == "variant_of":
        return "variant_uuid"
    return column[: -len("_id")] + "_uuid"


def _foreign(table: str, row: dict[str, Any]) -> dict[str, str]:
    found = dict(TABLES[table])
    if table == "memos" and row.get("target_type") in MEMO_TARGETS:
        found["target_id"] = MEMO_TARGETS[str(row["target_type"])]
    return found


# how one row's columns become the hub's: (column, hub column, the keys of the table it points into)
_Plan = list[tuple[str, str, "dict[int, str] | None"]]


def _plan(copy: Copy, table: str, row: dict[str, Any], columns: set[str]) -> _Plan:
    """How rows shaped like ``row`` go to the hub (worked out once for many rows)."""
    foreign = _foreign(table, row)
    plan: _Plan = []
    for column in row:
        if column == "id" or (table == "sources" and column == "text"):
            continue
        if column in foreign or (table == "memos" and column == "target_id"):
            name, target = hub_column(table, column), foreign.get(column)
            if name in columns:
                plan.append((column, name, copy.uuids.get(target, {}) if target else {}))
        elif column in columns:
            plan.append((column, column, None))
    return plan


def _converted(plan: _Plan, key: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": key}
    for column, name, keys in plan:
        value = row[column]
        out[name] = value if keys is None else (None if value is None else keys.get(value))
    return out


def to_hub(copy: Copy, table: str, key: str, row: dict[str, Any], columns: set[str]) -> dict[str, Any]:
    """A project row as the hub keeps it: keyed by its lasting key, ids as keys."""
    out = _converted(_plan(copy, table, row, columns), key, row)
    return {k: v for k, v in out.items() if k in columns}


def hub_rows(copy: Copy, table: str, rows: list[tuple[str, dict[str, Any]]], columns: set[str]) -> list[dict[str, Any]]:  # noqa: E501
    """:func:`to_hub` for many rows of one table, each shape of row worked out once."""
    plans: dict[tuple[Any, ...], _Plan] = {}
    out = []
    for key, row in rows:
        shape = (row.get("target_type"), *row) if table == "memos" else tuple(row)
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = _plan(copy, table, row, columns)
        out.append(_converted(plan, key, row))
    return out


def hub_copy(conn: HubConnection, unknown_to: set[str]) -> Copy:
    """The hub as a copy of the project, with the history of the groups ``unknown_to`` lacks:
    the rows those groups touched and the rows they point at (the rest is as the project has
    it, by the same logs), so a sync reads what is new, not the whole hub."""
    copy = Copy(project=None)
    copy.known = hub.group_uuids(conn)
    copy.suggestions = {}  # the hub keeps no suggestions
    copy.uuids = {t: {} for t in TABLES}
    wanted: dict[str, set[str]] = {t: set() for t in TABLES}
    for group, seq, op, table, key, columns, origin in hub.entries_of(conn, copy.known - unknown_to):
        if table in TABLES:
            merging.learn(copy, Entry(group, seq, op, table, key, tuple(columns), origin))
            wanted[table].add(key)
    raw: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in TABLES}
    while any(wanted.values()):
        for table in TABLES:
            keys = wanted[table] - raw[table].keys()
            wanted[table] = set()
            if keys:
                for row in hub.state(conn, table, keys):
                    raw[table][row["uuid"]] = row
                    for column, target in _hub_targets(table, row).items():
                        if row.get(column) is not None and row[column] not in raw[target]:
                            wanted[target].add(row[column])
    ids: dict[str, dict[str, int]] = {t: {} for t in TABLES}
    for table, rows in raw.items():
        for number, key in enumerate(rows, start=1):
            ids[table][key] = number
            copy.uuids[table][number] = key
    words = hub.texts(conn, {r["text_sha256"] for r in raw["sources"].values()})
    for table, rows in raw.items():
        copy.rows[table] = {}
        for key, row in rows.items():
            local = _from_hub(copy, ids, table, row)
            if table == "sources":
                local["text"] = words[row["text_sha256"]]
            copy.rows[table][key] = local
    return copy


def _hub_targets(table: str, row: dict[str, Any]) -> dict[str, str]:
    """The hub columns of a row that hold another row's key, and that row's table."""
    found = {hub_column(table, c): t for c, t in TABLES[table].items()}
    if table == "memos" and row.get("target_type") in MEMO_TARGETS:
        found["target_uuid"] = MEMO_TARGETS[str(row["target_type"])]
    return found


def _from_hub(copy: Copy, ids: dict[str, dict[str, int]], table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A hub row as the merge reads a project's: ids (numbered here) for keys."""
    out: dict[str, Any] = {"id": ids[table][row["uuid"]]}
    targets = {hub_column(table, c): (c, t) for c, t in TABLES[table].items()}
    targets["target_uuid"] = ("target_id", MEMO_TARGETS.get(str(row.get("target_type")), ""))
    for column, value in row.items():
        if column in targets:
            local, target = targets[column]
            if not target or value is None:
                out[local] = None
                continue
            if value not in ids[target]:  # a row the hub no longer has: numbered, for its key
                ids[target][value] = len(ids[target]) + len(copy.uuids[target]) + 1
                copy.uuids[target][ids[target][value]] = value
            out[local] = ids[target][value]
        elif column != "uuid" or table not in JOINS:
            out[column] = value
    return out


def sync(project: Project, conn: HubConnection, hub_name: str, *,
         stage: Callable[[str], None] | None = None) -> SyncReport:
    """Pull the hub's news into ``project`` and push the project's to the hub, in one hub
    transaction under its lock. A read-only member pulls; a push is then refused.
    ``stage`` hears each step as it starts: ``pulling``, ``merging``, ``pushing``."""
    tell = stage or (lambda _: None)
    with conn.transaction():
        hub.lock(conn)
        tell("pulling")
        writable = hub.may_write(conn)
        scrubbed = _scrub_purges(project, conn) if writable else 0
        purged = _carry_out_purges(project, conn)
        mine = merging.read_copy(project)
        theirs = hub_copy(conn, mine.known)
        by = hub.authors(conn, theirs.known - mine.known)
        tell("merging")
        pulled = merge_copy(project, mine, theirs, other=f"the hub {hub_name}",
                            summary=f"from the hub {hub_name}", by=by, action="sync")
        report = SyncReport(hub_name, pulled, scrubbed=scrubbed, purged=purged)
        report.conflicts = share(project, conn, write=writable, at=now())
        if not writable:
            report.read_only = True
            # a reader's own work: what a merge here wrote on others' behalf is theirs, even
            # where it differs from the hub's row (re-anchored here), and never refused
            _, _, entries = _news(project, hub.group_uuids(conn), None, mine)
            waiting = {e.group for e in entries}
            if waiting:
                raise HubWriteRefusedError(
                    f"hub_write_refused: pulled the team's work, but {len(waiting)} changes of yours cannot be "
                    f"pushed: your role may only read the hub at {hub_name}")
            return report
        tell("pushing")
        _push(project, conn, report, theirs, mine)
    return report


def _scrub_purges(project: Project, conn: HubConnection) -> int:
    """Scrub from the hub what each purge of this project it lacks erased; how many."""
    done = 0
    for group in hub.not_held(conn, hub_purges.own_purges(project)):
        erased, fingerprints = hub_purges.erased(project, group)
        hub.scrub_purge(conn, group, erased, fingerprints)
        done += 1
    return done


def _carry_out_purges(project: Project, conn: HubConnection) -> list[dict[str, Any]]:
    """Erase here what the hub's purges this project lacks erased (as each one's own change
    group); for each, what it erased and the backups that still hold the words."""
    done = []
    for group, targets in hub.purges_unknown(conn, hub_link.seen_group_uuids(project)).items():
        outcome = hub_purges.apply_pulled(project, group, targets)
        if outcome is not None:
            by = ", ".join(sorted({author for author, _ in hub.authors(conn, [group]).values()}))
            done.append({"group": group, "what": outcome.plan.what, "by": by,
                         "backups": [str(b) for b in outcome.backups]})
    return done


def _news(project: Project, known: set[str], hub_state: Copy | None,
          read: Copy) -> tuple[Copy, list[dict[str, Any]], list[Entry]]:
    """The project read as a copy, its groups the hub lacks, and their entries that are news
    to the hub. What a merge wrote on the hub's behalf is the hub's already — unless the row
    here is not as the hub holds it in ``hub_state`` (a coding the merge re-anchored onto a
    text edited here; None: not asked)."""
    ids, groups = merging.groups_to_push(project, known)
    # the project as read before the pull, unless something was written since
    mine = read if project.conn.total_changes == read.read_at else merging.read_copy(project)
    listed = list(merging.entries(mine, ids))
    for table in TABLES:
        rows = mine.rows[table]
        if isinstance(rows, merging.Rows):
            rows.fetch([e.key for e in listed if e.table == table])
    entries = [e for e in listed
               if not (e.origin and set(e.origin.values()) <= known
                       and (hub_state is None or _same(mine, hub_state, e)))]
    return mine, groups, entries


def _same(mine: Copy, hub_state: Copy, entry: Entry) -> bool:
    """Whether the row an entry touched is here as the hub holds it."""
    here, there = mine.rows[entry.table].get(entry.key), hub_state.rows[entry.table].get(entry.key)
    if here is None or there is None:
        return here is None and there is None
    skip = {"id", "text"}
    columns = set(here) - skip
    return to_hub(mine, entry.table, entry.key, here, columns | {"uuid"}) == to_hub(
        hub_state, entry.table, entry.key, there, columns | {"uuid"})


def _push(project: Project, conn: HubConnection, report: SyncReport, hub_state: Copy, read: Copy) -> None:
    """Append the project's groups the hub lacks and write the rows they touched."""
    mine, groups, entries = _news(project, hub.group_uuids(conn), hub_state, read)
    if not groups:
        return
    touched: dict[str, set[str]] = {}
    for entry in entries:
        touched.setdefault(entry.table, set()).add(entry.key)
    sources = []
    for table in TABLES:
        keys = touched.get(table, set())
        if not keys:
            continue
        columns = set(hub.columns_of(conn, table))
        rows = hub_rows(mine, table, [(k, mine.rows[table][k]) for k in sorted(keys) if k in mine.rows[table]],
                        columns)
        if table == "sources":
            sources = [mine.rows[table][k] for k in keys if k in mine.rows[table]]
            hub.put_texts(conn, {s["text_sha256"]: s["text"] for s in sources})
        hub.upsert(conn, table, rows)
        gone = sorted(k for k in keys if k not in mine.rows[table])
        hub.delete(conn, table, gone)
        report.pushed_rows[table] = len(rows) + len(gone)
    hub.put_groups(conn, groups, [(e.group, e.seq, e.op, e.table, e.key, list(e.columns), e.origin)
                                  for e in entries])
    report.pushed_groups = len(groups)
