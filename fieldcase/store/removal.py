"""Logged removals shared by deleting a code and deleting a source: the codings made with
it (and their memos), the researcher's decisions on its suggestions, memos on a target.

Each goes through the change writer, so that undo brings every row back as it was; open
suggestions are derived and go with their code or source unlogged (a foreign key cascade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.store import cells

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


def delete_memos(project: Project, w: ChangeWriter, target_type: str, target_id: int) -> None:
    """Delete the memos written on one code, coding, source …"""
    for memo in project.query(
        "SELECT id FROM memos WHERE target_type = ? AND target_id = ? ORDER BY id", [target_type, target_id]
    ):
        w.delete("memos", memo["id"])


def delete_work(project: Project, w: ChangeWriter, column: str, value: int) -> None:
    """Delete the decided suggestions and the codings (with their memos) whose ``column``
    (``code_id`` or ``source_id``) is ``value``."""
    assert column in ("code_id", "source_id")
    for decided in project.query(
        f"SELECT id FROM suggestions WHERE {column} = ? AND status != 'open' ORDER BY id", [value]
    ):
        w.delete("suggestions", decided["id"])
    for coding in project.query(f"SELECT id FROM codings WHERE {column} = ? ORDER BY id", [value]):
        delete_memos(project, w, "coding", coding["id"])
        cells.coding_goes(project, w, coding["id"])
        w.delete("codings", coding["id"])
