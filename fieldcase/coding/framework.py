"""The built-in framework codebook, kept as data in ``framework.toml``.

Its codes get UUIDs derived from their keys, so every project's copy of the
framework shares GUIDs and codebooks from different projects merge cleanly.
:mod:`fieldcase.store.framework` adds it to a project.
"""

from __future__ import annotations

import tomllib
import uuid
from functools import cache
from importlib import resources
from typing import Any

# Fixed namespace for the framework codes' UUIDs (uuid5 of the key).
FRAMEWORK_NAMESPACE = uuid.UUID("6f1c2a4e-3b8d-5e7f-9a10-fc1d2e3a4b5c")


@cache
def load() -> dict[str, Any]:
    """The framework as written in ``framework.toml``."""
    text = resources.files(__package__).joinpath("framework.toml").read_text("utf-8")
    return tomllib.loads(text)


def framework_uuid(key: str) -> str:
    """The UUID every project gives the framework code ``key``."""
    return str(uuid.uuid5(FRAMEWORK_NAMESPACE, key))
