"""The mechanics of a purge: finding every row a source or case ever had, now or in the
change log, and erasing its words from the tables, the log, the text versions, the search
index and the file's free space.

The change log is append-only but for this one exception (migration 0008): while a purge is
the newest change group, it replaces the payloads of earlier changes to the rows it erases
with its tombstone, and takes the erased names out of their groups' summaries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

Keys = dict[str, set[int]]  # table -> row ids
CHECKPOINT_WAIT_MS = 2_000
# The order rows are deleted in: what points at a row goes before it.
ORDER = ("memos", "suggestions", "framework_links", "framework_cells", "codings", "speakers", "source_cases",
         "source_attribute_values",
         "case_attribute_values", "pseudonyms", "codes", "sources", "cases")


def tombstone(w: ChangeWriter, what: str) -> str:
    """What a purge leaves in place of each payload it erases: who purged what, and when."""
    return json.dumps({"purged": True, "change": w.open_group(), "by": w.project.user,
                       "at": w.at, "what": what}, ensure_ascii=False)


def merge(*parts: Keys) -> Keys:
    """The union of several key sets."""
    out: Keys = {}
    for part in parts:
        for table, ids in part.items():
            out.setdefault(table, set()).update(ids)
    return out


def rows_where(project: Project, table: str, column: str, values: Iterable[Any],
               **fixed: Any) -> set[int]:
    """Ids of ``table``'s rows whose ``column`` is one of ``values`` (and each ``fixed``
    column as given), in the table now or in any state the change log recorded."""
    values = json.dumps(list(values))
    live_extra = "".join(f' AND "{c}" = ?' for c in fixed)
    found = {r[0] for r in project.conn.execute(
        f'SELECT id FROM "{table}" WHERE "{column}" IN (SELECT value FROM json_each(?)){live_extra}',
        [values, *fixed.values()])}
    for side in ("before", "after"):
        logged_extra = "".join(f" AND json_extract({side}, '$.{c}') = ?" for c in fixed)
        found.update(r[0] for r in project.conn.execute(
            f"SELECT DISTINCT row_id FROM changes WHERE table_name = ? AND {side} IS NOT NULL"
            f" AND json_extract({side}, '$.{column}') IN (SELECT value FROM json_each(?)){logged_extra}",
            [table, values, *fixed.values()]))
    return found


def logged_values(project: Project, table: str, row_id: int, column: str) -> list[Any]:
    """Every value a row's column had in the log, oldest first, and its value now."""
    out: list[Any] = []
    for before, after in project.conn.execute(
        "SELECT json_extract(before, ?), json_extract(after, ?) FROM changes"
        " WHERE table_name = ? AND row_id = ? ORDER BY id", [f"$.{column}"] * 2 + [table, row_id]):
        out += [v for v in (before, after) if v is not None]
    now = project.conn.execute(f'SELECT "{column}" FROM "{table}" WHERE id = ?', [row_id]).fetchone()
    if now is not None and now[0] is not None:
        out.append(now[0])
    return list(dict.fromkeys(out))


def live(project: Project, keys: Keys) -> Keys:
    """The keys whose rows are still in their tables."""
    out: Keys = {}
    for table, ids in keys.items():
        rows = project.conn.execute(
            f'SELECT id FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))', [json.dumps(sorted(ids))])
        out[table] = {r[0] for r in rows}
    return out


def erase_rows(project: Project, w: ChangeWriter, keys: Keys, stone: str) -> int:
    """Delete the rows still stored, children first, each logged only as the tombstone."""
    done = 0
    for table in sorted(keys, key=lambda t: ORDER.index(t) if t in ORDER else -1):
        for row_id in sorted(live(project, {table: keys[table]})[table]):
            w.erase(table, row_id, stone)
            done += 1
    return done


def groups_touching(project: Project, keys: Keys) -> set[int]:
    """The change groups that wrote any of these rows."""
    found: set[int] = set()
    for table, ids in keys.items():
        found.update(r[0] for r in project.conn.execute(
            "SELECT DISTINCT group_id FROM changes WHERE table_name = ?"
            " AND row_id IN (SELECT value FROM json_each(?))", [table, json.dumps(sorted(ids))]))
    return found


def _purged(side: str) -> str:
    return f"coalesce(json_extract({side}, '$.purged'), 0)"


def log_entries(project: Project, keys: Keys) -> int:
    """How many log entries still hold a payload of these rows."""
    return sum(project.conn.execute(
        "SELECT count(*) FROM changes WHERE table_name = ? AND row_id IN (SELECT value FROM json_each(?))"
        f" AND NOT ({_purged('before')} OR {_purged('after')})", [table, json.dumps(sorted(ids))]).fetchone()[0]
        for table, ids in keys.items())


def erase_log(project: Project, keys: Keys, stone: str, before_group: int) -> int:
    """Replace every logged payload of these rows, in groups before ``before_group``, with
    the tombstone; returns how many log entries held them."""
    entries: set[int] = set()
    for table, ids in keys.items():
        entries.update(r[0] for r in project.conn.execute(
            "SELECT id FROM changes WHERE table_name = ? AND row_id IN (SELECT value FROM json_each(?))",
            [table, json.dumps(sorted(ids))]))
    return erase_entries(project, entries, stone, before_group)


def erase_entries(project: Project, entries: Iterable[int], stone: str, before_group: int) -> int:
    """Replace the payloads of these log entries (those in groups before ``before_group``,
    not yet a tombstone) with the tombstone; returns how many changed."""
    return project.conn.execute(
        "UPDATE changes SET before = CASE WHEN before IS NULL THEN NULL ELSE ?1 END,"
        " after = CASE WHEN after IS NULL THEN NULL ELSE ?1 END"
        " WHERE id IN (SELECT value FROM json_each(?2)) AND group_id < ?3"
        f" AND NOT ({_purged('before')} OR {_purged('after')})",
        [stone, json.dumps(sorted(entries)), before_group]).rowcount


def scrub(text: str, words: dict[str, str]) -> str:
    """``text`` with each of ``words`` (longest first) replaced by what stands for it."""
    for word in sorted(words, key=len, reverse=True):
        if word:
            text = text.replace(word, words[word])
    return text


def scrub_summaries(project: Project, groups: Iterable[int], words: dict[str, str]) -> int:
    """Take the erased names out of these groups' summaries; returns how many changed."""
    changed = 0
    for group_id, summary in project.conn.execute(
        "SELECT id, summary FROM change_groups WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(groups))]).fetchall():
        clean = scrub(summary, words)
        if clean != summary:
            project.conn.execute("UPDATE change_groups SET summary = ? WHERE id = ?", [clean, group_id])
            changed += 1
    return changed


def text_hashes(project: Project, source_id: int) -> set[str]:
    """The hash of every text a source has had: now, in the log, and in its drafts."""
    from fieldcase.store.merging import conflict_texts

    hashes = set(logged_values(project, "sources", source_id, "text_sha256"))
    uuid = logged_values(project, "sources", source_id, "uuid")
    if uuid:
        hashes |= conflict_texts(project, str(uuid[0]))
    for (fields,) in project.conn.execute("SELECT fields FROM drafts WHERE source_id = ?", [source_id]):
        base = json.loads(fields or "{}").get("base_sha256")
        if base:
            hashes.add(base)
    return hashes


def versions(project: Project, hashes: Iterable[str]) -> dict[str, str]:
    """The kept texts of these hashes, by hash."""
    return dict(project.conn.execute(
        "SELECT sha256, text FROM text_versions WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(hashes))]).fetchall())


def drop_versions(project: Project, hashes: Iterable[str]) -> int:
    """Delete kept texts, except one that is the current text of a source (another source
    that happens to hold the same words keeps them)."""
    return project.conn.execute(
        "DELETE FROM text_versions WHERE sha256 IN (SELECT value FROM json_each(?))"
        " AND sha256 NOT IN (SELECT text_sha256 FROM sources)", [json.dumps(sorted(hashes))]).rowcount


def drop_derived(project: Project, source_ids: Iterable[int]) -> dict[str, int]:
    """Delete what is derived from these sources' texts or drafted of them, unlogged: their
    drafts, word counts and search documents (the index itself is rebuilt)."""
    ids = json.dumps(sorted(source_ids))
    gone = {}
    for table in ("drafts", "word_cache", "search_docs"):
        gone[table] = project.conn.execute(
            f"DELETE FROM {table} WHERE source_id IN (SELECT value FROM json_each(?))", [ids]).rowcount
    return gone


def drop_cell_drafts(project: Project, case_ids: Iterable[int]) -> int:
    """Delete the kept drafts of these cases' framework summaries (words typed about them,
    never saved), unlogged; how many."""
    return project.conn.execute(
        "DELETE FROM drafts WHERE json_extract(fields, '$.cell[0]') IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(case_ids))]).rowcount


def compact(project: Project) -> bool:
    """Write every committed change into the file, empty the ``-wal``, and rebuild the file
    so that no free page keeps erased bytes; False if another connection (reading) kept
    the file's old pages from being rewritten."""
    conn = project.conn
    _checkpoint(conn)
    conn.execute("VACUUM")
    return _checkpoint(conn)


def _checkpoint(conn: sqlite3.Connection) -> bool:
    """Checkpoint and truncate the ``-wal``, waiting a little for readers (not the full busy
    timeout: a workspace left open would hold a purge up for no gain)."""
    from fieldcase.store.db import BUSY_TIMEOUT_MS

    conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        busy: int = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return busy == 0
