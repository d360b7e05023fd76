"""The texts of a REFI-QDA project being imported: each source's text read from the archive
(or inline, or from its Word file), normalised, with the map from the producer's positions;
what has no text is reported, not imported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldcase.errors import InputError
from fieldcase.exchange.qdpx import model
from fieldcase.exchange.qdpx.archive import Package
from fieldcase.text.normalize import text_hash
from fieldcase.text.refi_positions import PositionMap, counting_for

if TYPE_CHECKING:
    from fieldcase.exchange.qdpx.import_project import QdpxReport


@dataclass
class SourceText:
    """A source's text, read and normalised, with the map from the producer's positions."""

    source: model.Source
    positions: PositionMap
    sha256: str



def read_texts(package: Package, document: model.Project, report: QdpxReport) -> dict[str, SourceText]:
    """Each source's text by GUID, from the archive or inline; a source without one is reported."""
    counting = counting_for(document.origin)
    found: dict[str, SourceText] = {}
    missing: set[str] = set()  # the texts said to be missing
    for note in document.notes:
        if note.text is None and note.text_path:
            data = package.read(note.text_path)
            note.text = None if data is None else _decode(data, note.text_path)
    for source in document.sources:
        raw = source.text
        if raw is None and source.text_path:
            data = package.read(source.text_path)
            raw = None if data is None else _decode(data, source.text_path)
        if raw is None and source.rich_path:
            raw = _from_word(package, source, report)
        if raw is None or not raw.strip():
            why = "its text is empty" if raw is not None else (
                f"its text ({source.text_path}) is not in the archive" if source.text_path else "it has no text")
            what = f"{'transcript' if source.kind == 'Transcript' else 'source'} {source.name!r}: {why}"
            if source.text_path and not source.selections and source.text_path in missing:
                continue  # ATLAS.ti lists a transcript twice (under its recording, and as a source): said once
            missing.add(source.text_path or "")
            if source.selections:
                report.left.add(what, "selection", " not imported", n=len(source.selections))
            else:
                report.left.note(what + " (not imported)")
            continue
        positions = PositionMap(raw, counting)
        key = source.guid if source.guid not in found else f"{source.guid}#{len(found)}"  # a GUID repeated
        found[key] = SourceText(source, positions, text_hash(positions.text))
    return found


def _from_word(package: Package, source: model.Source, report: QdpxReport) -> str | None:
    """The text of a source given only as a Word file (``richTextPath``), as fieldcase reads
    Word; its selections count over a plain text the file lacks, so they are reported, not placed."""
    from fieldcase.importers.docx import read_docx

    path = source.rich_path or ""
    data = package.read(path) if path.lower().endswith(".docx") else None
    if data is None:
        return None
    try:
        text = read_docx(data).text
    except InputError as err:
        report.left.note(f"source {source.name!r}: its Word file {path} cannot be read ({err})")
        return None
    if source.selections or source.codings:
        report.left.note(f"source {source.name!r}: its text comes from its Word file (no plain text in "
                                  f"the archive), so its {len(source.selections)} selection(s) cannot be placed")
        source.selections, source.codings = [], []
    return text


def _decode(data: bytes, name: str) -> str:
    """A text of the archive: UTF-8 (with or without BOM) as the standard says, else guessed."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from fieldcase.importers.encoding import decode

        try:
            return decode(data).text
        except InputError as err:
            raise InputError(f"{name}: {err}") from err
