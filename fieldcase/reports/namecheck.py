"""``--check-names``: reading back what an export wrote, before it is put in place, and
listing every place a listed real name (in any spelling, or spelt in a code key) still
stands: the file name, each line of Markdown, HTML or a .qdc, each cell of a table, each
paragraph, table cell, header, footer and property of a Word file."""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.coding.key_names import KeyNames
from fieldcase.reports.pseudonyms import first
from fieldcase.text.spellings import NameFinder

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.store.pseudonyms import Form


class NameCheck:
    """Finds listed real names in the texts of an export, place by place."""

    def __init__(self, forms: list[Form]) -> None:
        self.finder = NameFinder([f.text for f in forms if not f.label], standalone=[f.text for f in forms if f.label])
        self.real = first(((f.text, f.label), f.real) for f in forms)
        self.keys = KeyNames(first((f.text, f.real) for f in forms if not f.label))
        self.places: list[str] = []

    def look(self, where: str, text: str) -> None:
        """Note each listed name in ``text``, found at ``where``."""
        hits = [(h.start, h.end, self.real[h.name, h.standalone]) for h in self.finder.find(text)]
        hits += [k for k in self.keys.find(text) if not any(s < k[1] and k[0] < e for s, e, _ in hits)]
        for start, end, real in sorted(hits):
            written = text[start:end]
            also = "" if written == real else f" (for {real})"
            self.places.append(f"{where}: {written}{also}")


def check_file(project: Project, path: Path, fmt: str, *, name: str) -> list[str]:
    """Every place in the export at ``path`` (to be called ``name``) where a listed real
    name still stands, one line each; empty when none does."""
    from fieldcase.store import pseudonyms

    check = NameCheck(pseudonyms.forms(project))
    check.look(f"{name}: file name", name)
    _read(check, path, fmt, name)
    return check.places


class _Texts:
    """Gathers the texts of an export, as the readers below hand them out."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def look(self, where: str, text: str) -> None:
        self.texts.append(text)


def unlisted_people(project: Project, path: Path, fmt: str) -> dict[str, int]:
    """Names in the export at ``path`` that look like people's, in pinyin (Wei Gang) or in
    characters (王建国), and are neither listed for pseudonyms nor a pseudonym nor a word of
    the project's glossary, with how often each stands: a name a source mentions in passing
    (a husband, a neighbour) travels with the export unless someone lists it."""
    from fieldcase.store import pseudonyms, words
    from fieldcase.text.person_names import han_names, pinyin_names
    from fieldcase.text.spellings import fold_name

    texts = _Texts()
    _read(texts, path, fmt, path.name)  # type: ignore[arg-type]  # it looks as a NameCheck does
    known = {fold_name(f.text) for f in pseudonyms.forms(project)}
    known |= {fold_name(p) for p in pseudonyms.mapping(project).values()}
    found = pinyin_names(texts.texts) + han_names(texts.texts, terms=words.segmentation_terms(project))
    return {n: c for n, c in found.most_common() if fold_name(n) not in known}


def _read(check: NameCheck, path: Path, fmt: str, name: str) -> None:
    """Hand every text of the export at ``path`` to ``check.look`` with where it stands."""
    if fmt == "csv":
        _csv(check, path, name)
    elif fmt == "xlsx":
        _xlsx(check, path, name)
    elif fmt == "qdpx":
        _qdpx(check, path, name)
    elif fmt == "docx":
        _parts(check, path, name, prefix=("word/", "docProps/", "customXml/"))
    else:
        unescape = html.unescape if fmt in ("html", "qdc") else (lambda line: line)
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            check.look(f"{name}: line {number}", unescape(line))


def _csv(check: NameCheck, path: Path, name: str) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0] if rows else []
    for number, row in enumerate(rows, 1):
        for index, cell in enumerate(row):
            column = header[index] if number > 1 and index < len(header) else f"column {index + 1}"
            check.look(f"{name}: row {number}, {column}", cell)


def _xlsx(check: NameCheck, path: Path, name: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        check.look(f"{name}: sheet name", sheet.title)
        header: list[object] = []
        for number, row in enumerate(sheet.iter_rows(), 1):
            header = header or [c.value for c in row]
            for index, cell in enumerate(row):
                if isinstance(cell.value, str):
                    column = f" ({header[index]})" if number > 1 and index < len(header) else ""
                    check.look(f"{name}: sheet {sheet.title}, cell {cell.coordinate}{column}", cell.value)
    book.close()
    _parts(check, path, name, prefix=("docProps/",))


def _parts(check: NameCheck, path: Path, name: str, *, prefix: tuple[str, ...]) -> None:
    from fieldcase.reports.docx_parts import pieces, read_parts

    for part, root in read_parts(path):
        if part.startswith(prefix):
            for piece in pieces(root):
                check.look(f"{name}: {part}, {piece.where}", piece.text)


def _qdpx(check: NameCheck, path: Path, name: str) -> None:
    """Every attribute and text of ``project.qde`` and every line of the sources' texts."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        for entry in archive.namelist():
            check.look(f"{name}: entry name", entry)
            with archive.open(entry) as handle:
                if entry.lower().endswith(".qde"):
                    parser = etree.iterparse(handle, events=("end",), resolve_entities=False, no_network=True,
                                             huge_tree=True)
                    for _, element in parser:
                        where = f"{name}: {entry}, <{etree.QName(element).localname} {element.get('guid') or ''}>"
                        for key, value in element.attrib.items():
                            check.look(f"{where} {key}", value)
                        check.look(where, element.text or "")
                        element.clear()
                else:
                    for number, line in enumerate(handle.read().decode("utf-8-sig", "replace").splitlines(), 1):
                        check.look(f"{name}: {entry}, line {number}", line)
