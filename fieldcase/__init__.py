"""fieldcase: offline case management and coding for qualitative field research."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["FieldcaseError", "Project", "__version__", "init_project", "open_project"]


def __getattr__(name: str) -> Any:
    """Load the store only when asked for, so the workspace can draw before SQLite is touched."""
    if name == "FieldcaseError":
        from fieldcase.errors import FieldcaseError

        return FieldcaseError
    if name in ("Project", "init_project", "open_project"):
        from fieldcase import store

        return getattr(store, name)
    raise AttributeError(f"module 'fieldcase' has no attribute {name!r}")
