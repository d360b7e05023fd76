"""Importing a REFI-QDA project (``.qdpx`` or ``.qde``) into a fieldcase project.

Everything is read and checked first (archive, XML, texts, positions); then one change group
writes it, so a file that cannot be read changes nothing and undo takes the import back at
once. Sources, codes, cases and sets already in the project are matched (by GUID, then a
source by its text, a code, case or set by its name), not added twice; what fieldcase cannot
hold is listed in the report, never dropped unsaid.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import FieldcaseError, InputError
from fieldcase.exchange.qdc import ImportReport as CodebookReport
from fieldcase.exchange.qdc import _guid, _Merge, code_name
from fieldcase.exchange.qdpx import model
from fieldcase.exchange.qdpx.archive import open_package
from fieldcase.exchange.qdpx.read import parse
from fieldcase.exchange.qdpx.restore import site_cases, take_back, written_by_fieldcase
from fieldcase.exchange.qdpx.texts import SourceText as _Text
from fieldcase.exchange.qdpx.texts import read_texts
from fieldcase.exchange.set_import import take_set
from fieldcase.store import attributes, cases, codes, codings, purged_texts, search_index, sets, sources, speakers
from fieldcase.store.lookup import taken_uuids
from fieldcase.store.merging import row_by_uuid
from fieldcase.text.normalize import guess_language
from fieldcase.text.refi_positions import counting_for
from fieldcase.text.turns import find_turns

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

Progress = Callable[[int, int], None]
_CODING_COLUMNS = ("uuid", "source_id", "code_id", "start_offset", "end_offset", "coder", "memo", "quote")
_TYPES = {"text": "text", "boolean": "boolean", "integer": "integer", "float": "number", "date": "date",
          "datetime": "text"}


@dataclass
class QdpxReport:
    """What an import did: counts added and matched, and what could not be carried."""

    path: str
    origin: str | None = None
    counting: str = ""
    name: str | None = None  # the project's name in the file
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.left = model.NotCarried()  # lines not_carried gets when the import is done (not a field)

    def count(self, what: str, added: bool = True) -> None:
        book = self.added if added else self.matched
        book[what] = book.get(what, 0) + 1

    def done(self) -> None:
        """What could not be carried, one line per kind and place, after what the file said."""
        self.not_carried.extend(self.left.lines())
        self.left = model.NotCarried()
        self.added = {what: n for what, n in self.added.items() if n}  # "added 0 codings" says nothing

    def to_json(self) -> dict[str, Any]:
        """The report as ``--json`` prints it."""
        return asdict(self)


def import_qdpx(project: Project, path: str | Path, *, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> QdpxReport:
    """Import the REFI-QDA project at ``path`` into ``project``; returns the report. A file
    that cannot be read raises one InputError naming it, and nothing is stored."""
    path = Path(path)
    with _collector_paused():
        return _import_qdpx(project, path, progress, cancel)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during an import: it holds a million objects of the
    document, kept till its end, and the collector would walk them all again
    every few thousand allocations (a tenth of a large import's time); it runs again at
    the end as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import_qdpx(project: Project, path: Path, progress: Progress | None,
                 cancel: threading.Event | None) -> QdpxReport:
    try:
        package = open_package(path)
        document = parse(package.qde)
        report = QdpxReport(str(path), document.origin, counting_for(document.origin), name=document.name or None)
        report.not_carried.extend(document.skipped)
        texts = read_texts(package, document, report)
        with project.change("qdpx.import", f"Imported project {document.name or path.name} ({path.name})") as w:
            _Import(w, document, texts, report, progress, cancel).run()
            report.done()
            take_back(w, document, report, w.group_id)  # a file fieldcase wrote: its own fields too
    except InputError as err:
        raise InputError(f"{path}: {err}") from err
    search_index.sync(project)
    return report


class _Import:
    """One import's writes, in one change group, and the GUID → id maps they build."""

    def __init__(self, w: ChangeWriter, document: model.Project, texts: dict[str, _Text], report: QdpxReport,
                 progress: Progress | None, cancel: threading.Event | None) -> None:
        self.w, self.project, self.doc, self.texts, self.report = w, w.project, document, texts, report
        self.progress, self.cancel = progress, cancel
        self.users = {**{_key(u.guid): u.name for u in document.users if u.name},
                      **{u.guid: u.name for u in document.users if u.name}}  # as written, and as a key
        self.codes: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.fresh_sources: set[int] = set()
        self.codings: dict[str, list[int]] = {}  # selection GUID -> codings made of it (a selection with notes)
        self.coding_uuids: set[str] = set()
        self.source_uuids: set[str] = set()
        self.coding_notes: list[tuple[str, int]] = []  # a coding's NoteRef and the coding it became
        self.cases: dict[str, int] = {}
        self.new_cases: set[int] = set()  # cases this import added: a name in the file is matched to none of them
        self.variables = {_key(v.guid): v for v in document.variables}
        # another tool's text: speakers only where labels open turns consistently (fieldcase's own: as typed)
        self.strict = not written_by_fieldcase(document)

    def run(self) -> None:
        given = (_guid(c.guid) for t in self.texts.values() for s in t.source.selections for c in s.codings)
        self.coding_uuids.update(taken_uuids(self.project, "codings", (g for g in given if g)))  # not taken again
        self.import_codes()
        self.import_sources()
        self.import_cases()
        self.import_notes()
        self.import_sets()

    def import_codes(self) -> None:
        merge = _Merge(self.w, "", CodebookReport())
        merge.origin = "qdpx"
        stack: list[tuple[model.Code, int | None]] = [(c, None) for c in reversed(self.doc.codes)]
        while stack:
            code, parent = stack.pop()
            added, matched = len(merge.report.added), len(merge.report.matched)
            try:
                code_id = merge.one_values(code.name, code.guid, code.color, code.description or "", parent)
            except InputError as err:
                raise InputError(f"code {code.name!r}: {err}") from err
            if len(merge.report.added) > added or len(merge.report.matched) > matched:  # not a GUID seen before
                self.report.count("codes", added=len(merge.report.added) > added)
            if len(merge.report.matched) > matched:
                here = code_name(codes.find(self.project, code_id))
                if here != code.name.strip():
                    self.report.left.note(f"code {here!r}: named {code.name.strip()!r} in the file (matched; the "
                                          "name here is kept: `fieldcase codes rename` renames it)")
            self.codes[_key(code.guid)] = self.codes[code.guid] = code_id  # as written, and as a key
            stack.extend((child, code_id) for child in reversed(code.children))
        self.report.warnings.extend(merge.report.warnings)

    def import_sources(self) -> None:
        done = 0
        for guid, text in self.texts.items():
            if self.cancel is not None and self.cancel.is_set():
                raise InputError("the import was cancelled; nothing was stored")
            source_id = self.source(text)
            if source_id is not None:
                self.sources[_key(guid)] = source_id
                self.code_source(source_id, text)
            done += 1
            if self.progress:
                self.progress(done, len(self.texts))

    def source(self, text: _Text) -> int | None:
        """The source this text is: matched by GUID, then by its text; else added."""
        given = text.source
        uuid = _guid(given.guid) or str(uuidlib.uuid4())
        if uuid in self.source_uuids:
            self.report.warnings.append(f"source {given.name!r} repeats the GUID of another in the file; "
                                        "it is imported on its own")
            uuid = str(uuidlib.uuid4())
        self.source_uuids.add(uuid)
        by_guid = row_by_uuid(self.project, "sources", uuid)
        if by_guid is not None:
            if by_guid["text_sha256"] != text.sha256:
                self.report.left.note(
                    f"source {given.name!r}: the project has it (same GUID) with another text; its selections"
                    " were not imported onto that text")
                return None
            return self.matched(int(by_guid["id"]), given)
        twin = sources.duplicate_of(self.project, text.sha256)
        if twin is not None:
            return self.matched(int(twin["id"]), given)
        body = text.positions.text
        turns = find_turns(body, strict=self.strict)
        fields = {"uuid": uuid, "title": given.name or "untitled", "text": body, "text_sha256": text.sha256,
                  "kind": "interview" if len(turns) >= 2 else "document", "language": guess_language(body),
                  "encoding": "utf-8", "original_filename": given.name or None,
                  **self.made(given.user, given.created, given.modified)}
        if fields["kind"] != "interview":
            turns = []
        purged = purged_texts.purged(self.project, text.sha256)
        if purged:
            self.report.left.note(f"source {given.name!r}: its text was erased (purged) here on "
                                           f"{purged['purged_at'][:10]} when a participant withdrew; not imported")
            return None
        source_id = sources.add(self.project, fields, turns=turns, writer=self.w)
        speakers.detect(self.project, source_id, self.w)
        self.fresh_sources.add(source_id)
        self.report.count("sources")
        if given.description:
            self.memo("source", source_id, given.description, "Description", None)
        self.values("source", source_id, given.values, given.name)
        return source_id

    def matched(self, source_id: int, given: model.Source) -> int:
        """A source the project has: counted, and given the file's variable values."""
        self.report.count("sources", added=False)
        self.values("source", source_id, given.values, given.name)
        return source_id

    def code_source(self, source_id: int, text: _Text) -> None:
        """The codings of the source's selections (and of the whole source), each once."""
        have = codings.spans_of(self.project, source_id) if source_id not in self.fresh_sources else set()
        body = text.positions.text
        rows: list[tuple[Any, ...]] = []
        owners: list[tuple[int, str]] = []  # rows made of a selection with notes, and that selection
        noted: list[tuple[int, list[str]]] = []  # rows whose coding has notes, and their GUIDs
        whole = model.Selection("", 0, 0, codings=text.source.codings)
        selections = text.source.selections
        places = text.positions.many([p for s in selections for p in (s.start, s.end)])  # one pass per source
        places += (0, len(body))  # the whole source
        coders: dict[str, str] = {}  # each user as written, and the coder it names
        where = f"source {text.source.name!r}"
        for index, selection in enumerate([*selections, whole]):
            start, end = places[2 * index], places[2 * index + 1]
            if start >= end:
                if selection.codings:
                    self.report.left.add(where, "selection", " holding no text", per="coding",
                                         of=len(selection.codings))
                continue
            if not selection.codings and selection is not whole:
                self.report.left.add(where, "selection", " with no code applied (fieldcase keeps coded text)")
                if selection.description:
                    self.memo("source", source_id, f"{body[start:end]}\n\n{selection.description}", "Selection",
                              selection.guid)
                continue
            for coding in selection.codings:
                code_id = self.codes.get(coding.code) or self.codes.get(_key(coding.code))
                if code_id is None:
                    self.report.left.add(where, "coding", f" of code {coding.code}, which the codebook lacks")
                    continue
                user = coding.user or selection.user or ""
                coder = coders.get(user)
                if coder is None:
                    coder = coders[user] = self.users.get(user) or self.users.get(_key(user), self.project.user)
                span = (code_id, coder, start, end)
                if span in have:
                    self.report.count("codings", added=False)
                    continue
                have.add(span)
                uuid = _guid(coding.guid)
                if not uuid or uuid in self.coding_uuids:
                    uuid = str(uuidlib.uuid4())  # a GUID repeated in the file, or taken here, gets a fresh one
                self.coding_uuids.add(uuid)
                if coding.notes:
                    noted.append((len(rows), coding.notes))
                if selection.notes:
                    owners.append((len(rows), _key(selection.guid)))
                rows.append((uuid, source_id, code_id, start, end, coder, selection.description or None,
                             body[start:end]))  # the quote (see codings.context)
        ids = self.w.insert_tuples("codings", _CODING_COLUMNS, rows)
        for index, owner in owners:
            self.codings.setdefault(owner, []).append(ids[index])
        for index, refs in noted:
            self.coding_notes.extend((ref, ids[index]) for ref in refs)
        self.report.added["codings"] = self.report.added.get("codings", 0) + len(ids)

    def import_cases(self) -> None:
        sites = site_cases(self.doc)  # fieldcase's sites, written as cases: made sites again by take_back
        for case in self.doc.cases:
            if _key(case.guid) in sites:
                continue
            case_id = self.case(case)
            self.cases[_key(case.guid)] = case_id
            for ref in case.sources:
                source_id = self.sources.get(_key(ref))
                if source_id is None:
                    self.report.left.add(f"case {case.name!r}", "source", " not among those imported")
                    continue
                cases.link_once(self.w, source_id, case_id)
            self.values("case", case_id, case.values, case.name)
            if case.codes or case.selections:
                self.report.left.note(f"case {case.name!r}: its {len(case.codes)} code and "
                                               f"{len(case.selections)} selection reference(s)")

    def case(self, case: model.Case) -> int:
        """The case this one is (by GUID, then by name), else a new one."""
        uuid = _guid(case.guid)
        name = (case.name or case.guid).strip()
        found = row_by_uuid(self.project, "cases", uuid) if uuid else None
        if found is not None:
            self.report.count("cases", added=False)
            return int(found["id"])
        named = sorted(i for i, n in cases.names(self.project).items()
                       if n.casefold() == name.casefold() and i not in self.new_cases)  # not one of this file's
        if len(named) > 1:
            self.report.warnings.append(f"case {name!r}: {len(named)} cases here have that name; matched the first")
        if named:
            self.report.count("cases", added=False)
            return named[0]
        row: dict[str, Any] = {"name": name, "kind": "person", "notes": case.description, "aliases": "[]"}
        if uuid:
            row["uuid"] = uuid
        self.report.count("cases")
        case_id = self.w.insert("cases", row)
        self.new_cases.add(case_id)
        return case_id

    def values(self, owner: str, owner_id: int, values: list[model.VariableValue], name: str) -> None:
        """Typed attribute values from a source's or case's variables (one it has already: matched)."""
        had = attributes.values_of(self.project, owner, owner_id) if values else {}
        for value in values:
            variable = self.variables.get(_key(value.variable))
            if variable is None or value.value is None:
                continue
            kind = _TYPES.get(variable.type.lower(), "text")
            defined = [d for d in attributes.list_definitions(self.project, owner) if d["name"].lower() ==
                       variable.name.strip().lower()]
            if not defined:
                attributes.define(self.project, owner, variable.name, kind, description=variable.description,
                                  writer=self.w)
            try:
                stored = attributes.set_values(self.project, owner, owner_id, {variable.name: value.value},
                                               writer=self.w)
                self.report.count(f"{owner} attributes", added=any(had.get(k, had) != v for k, v in stored.items()))
            except FieldcaseError as err:
                self.report.warnings.append(f"{owner} {name!r}: variable {variable.name!r}: {err}")

    def import_notes(self) -> None:
        """Each note as a memo on every item that refers to it; one nothing refers to, on the project."""
        targets: dict[str, list[tuple[str, int | None]]] = {}
        for ref in self.doc.project_notes:
            targets.setdefault(_key(ref), []).append(("project", None))
        for code in self.doc.all_codes():
            for ref in code.notes:
                if _key(code.guid) in self.codes:
                    targets.setdefault(_key(ref), []).append(("code", self.codes[_key(code.guid)]))
        for source in self.doc.sources:
            for ref in source.notes:
                if _key(source.guid) in self.sources:
                    targets.setdefault(_key(ref), []).append(("source", self.sources[_key(source.guid)]))
            for selection in source.selections:
                for ref in selection.notes:
                    for coding_id in self.codings.get(_key(selection.guid), []):
                        targets.setdefault(_key(ref), []).append(("coding", coding_id))
        for ref, coding_id in self.coding_notes:
            targets.setdefault(_key(ref), []).append(("coding", coding_id))
        for note in self.doc.notes:
            body = "\n\n".join(dict.fromkeys(t for t in ((note.text or "").strip(), (note.description or "").strip())
                                              if t))  # a note's text and its description
            if not body:
                self.report.left.note(f"note {note.name or note.guid!r}: no text"
                                               + (f" inline ({note.text_path} is not read)" if note.text_path else ""))
                continue
            uuid = _guid(note.guid)
            if uuid and row_by_uuid(self.project, "memos", uuid) is not None:  # imported before
                self.report.count("memos", added=False)
                continue
            made = self.made(note.user, note.created, note.modified)
            for index, (kind, target) in enumerate(targets.get(_key(note.guid), [("project", None)])):
                self.memo(kind, target, body, note.name, note.guid if index == 0 else None, made)

    def made(self, user: str | None, created: str | None, modified: str | None = None) -> dict[str, str]:
        """Who made a note or source and when (``creatingUser``, ``creationDateTime``,
        ``modifiedDateTime``), as its row's ``created_by``, ``created_at`` and ``modified_at``;
        what the file does not say is the import's."""
        out = {}
        name = self.users.get(user or "") or self.users.get(_key(user or ""))
        if name:
            out["created_by"] = name
        stamp = _timestamp(created)
        if stamp:
            out["created_at"] = stamp
            changed = _timestamp(modified)
            if changed and changed > stamp:
                out["modified_at"] = changed
        return out

    def memo(self, kind: str, target: int | None, body: str, title: str | None, guid: str | None,
             made: dict[str, str] | None = None) -> None:
        """A memo on ``target``; under ``guid`` (the note's or selection's) when given, so that
        importing the file again finds it rather than writing it twice."""
        uuid = _guid(guid) if guid else None
        if uuid and row_by_uuid(self.project, "memos", uuid) is not None:
            self.report.count("memos", added=False)
            return
        row: dict[str, Any] = {"target_type": kind, "target_id": target, "title": title, "body": body, **(made or {})}
        if uuid:
            row["uuid"] = uuid
        self.w.insert("memos", row)
        self.report.count("memos")

    def import_sets(self) -> None:
        known = sets.by_uuid(self.project)
        for given in self.doc.sets:
            for kind, refs, ids in (("code", given.codes, self.codes), ("source", given.sources, self.sources)):
                if not refs:
                    continue
                members = [ids[_key(r)] for r in refs if _key(r) in ids]
                if len(members) < len(refs):
                    self.report.left.note(f"set {given.name!r}: {len(refs) - len(members)} {kind}(s) not "
                                                   "among those imported")
                added = take_set(self.w, kind, _guid(given.guid), given.name, given.description, members, known)
                self.report.count("sets", added=added)
            if given.notes:
                self.report.left.note(f"set {given.name!r}: its {len(given.notes)} note(s) (fieldcase sets "
                                               "hold codes or sources)")
            if not (given.codes or given.sources or given.notes):
                self.report.left.note(f"set {given.name!r}: empty (a fieldcase set holds codes or sources)")


def _timestamp(value: str | None) -> str | None:
    """An ``xsd:dateTime`` as fieldcase stamps rows (UTC, milliseconds, ``Z``); None when
    there is none or it is not a time (a time without a zone is taken as UTC)."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _key(guid: str) -> str:
    """A GUID as a lookup key (case and braces aside)."""
    return guid.strip().strip("{}").lower()
