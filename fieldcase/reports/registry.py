"""Every kind of export, once: its formats, writer, default file name, help and the
options it takes. The CLI's choices, help and checks, the TUI's export dialog and
:mod:`fieldcase.reports.exporting` all read this, so a new export kind is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.errors import InputError
from fieldcase.text.language import LANGUAGES
from fieldcase.reports import writers
from fieldcase.reports.citations import CITATIONS
from fieldcase.reports.docx_page import PAPERS
from fieldcase.reports.writers import SCOPE_OPTIONS, ExportOptions

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# A writer writes the export to the path given; one that writes files beside it returns
# them as (where written, where they go) pairs, for the export to put in place with it.
Writer = Callable[["Project", Path, str, ExportOptions], "list[tuple[Path, Path]] | None"]

# The options an export may take (the scope's by field); pseudonyms apply to every export alike.
OPTIONS = frozenset(f.name for f in fields(ExportOptions)) - {"pseudonyms", "scope"} | set(SCOPE_OPTIONS)
_SCOPE = frozenset({"case", "site", "code", "coder"})
# What every chapter takes (its title block and language), and what its Word version takes besides.
CHAPTER = frozenset({"title", "subtitle", "author", "lang"})
WORD = frozenset({"reference_docx", "fonts", "paper", "toc"})


@dataclass(frozen=True)
class ExportKind:
    """One kind of export. ``formats`` come in the order error lines name them, the first
    being the default when neither a format nor a file name says which."""

    name: str
    help: str  # what it is, for the CLI's help ("a matrix of counts")
    noun: str  # what the default format is for, in the CLI's help ("tables")
    formats: tuple[str, ...]
    write: Writer  # writes the export to the given (partial) path in the given format
    takes: frozenset[str]  # the options it uses in every format; it ignores the others
    only_in: Mapping[str, frozenset[str]] = field(default_factory=dict)  # options of one format alone
    templates: Mapping[str, str] = field(default_factory=dict)  # the shipped template of each format
    named_by: tuple[str, ...] = ()  # options whose value (the first given) goes into the file name
    screen_format: str = ""  # the format a chooser on screen starts at (blank: the first)
    several: bool = False  # across cases: takes several cases or several sites
    summaries: bool = False  # prints the framework's summaries (a draft among them is marked and warned of)

    def __post_init__(self) -> None:
        """Refuse an entry that names an option or format it cannot have: a slip in this file."""
        unknown = (self.takes | {o for opts in self.only_in.values() for o in opts}) - OPTIONS
        if unknown or not set(self.only_in) <= set(self.formats) or self.screen_format not in ("", *self.formats):
            raise ValueError(f"export {self.name}: unknown options {sorted(unknown)} or formats")

    def options(self, fmt: str) -> frozenset[str]:
        """The options this export uses when written as ``fmt``."""
        return self.takes | self.only_in.get(fmt, frozenset())

    @property
    def start_format(self) -> str:
        """The format an export dialog offers first."""
        return self.screen_format or self.formats[0]

    def check_format(self, fmt: str, where: str) -> None:
        """Refuse a format this export is not written in, naming ``where`` (the file or format)."""
        if fmt not in self.formats:
            raise InputError(f"{where}: export {self.name} as {' or '.join(self.formats)}")

    def file_name(self, project_name: str, fmt: str, values: Mapping[str, object]) -> str:
        """The file name before pseudonyms: project, kind and subject (``study-case-张三.docx``)."""
        subject = next((values[o] for o in self.named_by if values.get(o)), None)
        return f"{project_name}-{self.name}{'-' + str(subject) if subject else ''}.{fmt}"


KINDS: tuple[ExportKind, ...] = (
    ExportKind("summary", "the coded summary", "the summary", ("md", "html"), writers.summary,
               _SCOPE | {"kind", "template"}, templates={"md": "summary.md.j2", "html": "summary.html.j2"}),
    ExportKind("case", "a chapter on one case or site", "a case", ("docx", "md", "html"), writers.case,
               _SCOPE | {"kind", "template"} | CHAPTER,
               only_in={"docx": WORD | {"citations"}, "md": frozenset({"citations"})},
               templates={"md": "case.md.j2", "html": "case.html.j2", "docx": "case.md.j2"},
               named_by=("case", "site")),
    ExportKind("segments", "coded segments, one row a coding", "tables", ("csv", "xlsx"), writers.segments, _SCOPE,
               screen_format="xlsx"),
    ExportKind("matrix", "a matrix of counts", "tables", ("csv", "xlsx"), writers.matrix, _SCOPE | {"by"},
               screen_format="xlsx"),
    ExportKind("framework", "a framework matrix of summaries (cases × themes)", "a framework matrix",
               ("xlsx", "docx", "md", "html"), writers.framework, frozenset({"case", "site", "code", "title", "lang"}),
               only_in={"md": frozenset({"template"}), "html": frozenset({"template"}), "docx": WORD | {"citations"}},
               templates={"md": "framework.md.j2", "html": "framework.html.j2"}, named_by=("case", "site"),
               several=True, summaries=True),
    ExportKind("comparison", "a cross-case chapter", "a comparison", ("docx", "md", "html"), writers.comparison,
               frozenset({"case", "site", "code", "template"}) | CHAPTER,
               only_in={"docx": WORD | {"citations"}, "md": frozenset({"citations"})},
               templates={"md": "comparison.md.j2", "html": "comparison.md.j2", "docx": "comparison.md.j2"},
               named_by=("case", "site"), several=True, summaries=True),
)
# The codebook has a command of its own (``fieldcase codebook export OUT``, with --names).
CODEBOOK = ExportKind("codebook", "the codebook", "the codebook", ("qdc", "md"), writers.codebook,
                      frozenset(), only_in={"qdc": frozenset({"names"})})
# Agreement between two coders has a command of its own (``fieldcase agreement --format``).
AGREEMENT = ExportKind("agreement", "inter-coder agreement", "a methods appendix", ("md", "html", "xlsx"),
                       writers.agreement, frozenset({"agreement"}), only_in={"md": frozenset({"template"}),
                                                                             "html": frozenset({"template"})},
                       templates={"md": "agreement.md.j2", "html": "agreement.html.j2"})
# A whole project for another tool has a command of its own (``fieldcase qdpx export OUT``, with --target).
QDPX = ExportKind("qdpx", "a whole project as REFI-QDA", "another tool", ("qdpx",), writers.qdpx,
                  _SCOPE | {"kind", "target"})
BY_NAME = {kind.name: kind for kind in KINDS}


@dataclass(frozen=True)
class Setting:
    """One setting of how a chapter is set (an :class:`ExportOptions` field), for the CLI's
    options and the export dialog's fields."""

    name: str
    help: str
    choices: tuple[str, ...] = ()
    flag: bool = False


CHAPTER_SETTINGS = (
    Setting("subtitle", "The chapter's subtitle, under its title."),
    Setting("author", "The author named in the chapter's title block."),
    Setting("lang", "Headings, labels and citations in Chinese or English (default: the language most of "
                    "the chapter's quotes and memos are in).", LANGUAGES),
    Setting("paper", "Paper of a Word chapter (default a4; letter for an English chapter when the locale is "
                     "of the US or Canada).", tuple(PAPERS)),
    Setting("toc", "A table of contents after the title of a Word chapter.", flag=True),
    Setting("citations", "Cite each quote after it (inline, the default) or in a footnote (Word, Markdown).",
            CITATIONS),
)


def find(name: str) -> ExportKind:
    """The export kind called ``name``; an error naming them all if there is none."""
    if name not in BY_NAME:
        raise InputError(f"export one of {', '.join(BY_NAME)}, not {name!r}")
    return BY_NAME[name]


def several(what: str, cases: tuple[str, ...], sites: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cases and sites given, refused in one line when an export takes only one of
    either, or when one across cases is given both."""
    across = [k.name for k in KINDS if k.several]
    if not find(what).several and (len(cases) > 1 or len(sites) > 1):
        raise InputError(f"export {what} takes one case or site; several only for {' and '.join(across)}")
    if cases and sites and find(what).several:
        raise InputError(f"export {what}: give cases or sites, not both")
    return cases, sites


def all_formats() -> list[str]:
    """Every format some export is written in, in the order the kinds first name them."""
    return list(dict.fromkeys(fmt for kind in KINDS for fmt in kind.formats))
