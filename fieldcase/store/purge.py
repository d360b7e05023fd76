"""Purging: erasing a source, a source's past or a case for good, when a participant withdraws.

What goes is worked out as a :class:`Plan` (:mod:`fieldcase.store.source_purge`,
:mod:`fieldcase.store.withdrawal`); this module carries one out. A purge is one change group (action ``purge``) that cannot be undone. It deletes the rows,
replaces their payloads in the change log with its tombstone, takes their names out of the
log's summaries, drops the kept texts, drafts, word counts and search terms made from them,
then empties the ``-wal`` and vacuums the file so that no free page keeps their bytes. What
it cannot erase (a backup, a memo elsewhere quoting the words) it finds and names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.store import erasure, purged_texts, remnants
from fieldcase.store.erasure import Keys, merge
from fieldcase.store.remnants import Place

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project
    from fieldcase.text.pieces import Pieces

# Tables not worth naming before a purge: it erases every log entry quoting the words, and the
# kept texts, drafts and caches of what it erases.
_ERASED_ANYWAY = frozenset({"changes", "text_versions", "drafts", "word_cache", "search_docs"})


@dataclass
class Plan:
    """What a purge erases: worked out to ask the user, and again inside its transaction."""

    what: str  # "source 7": what the tombstone says went
    summary: str  # the purge's change group summary, naming no one
    erase: Keys = field(default_factory=dict)  # rows that go, with every payload logged of them
    forget: Keys = field(default_factory=dict)  # rows that stay, whose logged payloads go
    scrub: Keys = field(default_factory=dict)  # rows whose change groups' summaries lose ``words``
    words: dict[str, str] = field(default_factory=dict)  # a name that goes -> what stands for it
    rewrite: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)  # rows changed
    sources: set[int] = field(default_factory=set)  # sources whose drafts, word counts, index rows go
    hashes: set[str] = field(default_factory=set)  # kept texts that go
    files: list[Path] = field(default_factory=list)  # kept edits written beside the project
    texts: list[str] = field(default_factory=list)  # the erased texts, to look for what still holds them
    going: set[int] = field(default_factory=set)  # sources whose current text goes
    uuids: list[str] = field(default_factory=list)  # of erased sources and cases, to look for in backups
    counts: dict[str, int] = field(default_factory=dict)  # what goes, for the question before
    titles: list[str] = field(default_factory=list)  # "source 7 'H访谈'", for the question before
    kept: list[str] = field(default_factory=list)  # what stays that the researcher may act on

    def join(self, other: Plan) -> None:
        """Take in another plan's rows, texts and findings (a case and its sources)."""
        self.erase, self.forget, self.scrub = (merge(a, b) for a, b in (
            (self.erase, other.erase), (self.forget, other.forget), (self.scrub, other.scrub)))
        self.words.update(other.words)
        self.rewrite += other.rewrite
        self.sources |= other.sources
        self.hashes |= other.hashes
        self.files += other.files
        self.texts += other.texts
        self.going |= other.going
        self.uuids += other.uuids
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        self.titles += other.titles
        self.kept += other.kept


@dataclass
class Outcome:
    """What a purge did and what still holds the words."""

    plan: Plan
    group_id: int
    entries: int  # log entries whose payloads became the tombstone
    backup: Path | None  # the copy made just before
    backups: list[Path]  # backups that still hold the words
    left: list[Place]  # places in the project that still hold them (a memo quoting them …)
    held: bool  # whether the file or its -wal still holds them (there, or in pages kept by a reader)


def counts(project: Project, plan: Plan) -> dict[str, int]:
    """How many of each thing go (by table: rows stored and rows the log keeps for undo; and
    ``versions``, ``drafts``, ``files``, ``rewritten``, ``entries`` of the log), for the
    question before a purge."""
    found = {table: len(ids) for table, ids in plan.erase.items() if ids}
    current = project.conn.execute("SELECT text_sha256 FROM sources WHERE id IN (SELECT value FROM json_each(?))",
                                   [json.dumps(sorted(plan.sources))]).fetchall()
    found["versions"] = len(erasure.versions(project, plan.hashes - {r[0] for r in current}))
    found["drafts"] = project.conn.execute(
        "SELECT count(*) FROM drafts WHERE source_id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(plan.sources))]).fetchone()[0]
    found["files"] = len(plan.files)
    found["rewritten"] = len(plan.rewrite)
    found["entries"] = erasure.log_entries(project, merge(plan.erase, plan.forget))
    return found


def run(project: Project, planner: Callable[[Project], Plan], *, backup: bool = True,
        group_uuid: str | None = None) -> Outcome:
    """Back the project up, then purge what ``planner`` finds (inside the purge's own
    transaction, so nothing written since the question escapes it), compact the file and
    look for what still holds the words. ``group_uuid``: the purge is another copy's,
    applied here as the same change group (a purge pulled from the hub)."""
    from fieldcase.store.backups import list_backups, make_backup

    made = make_backup(project, "purge") if backup else None
    conn = project.conn
    previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")  # deleted cells are zeroed, not left in free space
    try:
        with project.change("purge", "") as w:
            w.uuid = group_uuid
            plan = planner(project)
            entries, pieces = _apply(project, w, plan)
        assert w.group_id is not None
        for path in plan.files:
            path.unlink(missing_ok=True)
        emptied = erasure.compact(project)
    finally:
        conn.execute(f"PRAGMA secure_delete = {previous}")
    wal = project.path.with_name(project.path.name + "-wal")
    held = not emptied or remnants.open_files_hold([project.path, wal], pieces)
    backups = remnants.holding(project, list_backups(project.path), pieces, plan.uuids, sorted(plan.hashes))
    left = [p for p in remnants.places(project, pieces) if p[0] != "changes"]  # the log's copies went with it
    return Outcome(plan, w.group_id, entries, made, backups, left, held or bool(left))


def quoted(project: Project, plan: Plan) -> list[Place]:
    """Rows a purge keeps that hold words of the texts it erases (a memo or a code's example
    quoting them), to name before it runs: changed first, the purge then erases the change
    log's copies of them too."""
    pieces = remnants.pick_pieces(project, plan.texts, going=plan.going)
    skip = merge(plan.erase, {"sources": plan.going})
    return [p for p in remnants.places(project, pieces, skip=skip) if p[0] not in _ERASED_ANYWAY]


def _apply(project: Project, w: ChangeWriter, plan: Plan) -> tuple[int, Pieces]:
    """Write the purge: tombstones in the log (for the rows it erases, and for any entry that
    quotes their words), names out of its summaries, rows out of the tables, kept texts and
    derived data gone, the search index rebuilt without them. Returns how many log entries
    it erased, and the pieces of the erased texts (to look for in files)."""
    from fieldcase.store import search_index

    from fieldcase.text.english import count

    c = plan.counts
    w.summary = f"{plan.summary} ({count(c.get('codings', 0), 'coding')}, {count(c.get('memos', 0), 'memo')})"
    stone = erasure.tombstone(w, plan.what)
    group = w.open_group()
    every = merge(plan.erase, plan.forget)
    touched = erasure.groups_touching(project, merge(every, plan.scrub)) - {group}
    entries = erasure.erase_log(project, every, stone, group)
    erasure.scrub_summaries(project, touched, plan.words)
    for table, row_id, values in plan.rewrite:
        w.rewrite(table, row_id, values, stone)
    erasure.drop_derived(project, plan.sources)
    from fieldcase.store.merging import forget_conflicts

    forget_conflicts(project, every, list(plan.words))  # before the rows go: their UUIDs are read here
    erasure.erase_rows(project, w, plan.erase, stone)
    erasure.drop_versions(project, plan.hashes)
    purged_texts.remember(project, w, plan.hashes)  # a fingerprint of each, to refuse its re-import
    search_index.rebuild_clean(project)
    pieces = remnants.pick_pieces(project, plan.texts)  # less what the texts kept hold too
    copies = [p[1] for p in remnants.places(project, pieces, only=("changes",))]  # quotes logged of other rows
    return entries + erasure.erase_entries(project, copies, stone, group), pieces
