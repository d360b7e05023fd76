"""What a project knows of its team hub: the hub's URL (never a password), the change
groups it holds, those it knows from the hub, and its open conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.store.db import table_exists

if TYPE_CHECKING:
    from fieldcase.store.project import Project

HUB_URL_KEY = "hub_url"  # the project_info key of the hub's URL; a setting, not in the change log
LAST_SYNC_KEY = "hub_last_sync"  # the last sync's outcome (JSON), for a status line that asks no hub


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


def note_sync(project: Project, *, reached: bool, pushed: bool = True) -> None:
    """Note a sync's outcome: whether the hub answered, and (when it took this project's
    groups) the newest group it holds, so that :func:`last_sync` counts what waits."""
    import json

    before = last_sync(project)
    newest = before.get("pushed_through", 0)
    if reached and pushed:
        row = project.conn.execute("SELECT coalesce(max(id), 0) FROM change_groups").fetchone()
        newest = int(row[0]) if row else 0
    with project.transaction():
        project.conn.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)",
                             [LAST_SYNC_KEY, json.dumps({"reached": reached, "pushed_through": newest})])


def last_sync(project: Project) -> dict[str, Any]:
    """The last sync's outcome as noted here: ``reached`` (None: never synced here),
    ``pushed_through`` (the newest group the hub took) and ``to_push`` (groups made since:
    a local count, which never asks the hub)."""
    import json

    row = project.conn.execute("SELECT value FROM project_info WHERE key = ?", [LAST_SYNC_KEY]).fetchone()
    noted: dict[str, Any] = json.loads(row[0]) if row and row[0] else {"reached": None, "pushed_through": 0}
    waiting = project.conn.execute("SELECT count(*) FROM change_groups WHERE id > ?",
                                   [int(noted.get("pushed_through", 0))]).fetchone()
    return {**noted, "to_push": int(waiting[0]) if waiting else 0}
