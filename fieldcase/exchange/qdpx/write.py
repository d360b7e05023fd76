"""Writing a project as REFI-QDA (``.qdpx``): ``project.qde`` valid against the project
schema 1.0, and each source's text as ``sources/GUID.txt`` (UTF-8).

The XML is written as it is made (``lxml.etree.xmlfile``) into the zip entry, codings read
from a cursor: memory holds one source's text and codings at a time, however many there
are. GUIDs are the rows' own UUIDs (or derived from them), so exporting twice gives the
same GUIDs. Positions are written as the chosen target counts them
(:mod:`fieldcase.text.refi_targets`).
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from fieldcase.coding.scope import Scope
from fieldcase.errors import CancelledError
from fieldcase.exchange.qdpx.document import Document
from fieldcase.exchange.qdpx.renaming import Moved, Renaming, Unchanged
from fieldcase.store import qdpx_rows, sources
from fieldcase.text.refi_targets import target as find_target
from fieldcase.text.english import count

if TYPE_CHECKING:
    from fieldcase.store.project import Project

Progress = Callable[[int, int], None]
BOM = b"\xef\xbb\xbf"


@dataclass
class ExportReport:
    """What a project export wrote, and what it could not carry."""

    path: str
    target: str
    sources: int = 0
    codes: int = 0
    codings: int = 0
    cases: int = 0
    sites: int = 0
    memos: int = 0
    users: int = 0
    variables: int = 0
    sets: int = 0
    left_out: list[str] = field(default_factory=list)
    replaced: bool = False  # a file of that name was there, and this one took its place


class Steps:
    """Progress over the sources (twice: the XML, then the texts) and the cancel check."""

    def __init__(self, progress: Progress | None, cancel: threading.Event | None, total: int) -> None:
        self.progress, self.cancel, self.total, self.at = progress, cancel, total, 0

    def __call__(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise CancelledError("export cancelled; nothing was written")
        self.at += 1
        if self.progress is not None:
            self.progress(self.at, self.total)


def export_project(project: Project, out: Path, *, target: str = "standard", scope: Scope | None = None,
                   rename: Renaming | None = None, progress: Progress | None = None,
                   cancel: threading.Event | None = None) -> ExportReport:
    """Write the project (the sources in ``scope``, their codings by its codes and coder) to
    ``out`` as a ``.qdpx`` for ``target``; ``rename`` applies pseudonyms to every text."""
    from fieldcase.exchange.qdpx import sections

    chosen = find_target(target)
    scope = scope or Scope()
    rename = rename or Unchanged()
    found = sources.ids_in_scope(project, scope)
    ids = sources.all_ids(project) if found is None else found
    report = ExportReport(path=str(out), target=chosen.name)
    rows = qdpx_rows.sources(project, ids)
    step = Steps(progress, cancel, 2 * len(rows))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("project.qde", "w", force_zip64=True) as raw, etree.xmlfile(raw, encoding="utf-8") as xf:
            xf.write_declaration()
            sections.write_all(Document(project, xf, chosen, scope, rename, report), rows, ids, step)
        for row in rows:
            step()
            text = qdpx_rows.text(project, row["id"])
            body = chosen.file_text(Moved(text, rename.replacements(text)).text).encode("utf-8")
            archive.writestr(f"sources/{row['uuid']}.txt", (BOM if chosen.bom else b"") + body)
    orphaned = qdpx_rows.orphaned(project, ids)
    if orphaned:
        report.left_out.append(f"{count(orphaned, 'coding')} whose words were lost in a text edit (re-anchor them first)")
    return report
