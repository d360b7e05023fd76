"""Which files an import reads, which it leaves alone silently, and what to do with the
documents it cannot read (an old ``.doc``, a PDF …), said in one line each."""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCX_SUFFIXES = (".docx",)
SUPPORTED = TEXT_SUFFIXES + DOCX_SUFFIXES

_SAVE = "save it as .docx or .txt and import that"
_EXPORT = "export its text as .docx or .txt and import that"
# Documents people keep beside their transcripts that hold words fieldcase cannot read.
ADVICE = {
    ".doc": f"old Word .doc format: {_SAVE}",
    ".dot": f"old Word template (.dot): {_SAVE}",
    ".docm": f"Word file with macros (.docm): {_SAVE}",
    ".dotx": f"Word template (.dotx): {_SAVE}",
    ".wps": f"WPS Writer .wps format: {_SAVE}",
    ".wpt": f"WPS Writer template (.wpt): {_SAVE}",
    ".rtf": f"Rich Text (.rtf): {_SAVE}",
    ".odt": f"OpenDocument text (.odt): {_SAVE}",
    ".pages": f"Apple Pages file: {_EXPORT}",
    ".pdf": f"PDF: fieldcase cannot take text out of a PDF; {_EXPORT} (or paste it into a new source)",
    ".htm": f"web page (.htm): {_SAVE}",
    ".html": f"web page (.html): {_SAVE}",
    ".xls": "old Excel .xls spreadsheet: put its words in a .docx (a table) or .txt and import that",
    ".xlsx": "Excel spreadsheet (.xlsx): put its words in a .docx (a table) or .txt and import that",
    ".et": "WPS spreadsheet (.et): put its words in a .docx (a table) or .txt and import that",
    ".ods": "OpenDocument spreadsheet (.ods): put its words in a .docx (a table) or .txt and import that",
    ".numbers": "Apple Numbers file: put its words in a .docx (a table) or .txt and import that",
    ".csv": "CSV table: put its words in a .docx (a table) or .txt and import that",
    ".ppt": f"old PowerPoint .ppt: {_EXPORT}",
    ".pptx": f"PowerPoint (.pptx): {_EXPORT}",
    ".dps": f"WPS presentation (.dps): {_EXPORT}",
    ".key": f"Apple Keynote file: {_EXPORT}",
    ".odp": f"OpenDocument presentation (.odp): {_EXPORT}",
}
# Files no one means to import: Office lock files, system clutter, editor backups.
_CLUTTER_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
_CLUTTER_SUFFIXES = (".tmp", ".bak", ".swp", ".lnk")


def is_clutter(name: str) -> bool:
    """A hidden, temporary or system file (``.DS_Store``, ``~$x.docx``, ``Thumbs.db``,
    ``x.txt~``), skipped without a word."""
    lower = name.lower()
    return (name.startswith((".", "~$", "~WRL")) or name.endswith("~") or lower in _CLUTTER_NAMES
            or lower.endswith(_CLUTTER_SUFFIXES))


def unreadable(path: Path) -> str | None:
    """What to do with a document fieldcase cannot read; None for a file it reads or one
    that is not a document at all (a photo, a recording)."""
    return ADVICE.get(path.suffix.lower())


def unsupported_problem(path: Path) -> str:
    """The one line said about a named file fieldcase does not read."""
    return unreadable(path) or (
        f"unsupported file type {path.suffix or '(none)'!r}; fieldcase reads " + ", ".join(SUPPORTED)
    )
