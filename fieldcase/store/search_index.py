"""The full-text index of source texts, kept in step with the sources.

The index is derived data and is not in the change log. Each indexed text version is a
row of ``search_docs``; a changed or removed source marks its row dead (SQLite 3.40's
contentless FTS5 cannot delete), and the index is rebuilt once dead rows outnumber live
ones. :func:`sync` compares text hashes, so it catches every write path, undo included,
and it costs nothing when the database has not changed since the last call.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fieldcase.errors import CancelledError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

SCHEME = "grams-4x36-case-v2"  # change it whenever the index terms change
BATCH = 50
CACHE_CHARS = 64_000_000  # texts kept in memory between searches, in characters


@dataclass
class _State:
    """What one open connection remembers between searches."""

    token: tuple[int, int] | None = None  # (data_version, total_changes) at the last sync
    hashes: dict[int, str] = field(default_factory=dict)  # source id -> text hash, at that sync
    cache_key: str = ""  # the project file's resolved path


@dataclass
class _TextCache:
    """Source texts of one project file kept in memory, shared by its connections (a
    search worker opens its own); an entry is used only while its hash is current."""

    entries: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id -> (hash, text, folded)
    chars: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_STATES: weakref.WeakKeyDictionary[Project, _State] = weakref.WeakKeyDictionary()
_CACHES: dict[str, _TextCache] = {}


def _state(project: Project) -> _State:
    state = _STATES.get(project)
    if state is None:
        state = _STATES[project] = _State()
    return state


def _token(project: Project) -> tuple[int, int]:
    """Changes when this connection or any other writes to the database."""
    return project.conn.execute("PRAGMA data_version").fetchone()[0], project.conn.total_changes


def sync(
    project: Project,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Index every source whose text is new or changed; returns how many were indexed."""
    state = _state(project)
    if state.token is not None and state.token == _token(project):
        return 0
    count = _sync(project, progress, cancel)
    state.hashes = dict(project.conn.execute("SELECT id, text_sha256 FROM sources").fetchall())
    state.token = _token(project)
    state.cache_key = state.cache_key or str(project.path.resolve())
    cache = _CACHES.setdefault(state.cache_key, _TextCache())
    with cache.lock:
        for source_id in [i for i, e in cache.entries.items() if state.hashes.get(i) != e[0]]:
            cache.chars -= len(cache.entries.pop(source_id)[1])
    return count


def _sync(project: Project, progress: Callable[[int, int], None] | None, cancel: threading.Event | None) -> int:
    from fieldcase.text.fold import fold_case
    from fieldcase.text.grams import index_terms

    conn = project.conn
    stored = conn.execute("SELECT value FROM search_meta WHERE key = 'scheme'").fetchone()
    if stored is None or stored[0] != SCHEME:
        _clear(project)
    gone = [r[0] for r in conn.execute(
        "SELECT d.id FROM search_docs d LEFT JOIN sources s ON s.id = d.source_id"
        " WHERE d.live = 1 AND (s.id IS NULL OR s.text_sha256 != d.text_sha256)"
    )]
    todo = [tuple(r) for r in conn.execute(
        "SELECT s.id, s.text_sha256 FROM sources s"
        " LEFT JOIN search_docs d ON d.source_id = s.id AND d.live = 1 AND d.text_sha256 = s.text_sha256"
        " WHERE d.id IS NULL ORDER BY s.id"
    )]
    if gone:
        with project.transaction():
            conn.executemany("UPDATE search_docs SET live = 0 WHERE id = ?", [[g] for g in gone])
    if _dead_outnumber_live(project):
        _clear(project)
        todo = [tuple(r) for r in conn.execute("SELECT id, text_sha256 FROM sources ORDER BY id")]
    for done in range(0, len(todo), BATCH):
        if cancel is not None and cancel.is_set():
            raise CancelledError("indexing cancelled; what was indexed is kept")
        batch = todo[done : done + BATCH]
        found = texts(project, [b[0] for b in batch])
        terms = {i: index_terms(fold_case(found[i])) for i, _ in batch if i in found}  # before taking the lock
        with project.transaction():
            indexed = _live(project, [i for i, _ in batch])  # by another process meanwhile
            for source_id, sha in batch:
                if source_id not in found or (source_id, sha) in indexed:
                    continue
                cursor = conn.execute(
                    "INSERT INTO search_docs (source_id, text_sha256) VALUES (?, ?)", [source_id, sha]
                )
                conn.execute(
                    "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)", [cursor.lastrowid, terms[source_id]]
                )
        if progress is not None:
            progress(min(done + BATCH, len(todo)), len(todo))
    return len(todo)


def _live(project: Project, source_ids: list[int]) -> set[tuple[int, str]]:
    """``(source id, text hash)`` of the live index rows of these sources."""
    marks = ",".join("?" * len(source_ids))
    return {(r[0], r[1]) for r in project.conn.execute(
        f"SELECT source_id, text_sha256 FROM search_docs WHERE live = 1 AND source_id IN ({marks})", source_ids
    )}


def _dead_outnumber_live(project: Project) -> bool:
    dead: int
    live: int
    dead, live = project.conn.execute(
        "SELECT count(*) FILTER (WHERE live = 0), count(*) FILTER (WHERE live = 1) FROM search_docs"
    ).fetchone()
    return dead > max(live, 20)


def _clear(project: Project) -> None:
    with project.transaction():
        project.conn.execute("INSERT INTO search_grams (search_grams) VALUES ('delete-all')")
        project.conn.execute("DELETE FROM search_docs")
        project.conn.execute("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('scheme', ?)", [SCHEME])


def rebuild(project: Project, *, progress: Callable[[int, int], None] | None = None,
            cancel: threading.Event | None = None) -> int:
    """Drop the index and build it again from every source."""
    _clear(project)
    _state(project).token = None
    return sync(project, progress=progress, cancel=cancel)


def rebuild_clean(project: Project) -> int:
    """Rebuild the index and merge it into one segment, so that no term of a text that is
    gone (a purge) stays in it, not even in a segment waiting to be merged."""
    count = rebuild(project)
    project.conn.execute("INSERT INTO search_grams (search_grams) VALUES ('optimize')")
    return count


def matching_sources(project: Project, expression: str) -> set[int]:
    """Ids of live sources whose index terms match an FTS5 expression."""
    return {r[0] for r in project.conn.execute(
        "SELECT d.source_id FROM search_grams g JOIN search_docs d ON d.id = g.rowid"
        " WHERE search_grams MATCH ? AND d.live = 1",
        [expression],
    )}


def live_sources(project: Project) -> set[int]:
    """Ids of every source, as of the last :func:`sync`."""
    state = _state(project)
    if state.token is None:
        sync(project)
    return set(state.hashes)


def texts(project: Project, source_ids: Iterable[int]) -> dict[int, str]:
    """The texts of the given sources, read from the database."""
    ids = list(source_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(project.conn.execute(
            f"SELECT id, text FROM sources WHERE id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall())
    return found


def folded_texts(project: Project, source_ids: Iterable[int], *, keep: bool = True) -> dict[int, tuple[str, str]]:
    """``(text, case-folded text)`` of the given sources, kept in memory between searches
    (up to :data:`CACHE_CHARS`) until a text changes; call after :func:`sync`. ``keep=False``
    (one pass over every text, as an export of all hits): what is kept is used, nothing
    more is kept."""
    from fieldcase.text.fold import fold_case

    state = _state(project)
    hashes = state.hashes
    cache = _CACHES.setdefault(state.cache_key or str(project.path.resolve()), _TextCache())
    ids = list(source_ids)
    out: dict[int, tuple[str, str]] = {}
    for i in ids:
        entry = cache.entries.get(i)
        if entry is not None and entry[0] == hashes.get(i):
            out[i] = (entry[1], entry[2])
    missing = [i for i in ids if i not in out]
    for source_id, text in texts(project, missing).items():
        folded = fold_case(text)
        pair = (text, text if folded == text else folded)
        out[source_id] = pair
        with cache.lock:
            if keep and source_id not in cache.entries and cache.chars + len(text) <= CACHE_CHARS:
                cache.entries[source_id] = (hashes.get(source_id, ""), *pair)
                cache.chars += len(text)
    return out
