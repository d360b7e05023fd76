"""Purging: erasing a source (or a source's past) for good, when a participant withdraws.

A purge is one change group (action ``purge``) that cannot be undone. It deletes the rows,
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

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import erasure, remnants, sources
from fieldcase.store.erasure import Keys, logged_values, merge, rows_where
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
    held: bool  # whether the project file or its -wal still holds them (in those places, or
    # in pages another program kept from being rewritten)


def source_keys(project: Project, source_id: int) -> Keys:
    """Every row that ever belonged to a source, in its table now or only in the log: the
    source, its codings, speakers, suggestions, case links, attribute values, and the
    memos on it and on its codings."""
    from fieldcase.store.db import foreign_keys

    keys: Keys = {"sources": {source_id}}
    for child, column, parent in foreign_keys(project.conn):
        if parent == "sources" and child != "word_cache":  # a deleted source's drafts are in the log too
            keys[child] = rows_where(project, child, column, [source_id])
    keys["memos"] = (rows_where(project, "memos", "target_id", [source_id], target_type="source")
                     | rows_where(project, "memos", "target_id", keys.get("codings", ()), target_type="coding"))
    return keys


def locate(project: Project, ref: str | int) -> tuple[int, str, bool]:
    """A source to purge as ``(id, title, stored)``: one in the project, or (by id) one that
    was deleted but that the log can still bring back."""
    try:
        row = sources.find(project, ref)
        return row["id"], row["title"], True
    except NotFoundError as err:
        text = str(ref).strip()
        if not text.isdigit():
            raise NotFoundError(f"{err}; a deleted source is purged by its id (fieldcase history names it)") from err
    source_id = int(text)
    states = project.conn.execute(
        "SELECT coalesce(json_extract(coalesce(before, after), '$.purged'), 0), group_id FROM changes"
        " WHERE table_name = 'sources' AND row_id = ? ORDER BY id DESC", [source_id]).fetchall()
    if not states:
        raise NotFoundError(f"no source {text!r}")
    if states[0][0]:
        raise InputError(f"source {source_id} was purged already (change #{states[0][1]})")
    titles = logged_values(project, "sources", source_id, "title")
    return source_id, titles[-1] if titles else "", False


def plan_source(project: Project, ref: str | int) -> Plan:
    """Everything a purge of one source erases."""
    from fieldcase.store import drafts

    source_id, title, stored = locate(project, ref)
    keys = source_keys(project, source_id)
    gone_codes, kept_codes = _in_vivo(project, keys.get("codings", set()))
    keys["codes"] = gone_codes
    hashes = erasure.text_hashes(project, source_id)
    texts = _past_texts(project, source_id, hashes)
    current = project.conn.execute("SELECT text, uuid FROM sources WHERE id = ?", [source_id]).fetchone()
    if current is not None:
        texts.append(current[0])
    texts += memo_texts(project, keys.get("memos", set()))
    uuid = current[1] if current else (logged_values(project, "sources", source_id, "uuid") or [""])[0]
    plan = Plan(f"source {source_id}", f"Purged source {source_id}", erase=keys, sources={source_id},
                hashes=hashes, files=drafts.kept_files(project, source_id), uuids=[uuid] if uuid else [],
                texts=texts, going={source_id}, kept=kept_codes)
    plan.words = named("source", source_id, logged_values(project, "sources", source_id, "title"))
    for code_id in gone_codes:
        for column in ("name_zh", "name_en", "key"):
            plan.words.update(named("code", code_id, logged_values(project, "codes", code_id, column)))
    plan.titles = [f"source {source_id} {title!r}" + ("" if stored else " (deleted, but undo could bring it back)")]
    plan.counts = {**counts(project, plan), "chars": len(current[0]) if current else 0}
    return plan


def plan_history(project: Project, ref: str | int) -> Plan:
    """Everything a purge of a source's past erases: the texts it had before, the log's copies
    of everything on it, its drafts, and what no longer matches its text (orphaned codings,
    speakers who no longer speak, stale suggestions); the source and its current work stay."""
    from fieldcase.store import drafts
    from fieldcase.store.codings import context

    source = sources.find(project, ref)
    source_id, text = source["id"], source["text"]
    keys = source_keys(project, source_id)
    labels = {t["speaker"] for t in sources.decode_turns(source["turns"])}
    going: Keys = {"codings": set(), "speakers": set(), "suggestions": set()}
    plan = Plan(f"the earlier versions of source {source_id}", f"Purged the earlier versions of source {source_id}",
                sources={source_id}, files=drafts.kept_files(project, source_id))
    for row in project.query("SELECT * FROM codings WHERE source_id = ?", [source_id]):
        if row["status"] == "orphaned":
            going["codings"].add(row["id"])
            continue
        fresh = context(text, row["start_offset"], row["end_offset"])
        if any(row[k] != v for k, v in fresh.items()):
            plan.rewrite.append(("codings", row["id"], fresh))
    going["speakers"] = {r[0] for r in project.conn.execute(
        "SELECT id, label FROM speakers WHERE source_id = ?", [source_id]) if r[1] not in labels}
    going["suggestions"] = {r[0] for r in project.conn.execute(
        "SELECT id FROM suggestions WHERE source_id = ?"
        " AND quote IS NOT substr(?, start_offset + 1, end_offset - start_offset)", [source_id, text])}
    going["memos"] = rows_where(project, "memos", "target_id", going["codings"], target_type="coding")
    plan.erase = going
    plan.forget = {t: ids - going.get(t, set()) for t, ids in keys.items()}
    plan.hashes = erasure.text_hashes(project, source_id) - {source["text_sha256"]}
    plan.texts = _past_texts(project, source_id, plan.hashes)
    plan.words = named("source", source_id, [t for t in logged_values(project, "sources", source_id, "title")
                                             if t != source["title"]])
    plan.titles = [f"source {source_id} {source['title']!r}"]
    plan.counts = counts(project, plan)
    return plan


def _past_texts(project: Project, source_id: int, hashes: set[str]) -> list[str]:
    """The kept texts of these hashes, and the source's unsaved edits."""
    texts = list(erasure.versions(project, hashes).values())
    return texts + [r[0] for r in project.conn.execute("SELECT text FROM drafts WHERE source_id = ?", [source_id])]


def memo_texts(project: Project, memo_ids: set[int]) -> list[str]:
    """The words of these memos, as stored now, to look for in backups with the texts."""
    return [r[0] for r in project.conn.execute(
        "SELECT coalesce(title, '') || ' ' || body FROM memos WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(memo_ids))])]


def named(noun: str, row_id: int, names: list[str]) -> dict[str, str]:
    """What stands for each name in the log's summaries: ``source 7`` for ``source 王五访谈``
    and for ``王五访谈`` alone."""
    out = {f"{noun} {name}": f"{noun} {row_id}" for name in names}
    out.update({name: f"{noun} {row_id}" for name in names})
    return out


def _in_vivo(project: Project, codings: set[int]) -> tuple[set[int], list[str]]:
    """Codes made in vivo from these codings' words: those used nowhere else go with them;
    the others stay, named in the list (their names are words of the source)."""
    made = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT k.row_id FROM changes k JOIN change_groups g ON g.id = k.group_id"
        " WHERE g.action = 'coding.in-vivo' AND k.table_name = 'codes' AND k.op = 'insert' AND k.group_id IN"
        " (SELECT group_id FROM changes WHERE table_name = 'codings' AND row_id IN (SELECT value FROM json_each(?)))",
        [json.dumps(sorted(codings))])]
    gone, kept = set(), []
    for code_id in made:
        uses = project.conn.execute(
            "SELECT (SELECT count(*) FROM codings WHERE code_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2)))"
            " + (SELECT count(*) FROM codes WHERE parent_id = ?1) + (SELECT count(*) FROM suggestions"
            " WHERE code_id = ?1) + (SELECT count(*) FROM memos WHERE target_type = 'code' AND target_id = ?1)",
            [code_id, json.dumps(sorted(codings))]).fetchone()[0]
        if uses:
            name = project.conn.execute("SELECT coalesce(name_zh, name_en) FROM codes WHERE id = ?", [code_id]).fetchone()[0]
            kept.append(f"the in-vivo code {name} was named from its words and is kept: it is used elsewhere "
                        f"(rename it: fieldcase codes rename {code_id} NEW-NAME)")
        else:
            gone.add(code_id)
    return gone, kept


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


def run(project: Project, planner: Callable[[Project], Plan], *, backup: bool = True) -> Outcome:
    """Back the project up, then purge what ``planner`` finds (inside the purge's own
    transaction, so nothing written since the question escapes it), compact the file and
    look for what still holds the words."""
    from fieldcase.store.backups import list_backups, make_backup

    made = make_backup(project, "purge") if backup else None
    conn = project.conn
    previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")  # deleted cells are zeroed, not left in free space
    try:
        with project.change("purge", "") as w:
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
    erasure.erase_rows(project, w, plan.erase, stone)
    erasure.drop_versions(project, plan.hashes)
    search_index.rebuild_clean(project)
    pieces = remnants.pick_pieces(project, plan.texts)  # less what the texts kept hold too
    copies = [p[1] for p in remnants.places(project, pieces, only=("changes",))]  # quotes logged of other rows
    return entries + erasure.erase_entries(project, copies, stone, group), pieces
