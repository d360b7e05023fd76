"""Words: the project glossary (terms segmentation keeps whole) and cached word counts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store.changes import now

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def add(project: Project, term: str, note: str | None = None) -> dict[str, Any]:
    """Add a term (an existing one is left as it is); returns it."""
    term = (term or "").strip()
    if not term or any(c.isspace() for c in term):
        raise InputError(f"glossary term {term!r}: write one term without spaces")
    found = project.query("SELECT * FROM glossary WHERE term = ?", [term])
    if found:
        return found[0]
    with project.change("glossary.add", f"Added {term} to the glossary") as w:
        w.insert("glossary", {"term": term, "note": note, "created_at": now(), "created_by": project.user})
    return project.query("SELECT * FROM glossary WHERE term = ?", [term])[0]


def remove(project: Project, term: str) -> None:
    """Take a term out of the glossary."""
    found = project.query("SELECT id FROM glossary WHERE term = ?", [term.strip()])
    if not found:
        raise NotFoundError(f"{term!r} is not in the glossary")
    with project.change("glossary.remove", f"Removed {term} from the glossary") as w:
        w.delete("glossary", found[0]["id"])


def list_all(project: Project) -> list[dict[str, Any]]:
    """Every glossary term, in order."""
    return project.query("SELECT * FROM glossary ORDER BY term")


def segmentation_terms(project: Project) -> list[str]:
    """Terms to keep whole: the glossary and every code keyword with a Chinese character."""
    terms = {r["term"] for r in list_all(project)}
    for row in project.query("SELECT keywords FROM codes WHERE keywords IS NOT NULL"):
        for keyword in json.loads(row["keywords"] or "[]"):
            if any("\u3400" <= c <= "\u9fff" for c in keyword) and " " not in keyword:
                terms.add(keyword)
    return sorted(terms)


def cached_counts(project: Project, ids: list[int], dictionary: str) -> dict[int, dict[str, int]]:
    """Word counts stored for these sources under this dictionary, where the text is unchanged."""
    out: dict[int, dict[str, int]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for source_id, counts in project.conn.execute(
            "SELECT w.source_id, w.counts FROM word_cache w JOIN sources s ON s.id = w.source_id"
            f" WHERE w.source_id IN ({','.join('?' * len(chunk))}) AND w.dictionary = ?"
            " AND w.text_sha256 = s.text_sha256",
            [*chunk, dictionary],
        ):
            out[source_id] = json.loads(counts)
    return out


def store_counts(project: Project, rows: list[tuple[int, str, dict[str, int]]], dictionary: str) -> None:
    """Keep computed counts, ``(source_id, text_sha256, counts)``: derived data, not logged."""
    with project.transaction():
        project.conn.executemany(
            "INSERT OR REPLACE INTO word_cache (source_id, text_sha256, dictionary, counts) VALUES (?, ?, ?, ?)",
            [(i, sha, dictionary, json.dumps(c, ensure_ascii=False, separators=(",", ":"))) for i, sha, c in rows],
        )


def source_texts(project: Project, ids: list[int]) -> list[dict[str, Any]]:
    """``id``, ``text``, ``text_sha256`` and ``turns`` of the given sources."""
    out = []
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        out += project.query(
            f"SELECT id, text, text_sha256, turns FROM sources WHERE id IN ({','.join('?' * len(chunk))})", chunk
        )
    return out
