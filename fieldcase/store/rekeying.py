"""One thing made on two copies (the same text imported on two laptops) comes to have one
UUID on every copy: the row here takes the other's, and the rows pointing at it are logged
again so that the hub and the other copies see them point at the new key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.store.merging import MEMO_TARGETS, TABLES

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


def survivor(a: str, b: str) -> str:
    """Of two UUIDs of one thing, the one every copy keeps (whichever copy decides)."""
    return min(a, b)


def rekey(project: Project, w: ChangeWriter, table: str, row_id: int, new_uuid: str) -> None:
    """Give ``table``'s row ``row_id`` the UUID ``new_uuid`` and touch the rows pointing at it."""
    w.rekey(table, row_id, new_uuid)
    for child, columns in TABLES.items():
        for column, target in columns.items():
            if target == table:
                for (child_id,) in project.conn.execute(
                        f'SELECT id FROM "{child}" WHERE "{column}" = ? ORDER BY id', [row_id]).fetchall():
                    w.touch(child, child_id)
    kind = next((k for k, t in MEMO_TARGETS.items() if t == table), None)
    if kind is not None:
        for (memo_id,) in project.conn.execute(
                "SELECT id FROM memos WHERE target_type = ? AND target_id = ? ORDER BY id", [kind, row_id]).fetchall():
            w.touch("memos", memo_id)
