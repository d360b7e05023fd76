"""What a project knows of its team hub: the hub's URL (never a password), the change
groups it holds, those it knows from the hub, and its open conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.store.db import table_exists

if TYPE_CHECKING:
    from fieldcase.store.project import Project

HUB_URL_KEY = "hub_url"  # the project_info key of the hub's URL; a setting, not in the change log


def hub_url(project: Project) -> str | None:
    """The URL of the project's hub, or None when it has none."""
    row = project.conn.execute("SELECT value FROM project_info WHERE key = ?", [HUB_URL_KEY]).fetchone()
    return str(row[0]) if row and row[0] else None


def set_hub_url(project: Project, url: str) -> None:
    """Attach the project to the hub at ``url`` (the caller has refused a URL with a password)."""
    with project.transaction():
        project.conn.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)",
                             [HUB_URL_KEY, url])


def group_uuids(project: Project) -> list[str]:
    """The uuids of the project's own change groups."""
    return [row[0] for row in project.conn.execute("SELECT uuid FROM change_groups")]


def seen_group_uuids(project: Project) -> set[str]:
    """The uuids of every change group the project holds or knows from the hub (its
    ``known_groups`` table, once sync keeps one)."""
    seen = set(group_uuids(project))
    if table_exists(project.conn, "known_groups"):
        seen.update(row[0] for row in project.conn.execute("SELECT uuid FROM known_groups"))
    return seen


def open_conflict_count(project: Project) -> int | None:
    """How many conflicts wait in the project (None: a file from before merging, not yet
    upgraded, keeps no conflicts table)."""
    if not table_exists(project.conn, "conflicts"):
        return None
    row = project.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()
    return int(row[0]) if row else 0
