"""The sample project coded as a researcher might: every keyword suggestion taken."""

from __future__ import annotations

from pathlib import Path

from fieldcase.analysis.suggest import suggest
from fieldcase.store import codings, pseudonyms
from fieldcase.store.project import open_project


def code_sample(path: Path, *, names: bool = True) -> Path:
    """Accept every suggestion of the sample (by code, in one change each) and list two
    pseudonyms (李玲 → L, 刘霞 → X), so that exports have something to rename."""
    with open_project(path, user="tester") as project:
        spans: dict[str, list[tuple[int, int, int]]] = {}
        for found in suggest(project, store=False):
            spans.setdefault(found.code_key, []).append((found.source_id, found.start, found.end))
        for key, places in sorted(spans.items()):
            codings.add_many(project, key, places, coder="tester")
        if names:
            pseudonyms.add(project, "李玲", "L")
            pseudonyms.add(project, "刘霞", "X")
    return path
