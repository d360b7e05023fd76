"""The codebook as a readable document for a methods appendix."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.reports.templating import render
from fieldcase.store import codes

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def markdown(project: Project, template: str = "codebook.md.j2") -> str:
    """Render the codebook (definitions, criteria, examples, keywords) as Markdown."""
    tree = codes.tree(project)
    return render(
        template,
        project=project.info(),
        codes=tree,
        label=codes.label,
        today=date.today().isoformat(),
    )


def write_markdown(project: Project, path: str | Path) -> int:
    """Write :func:`markdown` to ``path``; returns the number of codes."""
    Path(path).write_text(markdown(project), encoding="utf-8")
    return len(codes.tree(project))
