"""The project store: the only package that knows table names."""

from __future__ import annotations

from fieldcase.store.project import Project, init_project, open_project

__all__ = ["Project", "init_project", "open_project"]
