"""The codebook as a readable document for a methods appendix."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.reports.templating import render
from fieldcase.store import codes

if TYPE_CHECKING:
    from fieldcase.reports.pseudonyms import Pseudonyms
    from fieldcase.store.project import Project


def markdown(project: Project, template: str = "codebook.md.j2", *, rename: Pseudonyms | None = None) -> str:
    """Render the codebook (definitions, criteria, examples, keywords) as Markdown, every
    name, text and key through ``rename`` (the project's pseudonyms)."""
    from fieldcase.reports.pseudonyms import Pseudonyms

    rename = rename or Pseudonyms([])
    return render(
        template,
        project=rename.deep(project.info()),
        codes=rename.deep(codes.tree(project)),
        label=codes.label,
        today=date.today().isoformat(),
    )


def write_markdown(project: Project, path: str | Path, *, rename: Pseudonyms | None = None) -> int:
    """Write :func:`markdown` to ``path``; returns the number of codes."""
    Path(path).write_text(markdown(project, rename=rename), encoding="utf-8")
    return len(codes.tree(project))
