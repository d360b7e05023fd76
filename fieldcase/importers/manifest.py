"""Loading sites, cases and attribute definitions from a ``project.toml`` manifest."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from fieldcase.errors import InputError
from fieldcase.store import attributes, cases, sites
from fieldcase.store.project import Project


def load_manifest(project: Project, path: Path) -> dict[str, int]:
    """Add the manifest's attribute definitions, sites and cases in one change group."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: not a valid TOML manifest ({err})") from err
    counts = {"attributes": 0, "sites": 0, "cases": 0}
    with project.change("manifest", f"Loaded {path.name}") as w:
        for spec in data.get("attributes", []):
            attributes.define(
                project,
                _need(spec, "on", path),
                _need(spec, "name", path),
                spec.get("type", "text"),
                choices=spec.get("choices"),
                description=spec.get("description"),
                writer=w,
            )
            counts["attributes"] += 1
        for spec in data.get("sites", []):
            sites.add(
                project,
                _need(spec, "name", path),
                county=spec.get("county"),
                province=spec.get("province"),
                region=spec.get("region"),
                notes=spec.get("notes"),
                attrs=spec.get("attributes"),
                writer=w,
            )
            counts["sites"] += 1
        for spec in data.get("cases", []):
            cases.add(
                project,
                _need(spec, "name", path),
                site=spec.get("site"),
                kind=spec.get("kind", "person"),
                notes=spec.get("notes"),
                attrs=spec.get("attributes"),
                aliases=spec.get("aliases", []),
                writer=w,
            )
            counts["cases"] += 1
    return counts


def _need(spec: dict[str, Any], key: str, path: Path) -> Any:
    if key not in spec:
        raise InputError(f"{path}: an entry lacks {key!r}: {spec}")
    return spec[key]
