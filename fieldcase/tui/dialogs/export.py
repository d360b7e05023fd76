"""Exporting from the workspace: what, for which case or site (several across cases), which codes and kinds,
the title, a reference .docx and fonts, in which format, where. Everything ``fieldcase
export`` takes; a field the chosen export does not use is greyed out. The export runs in
a thread worker with a progress bar, and Esc cancels it; a bad value is named in one line
and nothing is written."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select

from fieldcase.coding.scope import Scope
from fieldcase.errors import InputError
from fieldcase.reports import registry
from fieldcase.store.rows import CodeNode
from fieldcase.tui.widgets.code_field import CodeField
from fieldcase.tui.workers import WorkDone, WorkFailed, failures_told, thread_project

KINDS = [("any kind", ""), ("interviews", "interview"), ("observations (field notes)", "observation"),
         ("documents", "document")]
# The export option each field sets; a field the chosen export and format do not take
# (registry.ExportKind.options) is greyed out, and Tab passes it by.
OPTION_OF = {"case": "case", "site": "site", "codes": "code", "kind": "kind", "coder": "coder", "by": "by",
             "title": "title", "reference": "reference_docx", "body-font": "fonts", "heading-font": "fonts",
             "template": "template", "subtitle": "subtitle", "author": "author", "lang": "lang", "paper": "paper",
             "citations": "citations", "toc": "toc"}
FIRST = "case"  # the dialog opens on a chapter, for the case chosen in the workspace if there is one
BY = ("case", "site", "overlap", "turn")


def first(chosen: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """Select options for ``names`` with ``chosen`` first."""
    ordered = [chosen, *(name for name in names if name != chosen)]
    return [(name, name) for name in ordered]


def listed(value: str | None) -> tuple[str, ...]:
    """The names typed in a case or site field, split at ``;`` ``；`` or ``、`` (not at a
    comma: a name may hold one, Q county, Quzhou); several only an export across cases takes."""
    return tuple(dict.fromkeys(n.strip() for n in re.split(r"[;；、\n]", value or "") if n.strip()))


def check_reference(value: str) -> Path | None:
    """The reference .docx named in the field, if it is one; else an error naming the problem."""
    if not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    if not path.exists():
        raise InputError(f"reference .docx {path}: no such file")
    if path.is_dir():
        raise InputError(f"reference .docx {path}: is a folder, not a Word file")
    if path.suffix.lower() != ".docx":
        raise InputError(f"reference .docx {path}: not a .docx file")
    return path


def check_by(value: str) -> str:
    """Matrix columns: case, site, overlap, turn or attr:NAME."""
    by = value.strip() or "case"
    if by not in BY and not (by.startswith("attr:") and by[5:].strip()):
        raise InputError(f"matrix columns {by!r}: give case, site, attr:NAME, overlap or turn")
    return by


def target_file(folder_text: str, name_text: str, fmt: str) -> tuple[Path, str | None]:
    """The folder to write into and the file name given (``None``: made from the export)."""
    if not folder_text.strip():
        raise InputError("folder: give the folder to write into")
    folder = Path(folder_text.strip()).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"folder {folder}: is a file, not a folder")
    name = name_text.strip()
    if not name:
        return folder, None
    if "/" in name or "\\" in name:
        raise InputError(f"file name {name!r}: give a name only; the folder is the field above")
    return folder, name if name.lower().endswith(f".{fmt}") else f"{name}.{fmt}"


class ExportDialog(ModalScreen[Path | None]):
    """Choose an export and write it; returns the file written (or ``None``)."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%;
                              border: thick $accent; background: $surface; padding: 0 1; }
    ExportDialog VerticalScroll { height: auto; max-height: 70vh; }
    ExportDialog Grid { grid-size: 2; grid-columns: 17 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto; }
    ExportDialog Grid > Label { color: $text-muted; }
    ExportDialog Grid > *:disabled { opacity: 0.4; }
    ExportDialog ProgressBar { height: 1; }
    ExportDialog #result.error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="export-cancel"),
        Binding("ctrl+s", "run", "Export", id="export-run"),
    ]

    def __init__(self, project_path: Path, user: str | None, case: str | None = None, *,
                 code_rows: list[CodeNode] | None = None) -> None:
        """``code_rows``: the codebook to pick filter codes from (read from the project if not given)."""
        super().__init__()
        self.project_path = project_path
        self.user = user
        self.case = case
        self.code_rows = code_rows
        self.cancel_event = threading.Event()
        self.running = False
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export: choose what and where, then ctrl+s (or Enter in a field). Esc cancels.")
            # the form's fields take the focus, the first of them at once: not the box they scroll in
            with VerticalScroll(can_focus=False), Grid():
                for label, widget in self.fields():
                    yield Label(label)
                    yield widget
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Label("", id="result")

    def fields(self) -> list[tuple[str, Any]]:
        """Each field with its label, in the order Tab visits them."""
        def text(name: str, placeholder: str, value: str = "") -> Input:
            return Input(value, placeholder=placeholder, id=name, compact=True)

        def choice(name: str, options: list[tuple[str, str]], value: str) -> Select[str]:
            return Select(options, value=value, allow_blank=False, id=name, compact=True)

        start = registry.find(FIRST).start_format
        return [
            ("export", choice("what", first(FIRST, registry.BY_NAME), FIRST)),
            ("format", choice("format", first(start, registry.find(FIRST).formats), start)),
            # the names first after what and how: whether real names go out shows without scrolling
            ("names", Checkbox("keep real names (no pseudonyms; internal use only)", id="real", compact=True)),
            ("check", Checkbox("write nothing if a real name is left (says where)", value=True,
                               id="check", compact=True)),
            ("case", text("case", "a case chapter, or leave blank and give a site; across cases several: H; 刘霞",
                          self.case or "")),
            ("site", text("site", "a chapter on a whole site, or only this site's sources; across cases several")),
            ("codes", CodeField(self.codebook, id="codes")),
            ("kind", choice("kind", KINDS, "")),
            ("coder", text("coder", "only this coder's codings")),
            ("matrix columns", text("by", "case, site, attr:NAME, overlap or turn")),
            ("title", text("title", "the chapter's title (default: the case or site name)")),
            ("subtitle", text("subtitle", "the chapter's subtitle, under its title")),
            ("author", text("author", "the author named under the title")),
            ("language", choice("lang", [("from the texts", ""), ("Chinese 中文", "zh"), ("English", "en")], "")),
            ("paper", choice("paper", [("A4 (Letter for English in a US locale)", ""), ("A4", "a4"),
                                       ("US Letter", "letter")], "")),
            ("citations", choice("citations", [("after each quote", "inline"), ("footnotes", "footnotes")],
                                 "inline")),
            ("contents", Checkbox("a table of contents after the title", id="toc", compact=True)),
            ("reference .docx", text("reference", "a Word file whose styles and page setup the chapter takes")),
            ("body font", text("body-font", "East Asian font of the text (default SimSun 宋体)")),
            ("heading font", text("heading-font", "East Asian font of headings (default SimHei 黑体)")),
            ("template", text("template", "a template of yours instead (fieldcase templates list)")),
            ("folder", text("folder", "folder to write into", str(Path.home() / "fieldcase-exports"))),
            ("file name", text("name", "made from the project, the export and its case or site")),
        ]

    def on_mount(self) -> None:
        self._enable()

    def codebook(self) -> list[CodeNode]:
        """The code rows for the code filter."""
        if self.code_rows is None:
            from fieldcase.store import codes

            with thread_project(self.project_path, self.user) as project:
                self.code_rows = codes.tree(project)
        return self.code_rows

    def _enable(self) -> None:
        """Grey out the fields the chosen export does not use."""
        takes = self.chosen().options(str(self.query_one("#format", Select).value))
        for name, option in OPTION_OF.items():
            self.query_one(f"#{name}").disabled = option not in takes

    def chosen(self) -> registry.ExportKind:
        """The kind of export chosen."""
        return registry.find(str(self.query_one("#what", Select).value))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Real names kept on purpose cannot pass the check: it is off while they are."""
        if event.checkbox.id == "real":
            check = self.query_one("#check", Checkbox)
            check.disabled = event.value
            check.value = not event.value
            self._say("Real names will be written, unchecked: for internal use only." if event.value else "",
                      error=event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "what":
            kind = self.chosen()
            self.query_one("#format", Select).set_options(first(kind.start_format, kind.formats))
            self.query_one("#format", Select).value = kind.start_format
        self._enable()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def value(self, name: str) -> str | None:
        """A field's text, or ``None`` when it is blank or not used by this export."""
        widget: Any = self.query_one(f"#{name}")
        if widget.disabled:
            return None
        return str(widget.value).strip() or None

    def request(self) -> dict[str, Any]:
        """The export asked for, as :func:`fieldcase.reports.exporting.export` takes it; a bad
        value raises :class:`InputError` naming it."""
        what = str(self.query_one("#what", Select).value)
        fmt = str(self.query_one("#format", Select).value)
        folder, name = target_file(self.query_one("#folder", Input).value, self.query_one("#name", Input).value, fmt)
        codes = self.query_one(CodeField)
        fonts = {key: self.value(f"{key}-font") for key in ("body", "heading")}
        cases, sites = registry.several(what, listed(self.value("case")), listed(self.value("site")))
        scope = Scope(case=cases[0] if len(cases) == 1 else None, site=sites[0] if len(sites) == 1 else None,
                      code=None if codes.disabled or not codes.keys else codes.keys, kind=self.value("kind"),
                      coder=self.value("coder"))
        return {
            "what": what, "fmt": fmt, "folder": folder, "name": name, "scope": scope,
            "cases": cases if len(cases) > 1 else (), "sites": sites if len(sites) > 1 else (),
            "template": self.value("template"),
            "by": check_by(self.value("by") or "") if "by" in self.chosen().options(fmt) else "case",
            "title": self.value("title"),
            "chapter": {**{name: self.value(name) for name in ("subtitle", "author", "lang", "paper", "citations")},
                        "toc": not self.query_one("#toc").disabled and self.query_one("#toc", Checkbox).value},
            "reference_docx": check_reference(self.value("reference") or ""),
            "fonts": {k: v for k, v in fonts.items() if v},
            "pseudonyms": not self.query_one("#real", Checkbox).value,
            "check_names": self.query_one("#check", Checkbox).value and not self.query_one("#check").disabled,
        }

    def action_run(self) -> None:
        """Check the fields, then export in a worker thread."""
        if self.running:
            return
        try:
            request = self.request()
        except InputError as err:
            self._done(None, f"error: {err}")
            return
        self.running = True
        self.cancel_event.clear()
        self.query_one(ProgressBar).update(total=None)
        self._say("Exporting…")
        self.export(request)

    @work(thread=True, exclusive=True, group="export")
    def export(self, request: dict[str, Any]) -> None:
        """Write the export with this thread's own connection to the project."""
        from fieldcase.reports.exporting import drafts_left, export, export_to_folder, unlisted_warning

        options = dict(request)
        what, fmt, folder, name = (options.pop(k) for k in ("what", "fmt", "folder", "name"))
        with failures_told(self, "export"), thread_project(self.project_path, self.user) as project:
            self._resolve(project, options)
            if name is None:
                out = export_to_folder(project, what, fmt, folder, cancel=self.cancel_event, **options)
            else:
                out = export(project, what, fmt, folder / name, cancel=self.cancel_event, **options)
            for warned in (drafts_left(project, what, **options),
                           unlisted_warning(project, out, fmt, pseudonyms=options.get("pseudonyms", True),
                                            workspace=True)):
                if warned:
                    self.post_message(WorkDone("warning", warned))
            self.post_message(WorkDone("export", out))

    def on_work_failed(self, message: WorkFailed) -> None:
        self._done(None, message.error)

    def on_work_done(self, message: WorkDone) -> None:
        if message.job == "warning":  # drafts printed; names no one listed
            self.app.notify(str(message.result).removeprefix("warning: "), severity="warning", timeout=15)
            return
        self._done(message.result, f"Wrote {message.result}")

    @staticmethod
    def _resolve(project: Any, options: dict[str, Any]) -> None:
        """Find the case, site and codes named, so that a wrong name stops the export
        before anything (even the folder) is made."""
        from fieldcase.store import cases, codes, sites

        scope: Scope = options["scope"]
        for case in (*options["cases"], *([scope.case] if scope.case else [])):
            cases.find(project, case)
        for site in (*options["sites"], *([scope.site] if scope.site else [])):
            sites.find(project, site)
        for code in scope.codes:
            codes.find(project, code)

    def _say(self, message: str, error: bool = False) -> None:
        result = self.query_one("#result", Label)
        result.update(message)
        result.set_class(error, "error")

    def _done(self, out: Path | None, message: str) -> None:
        self.running = False
        self.written = out or self.written
        self.query_one(ProgressBar).update(total=1, progress=1 if out else 0)
        self._say(message, error=message.startswith("error"))

    def action_cancel(self) -> None:
        """Stop an export under way, or close the dialog."""
        if self.running:
            self.cancel_event.set()
            self.notify("Cancelling the export…")
        else:
            self.dismiss(self.written)
