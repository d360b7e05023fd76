"""Bring another copy of the project into this one (``fieldcase merge``), losing nothing.

Rows are matched by UUID, then by what makes them the same thing (a source by its text,
a code by its key, a case by its site and name, …). For a value that differs, the change
log says who set it: a value the other copy set in a change this one has already taken
in is no news; a value only the other side changed is taken; a value both sides changed
is a *conflict* — mine stays, theirs is listed (a text is kept as a version). A row one
side deleted goes, unless the other side changed or used it since: then it stays and a
conflict says so. Everything happens in one transaction and one change group (undo takes
the whole merge back), with a backup of the file as it was before (made only when the merge
changes something); the other file is read from a copy, never changed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.coding.anchoring import TextMap
from fieldcase.errors import ProjectError
from fieldcase.exchange.twins import kept_key
from fieldcase.store import drafts, merging
from fieldcase.store.codings import context, orphan_context
from fieldcase.store.changes import ENTITY_TABLES
from fieldcase.store.merging import JOINS, MEMO_TARGETS, NOT_COMPARED, TABLES, Copy
from fieldcase.text.merge3 import merge3

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


@dataclass
class MergeReport:
    """What a merge brought in, per table, and what it could not decide."""

    other: str
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    reanchored: int = 0
    orphaned: int = 0
    merged_texts: int = 0  # texts edited on both sides in different places: both edits kept
    rekeyed: int = 0  # rows of mine made apart that took the UUID of their twin (one UUID everywhere)
    groups: int = 0
    backup: str | None = None
    dry_run: bool = False
    change_id: int | None = None
    other_project: bool = False  # not a copy of this project: matched by names and texts only
    # kept edits of sources the merge deleted, set aside (where, in words; a dry run: their titles)
    kept_edits: list[str] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        """Whether the merge changed nothing here (it may still have read news of theirs)."""
        return not (self.added or self.updated or self.deleted or self.conflicts or self.reanchored
                    or self.orphaned or self.rekeyed)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def kept_notes(self) -> list[str]:
        """One line per kept edit of a source the merge deleted (or would delete): where it is."""
        if self.dry_run:
            return [f"your kept edit of {title} would be set aside: the source is deleted there"
                    for title in self.kept_edits]
        return [f"your kept edit of a source deleted there is kept in {where} (undo brings the source back)"
                for where in self.kept_edits]

    def count(self, kind: str, table: str) -> None:
        counts: dict[str, int] = getattr(self, kind)
        counts[table] = counts.get(table, 0) + 1


class _DryRun(Exception):
    """Raised to roll a dry run's writes back."""


NATURAL: dict[str, tuple[str, ...]] = {
    "sites": ("name",), "cases": ("site_id", "name"), "attributes": ("applies_to", "name"),
    "codes": ("key",), "sources": ("text_sha256",), "speakers": ("source_id", "label"),
    "codings": ("source_id", "code_id", "coder", "start_offset", "end_offset", "status"),
    "framework_cells": ("case_id", "code_id"),
}


@contextmanager
def other_copy(path: Path) -> Iterator[Project]:
    """The other project, opened from a private temporary copy (brought to this schema
    there), so that merging never changes it."""
    from fieldcase.store.project import open_project

    if not path.exists():
        raise ProjectError(f"{path}: no project there")
    folder = Path(tempfile.mkdtemp(prefix="fieldcase-merge-"))
    try:
        copy = folder / "other.fieldcase"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        try:
            project = open_project(copy, durable=False)
        except ProjectError as err:  # named by the file the user gave, not by the copy
            raise ProjectError(str(err).replace(str(copy), str(path))) from None
        try:
            yield project
        finally:
            project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def merge(project: Project, other_path: str | Path, *, dry_run: bool = False) -> MergeReport:
    """Merge the project at ``other_path`` into ``project``."""
    other_path = Path(other_path).expanduser()
    if other_path.resolve() == Path(project.path).resolve():
        raise ProjectError(f"{other_path}: that is this project; merge another copy of it")
    with other_copy(other_path) as other:
        theirs = merging.read_copy(other)
        merging.without_words(theirs)  # (an active coding's words come from my text)
        mine = merging.read_copy(project)
        merging.read_history(theirs, mine.known)
        name = merging.project_name(other)
        by = merging.authors(other, theirs.known - mine.known)
        report = merge_copy(project, mine, theirs, other=f"{other_path} — {name}",
                            summary=f"from {other_path} ({name})", by=by, dry_run=dry_run)
        report.other_project = merging.project_uuid(other) != merging.project_uuid(project)
        return report


def merge_copy(project: Project, mine: Copy, theirs: Copy, *, other: str, summary: str,
               by: Mapping[str, tuple[str, str]], dry_run: bool = False, backup: bool = True,
               action: str = "merge") -> MergeReport:
    """Merge ``theirs`` (another copy, read with its history of what ``mine`` does not
    know) into ``project`` (read as ``mine``): the one merge a file and the hub share.
    ``by``: who made their change groups, and when (kept with each group known here).
    ``action`` names the change group: ``merge`` (a file; undo takes it back) or ``sync``
    (the hub's news: the team's work, which undo refuses to take back)."""
    from fieldcase.store.backups import make_backup

    report = MergeReport(other=other, dry_run=dry_run)
    news = theirs.known - mine.known
    report.groups = len(news)
    if not news:
        return report  # every change of theirs is known here: nothing can be new
    merging.read_history(mine, theirs.known)
    try:
        authors = ", ".join(sorted({author for author, _ in by.values()})) or "?"
        with project.change(action, f"Merged {len(news)} changes by {authors} {summary}") as w:
            merger = _Merger(project, w, mine, theirs, report)
            merger.run()
            for uuid in sorted(news):
                author, at = by.get(uuid, (None, None))
                w.insert("known_groups", {"uuid": uuid, "merge_id": w.open_group(), "author": author, "at": at})
            report.change_id = w.group_id
            if dry_run:
                report.kept_edits = [str(source["title"]) for source, _ in merger.kept]
            if dry_run or report.nothing:
                raise _DryRun  # a merge that changes nothing leaves no change (and no backup) behind
            # written before the merge commits: an edit is never lost between the two
            report.kept_edits = [drafts.keep_aside(project, source, text) for source, text in merger.kept]
            if backup:  # the file as it was before this change, which is not committed yet
                report.backup = str(make_backup(project, "merge", before_change=True))
    except _DryRun:
        report.change_id = None
        if not dry_run:
            merging.note_known(project, news, by)  # …but their changes are known here now
        return report
    if report.added.get("sources") or report.updated.get("sources"):
        from fieldcase.store import search_index

        search_index.sync(project)
    return report


class _Merger:
    """One merge: walks the other copy's rows table by table, parents first."""

    def __init__(self, project: Project, w: ChangeWriter, mine: Copy, theirs: Copy, report: MergeReport):
        self.project, self.w, self.mine, self.theirs, self.report = project, w, mine, theirs, report
        self.alias: dict[tuple[str, str], str] = {}  # (table, their key) -> my key
        self.text_conflict: set[str] = set()  # my keys of sources whose texts conflict
        self.text_merged: set[str] = set()  # …and of those whose two sides' edits were put together
        self.seen: dict[str, set[str]] = {t: set() for t in TABLES}  # my keys the other copy has
        self.texts: dict[str, str] = {}  # my sources' texts by key, as read
        # by their source's id and my key: their text, mine, and how theirs maps onto mine
        self.pairs: dict[tuple[int, str], tuple[str | None, str, TextMap | None]] = {}
        self.pending: list[dict[str, Any]] = []  # new codings not yet written
        self.pending_origins: list[dict[str, str]] = []
        self.naturals: dict[str, dict[tuple[Any, ...], str]] = {}  # by table: natural key -> my key
        self.kept: list[tuple[dict[str, Any], str]] = []  # (source, text) of kept edits of sources deleted
        self.found_again: set[str] = set()  # UUIDs of speakers this merge found in a text it took

    def run(self) -> None:
        touched_in: dict[str, list[str]] = {}
        for (t, k) in self.theirs.touched:
            touched_in.setdefault(t, []).append(k)
        for table in TABLES:
            if self.project.conn.total_changes != self.mine.read_at:  # (nothing written yet: as read)
                merging.read_rows(self.mine, table)  # what writes so far made (speakers of a new text)
            self.naturals.pop(table, None)
            natural = self._natural_index(table)
            # a row no change new to me touched is as I have it (or as I made it since)
            theirs_now = self.theirs.rows[table]
            touched = [k for k in touched_in.get(table, ()) if k in theirs_now]
            if isinstance(theirs_now, merging.Rows):
                theirs_now.fetch(touched)
            news = [(k, theirs_now[k]) for k in touched]
            self._fetch_targets(table, [row for _, row in news])
            for key, row in news:
                self._one(table, key, row, natural)
            self._flush()
        self._decisions()
        for table in reversed(TABLES):
            for (gone_table, key) in list(self.theirs.gone):
                here = self.mine.rows[table].get(key) if gone_table == table else None
                if here is not None and key not in self.seen[table]:
                    self._maybe_delete(table, key, here)

    def _fetch_targets(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Read in one go the rows, theirs and mine, that these rows of theirs point at (a
        coding's source and code), rather than one at a time."""
        for column, target in TABLES[table].items():
            their_keys = {self.theirs.key_of(target, row.get(column)) for row in rows} - {None}
            for copy, keys in ((self.theirs, their_keys), (self.mine, {self.my_key(target, k) for k in their_keys})):
                found = copy.rows.get(target)
                if isinstance(found, merging.Rows):
                    found.fetch([k for k in keys if k is not None])

    def _decisions(self) -> None:
        """Their decisions on suggestions (accepted, rejected) that I have not made."""
        mine = merging.suggestions(self.mine)
        for (source, code, start, end), row in merging.suggestions(self.theirs).items():
            if row["status"] == "open":
                continue
            key = (self.my_key("sources", source) or source, self.my_key("codes", code) or code, start, end)
            coding = self.my_key("codings", self.theirs.key_of("codings", row["coding_id"]))
            decision = {"status": row["status"], "decided_at": row["decided_at"], "decided_by": row["decided_by"],
                        "coding_id": self._local("codings_ref", {"coding_id": coding})["coding_id"]}
            here = mine.get(key)
            if here is None:
                target = self.mine.rows["sources"].get(key[0]), self.mine.rows["codes"].get(key[1])
                if target[0] is None or target[1] is None:
                    continue
                fields = {k: row[k] for k in ("unit", "quote", "score", "triggers", "created_at")}
                self.w.insert("suggestions", {**fields, **decision, "source_id": target[0]["id"],
                                              "code_id": target[1]["id"], "start_offset": start, "end_offset": end})
                self.report.count("added", "suggestions")
            elif here["status"] == "open":
                self.w.update("suggestions", here["id"], decision)
                self.report.count("updated", "suggestions")
            elif here["status"] != row["status"]:
                self._conflict("suggestions", "|".join(map(str, key)), "status",
                               f"{here['status']} by {here['decided_by']}", f"{row['status']} by {row['decided_by']}",
                               None)

    # -- matching --------------------------------------------------------------------
    def my_key(self, table: str, their_key: str | None) -> str | None:
        """The key of my row that is their row ``their_key`` (their key if none yet)."""
        if their_key is None:
            return None
        return self.alias.get((table, their_key), their_key)

    def _translated(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Their row with foreign keys as my keys (UUIDs), ready to compare or store."""
        out = dict(row)
        for column, target in self._foreign(table, row).items():
            out[column] = self.my_key(target, self.theirs.key_of(target, row[column]))
        return out

    def _foreign(self, table: str, row: dict[str, Any]) -> Mapping[str, str]:
        """A row's foreign keys: column -> the table it points into (not to be changed)."""
        if table == "codings_ref":
            return {"coding_id": "codings"}
        if table == "memos":
            target = MEMO_TARGETS.get(row.get("target_type") or "")
            return {"target_id": target} if target else {}
        return TABLES[table]

    def _mine_translated(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for column, target in self._foreign(table, row).items():
            if column in row:  # (a row read for its natural key holds only those columns)
                out[column] = self.mine.key_of(target, row[column])
        return out

    def _natural_index(self, table: str) -> dict[tuple[Any, ...], str]:
        if table not in self.naturals:
            self.naturals[table] = self._build_natural(table)
        return self.naturals[table]

    def _build_natural(self, table: str) -> dict[tuple[Any, ...], str]:
        columns = NATURAL.get(table)
        if not columns:
            return {}
        rows = self.mine.rows[table]
        if isinstance(rows, merging.Rows):
            return {_folded(table, values): key for key, values in merging.natural_keys(self.mine, table, columns)}
        return {_natural(table, columns, self._mine_translated(table, row)): key for key, row in rows.items()}

    def _key_in_my_space(self, table: str, key: str, row: dict[str, Any]) -> str:
        if table not in JOINS:
            return key
        translated = self._translated(table, row)
        return "|".join(str(translated[c]) for c in JOINS[table])

    # -- one row of theirs -----------------------------------------------------------
    def _one(self, table: str, their_key: str, row: dict[str, Any], natural: dict[tuple[Any, ...], str],
             *, needed: bool = False) -> None:
        key = self._key_in_my_space(table, their_key, row)
        translated = self._translated(table, row)
        if key not in self.mine.rows[table] and NATURAL.get(table):
            alike = _natural(table, NATURAL[table], translated)
            twin = natural.get(alike)
            if twin is not None:  # the same thing made on both sides (the hub may hold it twice)
                twin = kept_key(self, table, twin, their_key, alike)  # (one UUID on every copy)
                self.alias[(table, their_key)] = twin
                first = twin not in self.seen[table]
                self.seen[table].add(twin)
                if first and table not in ("codings", "sources"):  # the same words, the same coding: one
                    self._compare(table, twin, their_key, row, translated)
                return
        if key != their_key:
            self.alias[(table, their_key)] = key
        if key in self.mine.rows[table]:
            self.seen[table].add(key)
            self._compare(table, key, their_key, row, translated)
        else:
            self._arrive(table, key, their_key, row, translated, needed=needed)

    def _compare(self, table: str, key: str, their_key: str, row: dict[str, Any], translated: dict[str, Any]) -> None:
        mine_row = self.mine.rows[table][key]
        mine = self._mine_translated(table, mine_row)
        take: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for column, value in translated.items():
            if column in NOT_COMPARED or mine.get(column) == value:
                continue
            if table == "codings" and column in ("start_offset", "end_offset", "status") and (
                    self._source_key(mine_row) in self.text_conflict | self.text_merged):
                continue  # (a merged text re-anchored mine; theirs point into their text)
            lt = self.theirs.set_by(table, their_key, column)
            lm = self.mine.set_by(table, key, column)
            if lt is None or lt in self.mine.known:
                continue  # no news: I have seen their value and changed it since
            if lm is None or lm in self.theirs.known:
                take[column] = value
                origin[column] = lt
                continue
            if table == "sources" and column == "text_sha256" and self._merge_texts(key, their_key, mine_row, row):
                continue
            self._conflict(table, key, column, mine.get(column), value, row)
        if not take:
            return
        if table == "sources" and "text_sha256" in take:
            with self._on_behalf({"*": origin["text_sha256"]}):
                self._take_text(mine_row, row)
            take.pop("text_sha256")
        if table == "codings" and ("start_offset" in take or "end_offset" in take):
            text = self._my_text(self._source_key(mine_row))
            start = take.get("start_offset", mine_row["start_offset"])
            end = take.get("end_offset", mine_row["end_offset"])
            take.update(context(text, start, end))
        if take:
            if table in ENTITY_TABLES:  # the row was last changed by whoever changed it last, on either side
                at, by = max((mine_row.get("modified_at") or "", mine_row.get("modified_by") or ""),
                             (row.get("modified_at") or "", row.get("modified_by") or ""))
                if at and by:
                    take.update(modified_at=at, modified_by=by)
            with self._on_behalf({c: origin[c] for c in take if c in origin}):
                self.w.update(table, mine_row["id"], self._local(table, take))
            self.report.count("updated", table)

    def _arrive(self, table: str, key: str, their_key: str, row: dict[str, Any], translated: dict[str, Any],
                *, needed: bool = False) -> None:
        gone = self.mine.gone.get((table, key))
        if gone is not None:
            touched = self.theirs.touched.get((table, their_key))
            if not needed and (touched is None or touched in self.mine.known):
                return  # I deleted it, and they have not touched it since
            self._conflict(table, key, "deleted", "deleted", "used" if needed else "changed", row, what="delete")
        values = translated  # (made for this call: taken over)
        values.pop("id", None)
        if table in JOINS and any(values.get(c) is None for c in JOINS[table] if c in TABLES[table]):
            return  # it joins a row that does not reach me (purged there)
        for column, target in self._foreign(table, row).items():
            if values.get(column) is not None and not self._ensure(target, values[column]):
                return
        if table == "codings":
            values = self._anchor_coding(row, values)
        natural = _natural(table, NATURAL[table], values) if NATURAL.get(table) else None  # (keys, not ids)
        local = self._local(table, values)
        origin = self._origin(table, their_key, row)
        if table == "codings":  # the many rows of a merge: written together at the table's end
            new_id = local["id"] = self.w.fresh_id(table)  # (every coding of theirs has every column)
            self.pending.append(local)
            self.pending_origins.append(origin)
        else:
            with self._on_behalf(origin):
                new_id = self.w.insert(table, local) if table in JOINS else self.w.adopt(table, local)
        stored = merging.row_by_id(self.project, table, new_id) if table != "codings" else local
        self.mine.rows[table][key] = stored
        self.mine.uuids[table][new_id] = key
        self.seen[table].add(key)
        if natural is not None and table in self.naturals:  # a second row of theirs may be this one
            self.naturals[table][natural] = key
        self.report.count("added", table)

    def _ensure(self, table: str, key: str) -> bool:
        """Make sure my copy has the row ``key`` a row of theirs points at."""
        if key in self.mine.rows[table]:
            return True
        their_key = next((k for (t, k), mine in self.alias.items() if t == table and mine == key), key)
        row = self.theirs.rows[table].get(their_key)
        if row is None:
            return False
        self._one(table, their_key, row, self._natural_index(table), needed=True)
        if table == "codings":
            self._flush()  # a later table's row (a memo, a link) is about to point at it
        return key in self.mine.rows[table]

    def _flush(self) -> None:
        """Write the new codings gathered so far."""
        self.w.adopt_many("codings", self.pending, self.pending_origins)
        self.pending, self.pending_origins = [], []

    def _maybe_delete(self, table: str, key: str, row: dict[str, Any]) -> None:
        gone = self.theirs.gone.get((table, key))
        if gone is None or gone in self.mine.known:
            return  # new on my side (or I brought it back after seeing their delete)
        touched = self.mine.touched.get((table, key))
        changed = touched is not None and touched not in self.theirs.known
        if changed or self._used_here(table, row) or merging.dependents(self.project, table, row["id"]):
            # nothing goes with it unseen; said as the other order says it (see _arrive)
            self._conflict(table, key, "deleted", "changed" if changed else "used", "deleted", None, what="delete")
            return
        if table == "sources":  # its kept edits: set aside, never dropped by the cascade
            self.kept += drafts.take_edits(self.project, self.w, row["id"])
        with self._on_behalf({"*": gone}):
            self.w.delete(table, row["id"])
        del self.mine.rows[table][key]
        self.report.count("deleted", table)

    def _used_here(self, table: str, row: dict[str, Any]) -> bool:
        """Whether a row of mine the other side does not know points at ``row``."""
        for child, columns in TABLES.items():
            for column, target in columns.items():
                if target != table:
                    continue
                if child in JOINS:
                    keys = [k for k, r in self.mine.rows[child].items() if r.get(column) == row["id"]]
                else:
                    keys = merging.children_of(self.mine, child, column, row["id"])
                for child_key in keys:
                    touched = self.mine.touched.get((child, child_key))
                    if touched is not None and touched not in self.theirs.known:
                        return True
        return False

    # -- texts and codings -----------------------------------------------------------
    def _source_key(self, coding: dict[str, Any]) -> str:
        return str(self.mine.key_of("sources", coding["source_id"]))

    def _my_text(self, source_key: str) -> str:
        if source_key not in self.texts:
            self.texts[source_key] = merging.text_of_source(self.project, source_key)
        return self.texts[source_key]

    def _take_text(self, mine_row: dict[str, Any], row: dict[str, Any]) -> None:
        from fieldcase.store import speakers
        from fieldcase.store.texts import replace_text

        self.texts.pop(str(mine_row["uuid"]), None)
        before = speakers.uuids_of(self.project, mine_row["id"])
        edit = replace_text(self.project, mine_row["id"], row["text"], writer=self.w)
        # the speakers of their text, found here again: theirs (by source and label) arrive
        # next and these take their UUIDs, whichever is the least
        self.found_again |= speakers.uuids_of(self.project, mine_row["id"]) - before
        self.report.count("updated", "sources")
        self.report.reanchored += edit.moved + len(edit.changed)
        self.report.orphaned += len(edit.orphaned)

    def _merge_texts(self, key: str, their_key: str, mine_row: dict[str, Any], row: dict[str, Any]) -> bool:
        """Put together the edits both sides made to a source's text since the text they
        shared, when they touch different words; their text is kept as a version. False
        (a conflict) when the edits meet or the shared text is not known."""
        from fieldcase.errors import InputError
        from fieldcase.store.texts import replace_text

        base_sha = merging.text_base(self.mine, key, self.theirs.known)
        if base_sha is None or (self.theirs.project is not None
                                and merging.text_base(self.theirs, their_key, self.mine.known) != base_sha):
            return False
        base = merging.text_of(self.project, base_sha)
        if base is None and self.theirs.project is not None:
            base = merging.text_of(self.theirs.project, base_sha)
        merged = None if base is None else merge3(base, self._my_text(key), row["text"])
        if merged is None:
            return False
        self.texts.pop(key, None)
        try:  # (refused before it writes anything)
            edit = replace_text(self.project, mine_row["id"], merged, writer=self.w)
        except InputError:  # another source already has the merged text
            return False
        self.w.keep_text(row["text"], row["text_sha256"])
        self.text_merged.add(key)
        self.report.merged_texts += 1
        self.report.count("updated", "sources")
        self.report.reanchored += edit.moved + len(edit.changed)
        self.report.orphaned += len(edit.orphaned)
        return True

    def _anchor_coding(self, row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """Their coding placed on my text of its source (re-anchored if the texts differ)."""
        start, end = row["start_offset"], row["end_offset"]
        their_text, mine, moves = self._texts_of(row["source_id"], str(values["source_id"]))
        if row["status"] != "active":
            return values
        if moves is None:
            values.update(context(mine, start, end))
            return values
        anchor = moves.span(start, end)
        if anchor.status == "orphaned":
            self.report.orphaned += 1
            values.update(start_offset=anchor.start, end_offset=anchor.end, status="orphaned",
                          quote=(their_text or "")[start:end],  # (read without its words: it was active)
                          **orphan_context(their_text or "", start, end))
            return values
        self.report.reanchored += 1
        values.update(start_offset=anchor.start, end_offset=anchor.end, **context(mine, anchor.start, anchor.end))
        return values

    def _texts_of(self, their_id: int, my_key: str) -> tuple[str | None, str, TextMap | None]:
        """Their text of a source, mine, and how theirs maps onto mine (None: alike), worked
        out once a source for all of its codings (again when my text changed meanwhile)."""
        mine = self._my_text(my_key)
        known = self.pairs.get((their_id, my_key))
        if known is not None and known[1] is mine:
            return known
        their_source = self.theirs.key_of("sources", their_id)
        their_text = self.theirs.rows["sources"][str(their_source)]["text"] if their_source else None
        moves = None if their_text is None or their_text == mine else TextMap(their_text, mine)
        self.pairs[(their_id, my_key)] = found = (their_text, mine, moves)
        return found

    # -- writing ---------------------------------------------------------------------
    @contextmanager
    def _on_behalf(self, origin: dict[str, str]) -> Iterator[None]:
        """Log the writes inside as made by the other copy's change groups ``origin``."""
        self.w.origin = origin or None
        try:
            yield
        finally:
            self.w.origin = None

    def _origin(self, table: str, their_key: str, row: dict[str, Any]) -> dict[str, str]:
        """Which of their change groups set each column of their row (``*``: the row)."""
        apart = self.theirs.set_apart.get((table, their_key), ())
        found = {c: self.theirs.last[(table, their_key, c)] for c in apart}
        whole = self.theirs.made.get((table, their_key)) or self.theirs.touched.get((table, their_key))
        return {**found, "*": whole} if whole else found

    def _local(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with foreign keys turned from keys into my ids (in place: a merge
        turns each row it brings once)."""
        out = values
        for column, target in self._foreign(table, values).items():
            if column in out and out[column] is not None:
                found = self.mine.rows[target].get(str(out[column]))
                out[column] = None if found is None else found["id"]
        return out

    def _conflict(self, table: str, key: str, column: str, mine: Any, theirs: Any, row: dict[str, Any] | None,
                  *, what: str = "value") -> None:
        if table == "sources" and column == "text_sha256" and row is not None:
            self.w.keep_text(row["text"], row["text_sha256"])
            self.text_conflict.add(key)
            what = "text"
        mine_json, theirs_json = json.dumps(mine, ensure_ascii=False), json.dumps(theirs, ensure_ascii=False)
        if merging.conflict_known(self.project, table, key, column, theirs_json):
            return
        entry = {"table_name": table, "row_uuid": key, "field": column, "mine": mine_json, "theirs": theirs_json,
                 "what": what, "other": self.report.other, "found_in": self.w.open_group()}
        self.w.insert("conflicts", entry)
        self.report.conflicts.append({k: entry[k] for k in ("table_name", "row_uuid", "field", "what")}
                                     | {"mine": mine, "theirs": theirs})


def _natural(table: str, columns: tuple[str, ...], row: dict[str, Any]) -> tuple[Any, ...]:
    return _folded(table, tuple(map(row.get, columns)))


def _folded(table: str, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A natural key as it is compared (a site's name in any case)."""
    return tuple(str(v).casefold() for v in values) if table == "sites" else values
