"""The full-text index of source texts, kept in step with the sources.

The index is derived data and is not in the change log. Each indexed text version is a
row of ``search_docs``; a changed or removed source marks its row dead (SQLite 3.40's
contentless FTS5 cannot delete), and the index is rebuilt once dead rows outnumber live
ones. :func:`sync` compares text hashes, so it catches every write path, undo included.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from fieldcase.errors import CancelledError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

SCHEME_KEY = "scheme"
BATCH = 50


def scheme() -> str:
    """What the index terms depend on: the term format and OpenCC's character table."""
    import opencc

    return f"grams-4x36-v1 opencc-{getattr(opencc, '__version__', '?')}"


def sync(
    project: Project,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Index every source whose text is new or changed; returns how many were indexed."""
    from fieldcase.text.fold import fold
    from fieldcase.text.grams import index_terms

    conn = project.conn
    current = scheme()
    stored = conn.execute("SELECT value FROM search_meta WHERE key = ?", [SCHEME_KEY]).fetchone()
    if stored is None or stored[0] != current:
        _clear(project, current)
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
        with project.db.atomic():
            conn.executemany("UPDATE search_docs SET live = 0 WHERE id = ?", [[g] for g in gone])
    if _dead_outnumber_live(project):
        _clear(project, current)
        todo = [tuple(r) for r in conn.execute("SELECT id, text_sha256 FROM sources ORDER BY id")]
    for done in range(0, len(todo), BATCH):
        if cancel is not None and cancel.is_set():
            raise CancelledError("indexing cancelled; what was indexed is kept")
        batch = todo[done : done + BATCH]
        texts = dict(conn.execute(
            f"SELECT id, text FROM sources WHERE id IN ({','.join('?' * len(batch))})", [b[0] for b in batch]
        ).fetchall())
        with project.db.atomic():
            for source_id, sha in batch:
                if source_id not in texts:
                    continue
                cursor = conn.execute(
                    "INSERT INTO search_docs (source_id, text_sha256) VALUES (?, ?)", [source_id, sha]
                )
                conn.execute(
                    "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
                    [cursor.lastrowid, index_terms(fold(texts[source_id], variants=True))],
                )
        if progress is not None:
            progress(min(done + BATCH, len(todo)), len(todo))
    return len(todo)


def _dead_outnumber_live(project: Project) -> bool:
    dead, live = project.conn.execute(
        "SELECT count(*) FILTER (WHERE live = 0), count(*) FILTER (WHERE live = 1) FROM search_docs"
    ).fetchone()
    return dead > max(live, 20)


def _clear(project: Project, current: str) -> None:
    with project.db.atomic():
        project.conn.execute("INSERT INTO search_grams (search_grams) VALUES ('delete-all')")
        project.conn.execute("DELETE FROM search_docs")
        project.conn.execute(
            "INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)", [SCHEME_KEY, current]
        )


def rebuild(project: Project, **kwargs: object) -> int:
    """Drop the index and build it again from every source."""
    _clear(project, scheme())
    return sync(project, **kwargs)  # type: ignore[arg-type]


def matching_sources(project: Project, expression: str) -> set[int]:
    """Ids of live sources whose index terms match an FTS5 expression."""
    return {r[0] for r in project.conn.execute(
        "SELECT d.source_id FROM search_grams g JOIN search_docs d ON d.id = g.rowid"
        " WHERE search_grams MATCH ? AND d.live = 1",
        [expression],
    )}


def texts(project: Project, source_ids: Iterable[int]) -> dict[int, str]:
    """The texts of the given sources."""
    ids = list(source_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(project.conn.execute(
            f"SELECT id, text FROM sources WHERE id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall())
    return found


def live_sources(project: Project) -> set[int]:
    """Ids of every source (the index is synced before a search)."""
    return {r[0] for r in project.conn.execute("SELECT id FROM sources")}
