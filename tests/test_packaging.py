"""The wheel carries the shipped templates and sample cases, so an installed fieldcase finds them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_shipped_folders(tmp_path):
    wheel = Path(next(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])))
    names = zipfile.ZipFile(wheel).namelist()
    assert "fieldcase/_shipped/sample_cases/project.toml" in names
    assert any(n.startswith("fieldcase/_shipped/sample_cases/sources/") and n.endswith(".docx") for n in names)
    assert any(n.startswith("fieldcase/_shipped/templates/") for n in names)
    assert "fieldcase/store/migrations/0001_initial.sql" in names
