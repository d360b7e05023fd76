"""Who coded in the project, and how much: for choosing two coders to compare."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def by_codings(project: Project) -> list[tuple[str, int]]:
    """Every coder with their count of active codings, most first (then by name); only the
    user while blind coding is on."""
    from fieldcase.store import blinding

    shown = blinding.visible(project, None)
    return [(str(coder), int(n)) for coder, n in project.conn.execute(
        "SELECT coder, count(*) AS n FROM codings WHERE status = 'active' GROUP BY coder ORDER BY n DESC, coder")
        if shown is None or coder in shown]
