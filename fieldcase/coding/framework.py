"""The built-in framework codebook, kept as data in ``framework.toml``.

Its codes get UUIDs derived from their keys, so every project's copy of the
framework shares GUIDs and codebooks from different projects merge cleanly.
"""

from __future__ import annotations

import tomllib
import uuid
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

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


def install(project: Project, *, writer: ChangeWriter | None = None) -> int:
    """Add the framework's codes to a project's codebook; returns how many."""
    from fieldcase.store import codes
    from fieldcase.store.code_index import CodeIndex

    data = load()
    ids: dict[str, int] = {}
    with project.writing(writer, "codebook.framework", "Loaded the built-in framework") as w:
        known = CodeIndex(project)
        for spec in data["codes"]:
            description = "\n\n".join(
                part for part in (spec.get("definition_zh"), spec.get("definition")) if part
            )
            row = codes.add(
                project,
                key=spec["key"],
                name_zh=spec["name_zh"],
                name_en=spec["name_en"],
                parent=ids[spec["parent"]] if spec.get("parent") else None,
                description=description or None,
                inclusion=spec.get("inclusion"),
                exclusion=spec.get("exclusion"),
                example=spec.get("example"),
                color=spec.get("color"),
                keywords=[*spec.get("keywords_zh", []), *spec.get("keywords_en", [])],
                origin="framework",
                uuid=framework_uuid(spec["key"]),
                writer=w,
                known=known,
            )
            ids[spec["key"]] = row["id"]
    return len(ids)
