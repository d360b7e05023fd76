"""Adding the built-in framework codebook (:mod:`fieldcase.coding.framework`) to a project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldcase.coding.framework import framework_uuid, load
from fieldcase.store import codes
from fieldcase.store.code_index import CodeIndex

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


def install(project: Project, *, writer: ChangeWriter | None = None) -> int:
    """Add the framework's codes to a project's codebook; returns how many."""
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
