"""The bundled, fictional sample project: X village, Xiamu Village, Nandan and Quzhou."""

from __future__ import annotations

from pathlib import Path

from fieldcase.importers import ImportResult, import_paths
from fieldcase.importers.manifest import load_manifest
from fieldcase.resources import shipped
from fieldcase.store.project import Project, init_project

SAMPLE_NAME = "fieldcase sample (fictional)"


def build_sample(path: str | Path, *, user: str | None = None) -> tuple[Project, list[ImportResult]]:
    """Create a new project at ``path`` from ``sample_cases/`` and import its sources."""
    folder = shipped("sample_cases")
    project = init_project(path, user=user, name=SAMPLE_NAME)
    load_manifest(project, folder / "project.toml")
    results = import_paths(project, [folder / "sources"])
    failed = [r for r in results if r.status == "error"]
    if failed:
        raise RuntimeError(f"the bundled sample did not import: {failed[0].path}: {failed[0].error}")
    return project, results
