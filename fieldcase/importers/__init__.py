"""Bringing files into a project: one transaction per file, nothing half-stored.

``import_paths`` expands folders, reads each supported file (``.txt``, ``.md``,
``.docx``), applies its metadata header and the caller's defaults, recognises
speaker turns in interviews and stores it, reporting one :class:`ImportResult`
per file. A bad file is reported and skipped; the others still import. A document in
a folder that fieldcase cannot read (``.doc``, ``.pdf`` …) is reported with what to do;
other files (photos, recordings) are counted; hidden and temporary files are skipped;
links inside folders are named and not followed unless asked (``files``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fieldcase.errors import FieldcaseError, InputError, NotFoundError
from fieldcase.importers.encoding import readable_name
from fieldcase.importers.files import MAX_FILE_BYTES, Found, expand, read_bytes, shown  # noqa: F401 - API
from fieldcase.importers.formats import DOCX_SUFFIXES
from fieldcase.importers.header import date_in_first_lines, place_in_first_lines, split_header
from fieldcase.store import cases, sites, sources, speakers
from fieldcase.store.project import Project
from fieldcase.text.normalize import guess_language, normalize_text, text_hash
from fieldcase.text.turns import find_turns

Progress = Callable[[int, int], None]


@dataclass
class ImportOptions:
    """Defaults for imported files; a file's own header wins over these."""

    site: str | None = None
    cases: list[str] = field(default_factory=list)
    kind: str | None = None
    date: str | None = None
    interviewer: str | None = None
    title: str | None = None
    place: str | None = None
    language: str | None = None
    consent: str | None = None
    encoding: str | None = None


@dataclass
class ImportResult:
    """What happened to one file."""

    path: str
    # imported | duplicate | error | unsupported (a document not read) | ignored (not a
    # document) | skipped (a link in a folder, not followed)
    status: str
    id: int | None = None
    title: str | None = None
    chars: int = 0
    encoding: str | None = None
    turns: int = 0
    error: str | None = None
    duplicate_of: int | None = None
    created: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The result as the ``--json`` output prints it."""
        return asdict(self)


@dataclass
class _Prepared:
    fields: dict[str, Any]
    site: str | None
    case_names: list[str]
    case_ids: list[int]
    extra: dict[str, str]
    turns: list[Any]


def summary(results: list[ImportResult]) -> str:
    """One line counting what an import did: imported, and those of duplicates, documents
    not read, failures and other files left alone (by suffix) that there were."""
    counted = {status: sum(r.status == status for r in results)
               for status in ("imported", "duplicate", "unsupported", "skipped", "error")}
    parts = [f"{counted['imported']} imported"]
    if counted["duplicate"]:
        parts.append(f"{counted['duplicate']} {'duplicate' if counted['duplicate'] == 1 else 'duplicates'} skipped")
    if counted["unsupported"]:
        parts.append(f"{counted['unsupported']} not imported (a format fieldcase cannot read)")
    if counted["skipped"]:
        parts.append(f"{counted['skipped']} {'link' if counted['skipped'] == 1 else 'links'} not followed")
    if counted["error"]:
        parts.append(f"{counted['error']} failed")
    line = ", ".join(parts)
    others = [Path(r.path).suffix.lower() or "(none)" for r in results if r.status == "ignored"]
    if others:
        kinds = ", ".join(dict.fromkeys(others))
        line += f"; {len(others)} other {'file' if len(others) == 1 else 'files'} left alone ({kinds})"
    return line


def check_options(project: Project, options: ImportOptions) -> tuple[ImportOptions, list[int]]:
    """Validate defaults once, before any file: unknown sites or cases stop the batch.

    Returns the options in canonical form and the ids of the cases they name.
    """
    for name, value in asdict(options).items():
        if any(isinstance(v, str) and not _is_text(v) for v in (value if isinstance(value, list) else [value])):
            raise InputError(f"--{'case' if name == 'cases' else name}: not valid text (it holds bytes that are not UTF-8)")
    checked = ImportOptions(**asdict(options))
    if options.site:
        checked.site = sites.find(project, options.site)["name"]
    site_id = sites.find(project, checked.site)["id"] if checked.site else None
    case_ids = [_existing_case(project, name, site_id) for name in options.cases]
    if options.kind:
        checked.kind = sources.check_kind(options.kind)
    if options.date:
        checked.date = sources.check_date(options.date)
    if options.consent:
        checked.consent = sources.check_consent(options.consent)
    if options.encoding:
        import codecs

        try:
            codecs.lookup(options.encoding)
        except LookupError as err:
            raise InputError(f"unknown encoding {options.encoding!r}") from err
    return checked, case_ids


def _is_text(value: str) -> bool:
    """Whether a string can be stored: an argument in bytes that are not UTF-8 cannot."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _existing_case(project: Project, name: str, site_id: int | None) -> int:
    """The id of an existing case, preferring one in the given site."""
    case: dict[str, Any] | None = None
    if site_id is not None:
        try:
            case = cases.find(project, name, site_id=site_id)
        except NotFoundError:
            pass
    if case is None:
        case = cases.find(project, name)
    case_id: int = case["id"]
    return case_id


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    index: bool = True,
    follow_links: bool = False,
    allow_purged: bool = False,
) -> list[ImportResult]:
    """Import files and folders; each file is stored whole or not at all.

    With ``index`` the new texts go into the search index at the end (about 0.7 s per
    million characters); without it the first search indexes them. Links inside folders
    are followed only with ``follow_links`` (see ``files``). A text a purge erased is
    refused (an error for its file) unless ``allow_purged``.
    """
    options, case_ids = check_options(project, options or ImportOptions())
    todo = expand(paths, follow_links=follow_links)
    results: list[ImportResult] = []
    with project.bulk():
        for done, item in enumerate(todo, start=1):
            if cancel is not None and cancel.is_set():
                break
            prepared = prepare_file(item.path, item.problem, options, case_ids, status=item.status,
                                    follow=item.follow)
            results.append(store_file(project, *prepared, allow_purged=allow_purged))
            if progress:
                progress(done, len(todo))
        if index and any(r.status == "imported" for r in results):
            from fieldcase.store import search_index

            search_index.sync(project)  # new texts are searchable as soon as the import ends
    return results


def prepare_file(
    path: Path, problem: str | None, options: ImportOptions, case_ids: list[int], *, status: str = "error",
    follow: bool = True,
) -> tuple[ImportResult, _Prepared | None]:
    """Everything short of the database: read, decode, split the header, find turns
    (a ``problem`` known beforehand is reported with ``status`` instead). Whatever goes
    wrong with one file is its error line, and the batch goes on."""
    result = ImportResult(shown(path), status if problem else "error", error=problem)
    if problem:
        return result, None
    try:
        data = read_bytes(path, follow=follow)
        raw, result.encoding, declared_title = _extract(path, data, options.encoding)
        prepared = prepare_text(readable_name(path.stem), raw, declared_title, options, case_ids)
    except FieldcaseError as err:
        result.error = str(err)
        return result, None
    except OSError as err:
        result.error = f"cannot read the file ({err.strerror or err})"
        return result, None
    except Exception as err:  # noqa: BLE001 - a fault of ours on one file must not stop the batch
        said = " ".join(str(err).split())
        result.error = f"fieldcase failed on this file ({type(err).__name__}: {said}); please report it"
        return result, None
    prepared.fields.update(
        original_filename=readable_name(path.name),
        file_sha256=hashlib.sha256(data).hexdigest(),
        encoding=result.encoding,
        text_sha256=text_hash(prepared.fields["text"]),
        turns=sources.encode_turns(prepared.turns),
    )
    result.title = prepared.fields["title"]
    result.chars = len(prepared.fields["text"])
    result.turns = len(prepared.turns)
    return result, prepared


def store_file(project: Project, result: ImportResult, prepared: _Prepared | None, *,
               allow_purged: bool = False) -> ImportResult:
    """Store a prepared file in its own transaction, unless it is a duplicate."""
    if prepared is None:
        return result
    twin = sources.duplicate_of(project, prepared.fields["text_sha256"])
    if twin:
        result.status, result.duplicate_of = "duplicate", twin["id"]
        result.error = f"same text as source {twin['id']} ({twin['title']}); skipped"
        return result
    try:
        result.id, result.created = store_prepared(project, prepared, allow_purged=allow_purged)
    except FieldcaseError as err:
        result.error = str(err)
        return result
    result.status, result.error = "imported", None
    return result


def _extract(path: Path, data: bytes, encoding: str | None) -> tuple[str, str, str | None]:
    if path.suffix.lower() in DOCX_SUFFIXES:
        from fieldcase.importers.docx import read_docx

        doc = read_docx(data)
        return doc.text, "docx", doc.title
    from fieldcase.importers.encoding import decode

    decoded = decode(data, encoding)
    return decoded.text, decoded.encoding, None


def prepare_text(
    name: str, raw: str, declared_title: str | None, options: ImportOptions, case_ids: list[int]
) -> _Prepared:
    """Normalise a text, apply its header and the defaults, and find its turns.

    ``name`` is the title of last resort (a file's name).
    """
    header, body = split_header(normalize_text(raw))
    text = body.lstrip("\n")
    if not text.strip():
        raise InputError("no text in the file" + (" after its metadata header" if header.meta else ""))
    meta = header.meta
    kind = sources.check_kind(str(meta["kind"])) if "kind" in meta else options.kind
    turns = find_turns(text) if kind in (None, "interview") else []
    if kind is None:
        kind = "interview" if len(turns) >= 2 else "document"
        turns = turns if kind == "interview" else []
    fields: dict[str, Any] = {
        "title": str(meta.get("title") or options.title or declared_title or name),
        "kind": kind,
        "date": _checked(meta, "date", sources.check_date) or date_in_first_lines(text) or options.date,
        "place": meta.get("place") or place_in_first_lines(text) or options.place,
        "interviewer": meta.get("interviewer") or options.interviewer,
        "language": meta.get("language") or options.language or guess_language(text),
        "consent": _checked(meta, "consent", sources.check_consent) or options.consent,
        "text": text,
    }
    header_cases = meta.get("cases") or []
    assert isinstance(header_cases, list)
    return _Prepared(
        fields=fields,
        site=str(meta["site"]) if meta.get("site") else options.site,
        case_names=list(dict.fromkeys(header_cases)),
        case_ids=case_ids,
        extra=header.extra,
        turns=turns,
    )


def _checked(meta: dict[str, Any], key: str, check: Callable[[str], str]) -> str | None:
    if not meta.get(key):
        return None
    try:
        return check(str(meta[key]))
    except InputError as err:
        raise InputError(f"metadata header {key}: {err}") from err


def _did_you_mean(name: str, known: list[str]) -> str:
    """A hint after a name a header made new, when it looks like a typo of one that exists."""
    from fieldcase.text.names import close_names

    near = close_names(name, known)
    return f" (new; did you mean {' or '.join(near)}?)" if near else ""


def store_prepared(
    project: Project, prepared: _Prepared, *, action: str = "import", verb: str = "Imported",
    allow_purged: bool = False,
) -> tuple[int, list[str]]:
    """Write the source, creating sites and cases its header names, in one transaction."""
    title = prepared.fields["title"]
    created: list[str] = []
    with project.change(action, f"{verb} {title}") as w:
        site_id = None
        if prepared.site:
            known_sites = list(sites.names(project).values())
            site_id, new = sites.ensure(project, prepared.site, writer=w)
            if new:
                created.append(f"site {prepared.site}" + _did_you_mean(prepared.site, known_sites))
        case_ids = list(prepared.case_ids)
        known_cases = list(cases.names(project).values())
        for name in prepared.case_names:
            case_id, new = cases.ensure(project, name, site_id=site_id, writer=w)
            case_ids.append(case_id)
            if new:
                created.append(f"case {name}" + _did_you_mean(name, known_cases))
        prepared.fields["site_id"] = site_id
        source_id = sources.add(
            project,
            prepared.fields,
            case_ids=case_ids,
            turns=prepared.turns,
            attrs=prepared.extra or None,
            writer=w,
            allow_purged=allow_purged,
        )
        speakers.detect(project, source_id, w)
    return source_id, created
