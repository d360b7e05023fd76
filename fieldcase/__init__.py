"""fieldcase: offline case management and coding for qualitative field research."""

from __future__ import annotations

__version__ = "0.1.0"

from fieldcase.errors import FieldcaseError
from fieldcase.store import Project, init_project, open_project

__all__ = ["FieldcaseError", "Project", "__version__", "init_project", "open_project"]
