"""Finding the shipped ``templates/`` and ``sample_cases/`` folders.

In a wheel they live inside the package (``fieldcase/_shipped/``); in a source
checkout or an editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder of shipped data called ``name`` (``templates`` or ``sample_cases``)."""
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"fieldcase is missing its shipped folder {name!r}; reinstall it")
