"""One entry point for every export, used by the CLI's dialog twin in the TUI and by scripts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import CancelledError, InputError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

KINDS = ("summary", "case", "segments", "matrix")


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError("export cancelled; nothing was written")


def export(project: Project, what: str, fmt: str, out: Path, *, case: str | None = None, site: str | None = None,
           code: str | list[str] | None = None, kind: str | None = None, coder: str | None = None, by: str = "case",
           template: str | None = None, reference_docx: Path | None = None, fonts: dict[str, str] | None = None,
           title: str | None = None, pseudonyms: bool = True, cancel: threading.Event | None = None) -> Path:
    """Write one export (``summary``, ``case``, ``segments`` or ``matrix``) to ``out``.

    The file appears only when it is complete: it is written beside ``out`` and renamed.
    """
    from fieldcase.reports import tables
    from fieldcase.reports.pseudonyms import renamer

    if what not in KINDS:
        raise InputError(f"export one of {', '.join(KINDS)}, not {what!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial{out.suffix}")
    _check(cancel)
    try:
        if what == "summary":
            from fieldcase.reports.summary import render_summary

            text = render_summary(project, fmt, template=template, pseudonyms=pseudonyms, code=code, case=case,
                                  site=site, kind=kind, coder=coder)
            _check(cancel)
            partial.write_text(text, encoding="utf-8")
        elif what == "case":
            from fieldcase.reports.case_report import write_case

            write_case(project, partial, fmt, template=template, reference_docx=reference_docx, fonts=fonts,
                       case=case, site=site if case is None else None, pseudonyms=pseudonyms, title=title)
        else:
            rename = renamer(project, enabled=pseudonyms)
            rows: list[dict[str, Any]]
            if what == "segments":
                rows = tables.segments(project, code=code, case=case, site=site, coder=coder, rename=rename)
            elif by in ("overlap", "turn"):
                rows = tables.cooccurrence(project, within=by)
            else:
                rows = tables.matrix(project, by=by, rename=rename)
            _check(cancel)
            tables.write_table(rows, partial, sheet=what)
        _check(cancel)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def export_to_folder(project: Project, what: str, fmt: str, folder: Path, **kwargs: Any) -> Path:
    """:func:`export` into ``folder`` under a name made of the project, kind and subject."""
    subject = kwargs.get("case") or kwargs.get("site")
    name = f"{project.path.stem}-{what}{'-' + str(subject) if subject and what == 'case' else ''}.{fmt}"
    return export(project, what, fmt, folder / name.replace("/", "_"), **kwargs)
