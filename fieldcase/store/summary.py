"""A project at a glance: counts of what it holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def summarize(project: Project) -> dict[str, Any]:
    """Counts of sites, cases, sources (by kind), characters, turns and logged changes."""
    one = project.conn.execute
    kinds = {
        row[0]: row[1]
        for row in one("SELECT kind, count(*) FROM sources GROUP BY kind ORDER BY kind").fetchall()
    }
    return {
        "name": project.info().get("name"),
        "path": str(project.path),
        "sites": one("SELECT count(*) FROM sites").fetchone()[0],
        "cases": one("SELECT count(*) FROM cases").fetchone()[0],
        "sources": sum(kinds.values()),
        "sources_by_kind": kinds,
        "chars": one("SELECT coalesce(sum(chars), 0) FROM sources").fetchone()[0],
        "turns": one("SELECT count(*) FROM turns").fetchone()[0],
        "changes": one("SELECT count(*) FROM change_groups").fetchone()[0],
    }
