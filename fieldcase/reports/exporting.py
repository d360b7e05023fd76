"""One entry point for every export, used by the CLI, the TUI's export dialog and scripts.

Every export is written beside its target and renamed into place only when complete and,
with ``check_names``, only when reading it back finds no listed real name in it. Exports
hold interview quotes, so they are ``0600`` files and new folders for them ``0700``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import CancelledError, NamesLeftError
from fieldcase.reports import registry
from fieldcase.reports.writers import SCOPE_OPTIONS, ExportOptions
from fieldcase.store.private import FILE_MODE, private_folder, touch_private

if TYPE_CHECKING:
    from fieldcase.analysis.agreement import Settings
    from fieldcase.exchange.qdpx.write import ExportReport, Progress
    from fieldcase.store.project import Project

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError("export cancelled; nothing was written")


def export(project: Project, what: str, fmt: str, out: Path, scope: Scope | None = None, *, by: str = "case",
           template: str | None = None, reference_docx: Path | None = None, fonts: dict[str, str] | None = None,
           title: str | None = None, pseudonyms: bool = True, check_names: bool = False,
           cancel: threading.Event | None = None, chapter: Mapping[str, Any] | None = None,
           cases: tuple[str, ...] = (), sites: tuple[str, ...] = (),
           **narrow: Unpack[Narrowing]) -> Path:
    """Write one export (a kind of :mod:`fieldcase.reports.registry`: ``summary``, ``case``,
    ``segments``, ``matrix``) of what is in ``scope`` (case, site, codes, kind of source,
    coder) to ``out``; the options it does not take are ignored.

    ``chapter``: how a chapter is set (subtitle, author, lang, paper, toc, citations; see
    :class:`fieldcase.reports.writers.ExportOptions`).

    With ``check_names`` the export fails (:class:`NamesLeftError`, nothing written) if a
    listed real name would still stand anywhere in it, its file name included. ``cases``
    and ``sites``: several, for the exports across cases (``framework``, ``comparison``).
    """
    entry = registry.find(what)
    entry.check_format(fmt, str(out))
    options = ExportOptions(scope=Scope.of(scope, **narrow), by=by, template=template,
                            reference_docx=reference_docx, fonts=fonts, title=title, pseudonyms=pseudonyms,
                            cases=cases, sites=sites, **chapter_options(chapter or {}))
    return publish(project, out, fmt, lambda partial: entry.write(project, partial, fmt, options),
                   check_names=check_names, cancel=cancel)


def drafts_left(project: Project, what: str, scope: Scope | None = None, *, cases: tuple[str, ...] = (),
                sites: tuple[str, ...] = (), **_: Any) -> str | None:
    """After a framework matrix or comparison is written: a one-line warning naming how
    many of its cells are still drafts (printed, marked as drafts), or None."""
    from fieldcase.reports.writers import draft_cells

    if not registry.find(what).summaries:
        return None
    count = draft_cells(project, ExportOptions(scope=Scope.of(scope), cases=cases, sites=sites))
    if not count:
        return None
    cells = "1 summary is" if count == 1 else f"{count} summaries are"
    return (f"warning: {cells} still a draft (made by `summary draft`, not revised), printed marked as a draft; "
            "revise with `fieldcase summary set` or in the matrix (F)")


SHOWN_UNLISTED = 12  # names the warning spells out; the rest are counted


def unlisted_warning(project: Project, out: Path, fmt: str, *, pseudonyms: bool = True,
                     workspace: bool = False) -> str | None:
    """After an export is written with pseudonyms: a one-line warning naming the words in
    it that look like people's names (Wei Gang, 王建国) and that no one listed, or None;
    with ``workspace``, what to do is said in the workspace's keys rather than commands."""
    from fieldcase.reports.namecheck import unlisted_people

    if not pseudonyms or fmt not in ("md", "html", "docx", "csv", "xlsx") or not out.is_file():
        return None
    unlisted = unlisted_people(project, out, fmt)
    if not unlisted:
        return None
    shown = ", ".join(f"{n} ({c})" for n, c in list(unlisted.items())[:SHOWN_UNLISTED])
    more = len(unlisted) - SHOWN_UNLISTED
    if more > 0:
        shown += f" and {more} more"
    todo = ("list each one that is a person in F6 (a), a word that is no name in its glossary (Tab, a)" if workspace
            else "list each one that is a person with `fieldcase pseudonym add` "
                 "(a word that is no name: `fieldcase glossary add`)")
    counted = (f"{len(unlisted)} names that look like people's and are not listed for pseudonyms stand"
               if len(unlisted) > 1 else "a name that looks like a person's and is not listed for pseudonyms stands")
    return f"warning: {counted} in {out.name}: {shown}; {todo}, then export again"


def chapter_options(chapter: Mapping[str, Any]) -> dict[str, Any]:
    """The chapter's settings, each checked: one line names a bad language, paper or citation style."""
    from fieldcase.reports.chapter_labels import check_language
    from fieldcase.reports.citations import check_citations
    from fieldcase.reports.docx_page import check_paper

    unknown = set(chapter) - {s.name for s in registry.CHAPTER_SETTINGS}
    if unknown:
        raise ValueError(f"not a chapter setting: {sorted(unknown)}")
    values = {k: v for k, v in chapter.items() if v not in (None, "")}
    check_language(values.get("lang"))
    check_paper(values.get("paper"))
    if "citations" in values:
        check_citations(values["citations"])
    return values


def publish(project: Project, out: Path, fmt: str, write: Callable[[Path], Any], *, check_names: bool = False,
            cancel: threading.Event | None = None) -> Path:
    """Have ``write`` write the export beside ``out``, read it back for listed real names
    with ``check_names``, and only then put it in place as ``out``. The folders of its path
    are checked for names before any is made."""
    from fieldcase.reports.cancelling import cancelled_by

    folders = _folder_places(project, out) if check_names else []
    # a path whose folders hold a name is not made: the export is written and read back in a
    # private scratch folder instead, so that every place a name stands is listed at once
    scratch = Path(tempfile.mkdtemp(prefix="fieldcase-check-")) if folders else None
    if scratch is None:
        private_folder(out.parent)
    partial = side_file(out if scratch is None else scratch / out.name)
    sides: list[tuple[Path, Path]] = []
    _check(cancel)
    try:
        with cancelled_by(cancel):  # a template's loops stop at once on Esc
            written = write(touch_private(partial))
        sides = written if isinstance(written, list) else []
        os.chmod(partial, FILE_MODE)  # interview quotes: for the researcher only, however it was written
        _check(cancel)
        if check_names:
            from fieldcase.reports.namecheck import check_file

            places = folders + check_file(project, partial, fmt, name=out.name)
            places += [p for _, final in sides for p in _name_check(project, final)]
            if places:
                raise NamesLeftError(out, places)
        for side, final in sides:
            side.replace(final)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
        for side, _ in sides:
            side.unlink(missing_ok=True)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return out


def side_file(final: Path) -> Path:
    """The name a file is written under beside ``final`` until it is complete and checked."""
    return final.with_name(f".{final.name}.partial{final.suffix}")


def _name_check(project: Project, path: Path) -> list[str]:
    """Places a listed real name stands in the name of a file written beside an export."""
    from fieldcase.reports.namecheck import NameCheck
    from fieldcase.store import pseudonyms

    check = NameCheck(pseudonyms.forms(project))
    check.look(f"{path.name}: file name", path.name)
    return check.places


def _folder_places(project: Project, out: Path) -> list[str]:
    """Where the folders of a path hold a listed real name (``--out 刘霞/x.md``), whether the
    export would make them or they exist: the name travels with the file's path."""
    from fieldcase.reports.namecheck import NameCheck
    from fieldcase.store import pseudonyms

    check = NameCheck(pseudonyms.forms(project))
    for folder in reversed(out.parents):
        if folder.name:
            check.look(f"{folder}: folder name", folder.name)
    return check.places


def export_codebook(project: Project, out: Path, fmt: str, *, names: str = "both", pseudonyms: bool = True,
                    check_names: bool = False) -> int:
    """Write the codebook as a REFI-QDA ``.qdc`` or as Markdown, pseudonymised like every
    export; returns the number of codes."""
    from fieldcase.store import codes

    registry.CODEBOOK.check_format(fmt, str(out))
    options = ExportOptions(names=names, pseudonyms=pseudonyms)
    publish(project, out, fmt, lambda partial: registry.CODEBOOK.write(project, partial, fmt, options),
            check_names=check_names)
    return len(codes.tree(project))


def export_agreement(project: Project, out: Path, fmt: str, settings: Settings, *, template: str | None = None,
                     pseudonyms: bool = True, check_names: bool = False) -> Path:
    """Write inter-coder agreement (:mod:`fieldcase.reports.agreement`) as md, html or xlsx,
    pseudonymised like every export."""
    registry.AGREEMENT.check_format(fmt, str(out))
    options = ExportOptions(agreement=settings, template=template, pseudonyms=pseudonyms)
    return publish(project, out, fmt, lambda partial: registry.AGREEMENT.write(project, partial, fmt, options),
                   check_names=check_names)


def export_qdpx(project: Project, out: Path, *, target: str = "standard", scope: Scope | None = None,
                pseudonyms: bool = False, check_names: bool = False, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> ExportReport:
    """Write the project (the part in ``scope``) as a REFI-QDA ``.qdpx`` for ``target``, with
    real names unless ``pseudonyms``; returns what was written and what could not be."""
    from fieldcase.reports.writers import export_qdpx as write

    options = ExportOptions(scope=scope or Scope(), target=target, pseudonyms=pseudonyms)
    done: list[ExportReport] = []
    replaced = out.exists()
    publish(project, out, "qdpx", lambda partial: done.append(write(project, partial, options, progress=progress,
                                                                    cancel=cancel)),
            check_names=check_names, cancel=cancel)
    done[0].path, done[0].replaced = str(out), replaced
    return done[0]


def default_name(project: Project, what: str, fmt: str, scope: Scope | None = None, *, pseudonyms: bool = True,
                 **narrow: Unpack[Narrowing]) -> str:
    """The file name an export gets when none is given: project, kind and subject (the
    scope's case or site), with pseudonyms (``study-case-H.docx``, never the real name)."""
    scope = Scope.of(scope, **narrow)
    return _safe_name(project, registry.find(what), fmt, {"case": scope.case, "site": scope.site},
                      pseudonyms=pseudonyms)


def agreement_name(project: Project, fmt: str, *, pseudonyms: bool = True) -> str:
    """The file name an agreement report gets when none is given (``study-agreement.md``)."""
    return _safe_name(project, registry.AGREEMENT, fmt, {}, pseudonyms=pseudonyms)


def _safe_name(project: Project, entry: registry.ExportKind, fmt: str, values: dict[str, Any], *,
               pseudonyms: bool) -> str:
    from fieldcase.reports.pseudonyms import renamer

    name = entry.file_name(project.path.stem, fmt, values)
    rename = renamer(project, enabled=pseudonyms)
    return _UNSAFE.sub("_", rename.key(rename(name)))


def export_to_folder(project: Project, what: str, fmt: str, folder: Path, scope: Scope | None = None,
                     **kwargs: Any) -> Path:
    """:func:`export` into ``folder`` under its :func:`default_name`."""
    scope = Scope.of(scope, **{k: kwargs.pop(k) for k in SCOPE_OPTIONS if k in kwargs})
    name = default_name(project, what, fmt, scope, pseudonyms=kwargs.get("pseudonyms", True))
    return export(project, what, fmt, folder / name, scope, **kwargs)
