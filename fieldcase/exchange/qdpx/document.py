"""One project export under way: the open XML file, the GUIDs it has given out, what it
holds (for the notes about it), and the renaming applied to every text."""

from __future__ import annotations

import re
import uuid as uuidlib
from typing import TYPE_CHECKING, Any

from fieldcase.exchange.qdpx.renaming import Renaming

if TYPE_CHECKING:
    from fieldcase.coding.scope import Scope
    from fieldcase.exchange.qdpx.write import ExportReport
    from fieldcase.store.project import Project
    from fieldcase.text.refi_targets import Target

NS = "urn:QDA-XML:project:1.0"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def q(tag: str) -> str:
    """A tag in the project namespace."""
    return f"{{{NS}}}{tag}"


def clean(text: str) -> str:
    """Text XML 1.0 can hold (control characters other than tab and line ends taken out)."""
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def is_time(stamp: str | None) -> bool:
    """Whether a stored time is an ``xsd:dateTime``."""
    return bool(stamp and _DATETIME.match(stamp))


class Document:
    """Writes elements into an ``lxml.etree.xmlfile`` and keeps what later sections need."""

    def __init__(self, project: Project, xf: Any, target: Target, scope: Scope, rename: Renaming,
                 report: ExportReport) -> None:
        self.project, self.xf, self.target, self.scope, self.rename = project, xf, target, scope, rename
        self.report = report
        self.space = uuidlib.UUID(project.info().get("uuid") or str(uuidlib.UUID(int=0)))
        self.users: dict[str, str] = {}  # GUID by the name shown
        self.by_name: dict[str, str] = {}  # GUID by the name stored
        self.held: set[tuple[str, int | None]] = {("project", None)}  # what notes may be about
        self.memos: list[dict[str, Any]] = []
        self.notes_on: dict[tuple[str, int | None], list[str]] = {}

    def set_memos(self, memos: list[dict[str, Any]]) -> None:
        """The project's memos, so that what they are about points at them."""
        self.memos = memos
        for memo in memos:
            self.notes_on.setdefault((memo["target_type"], memo["target_id"]), []).append(memo["uuid"])

    def leaf(self, tag: str, attrs: dict[str, str]) -> None:
        """An element with attributes alone."""
        with self.xf.element(q(tag), attrs):
            pass

    def text(self, tag: str, value: str | None) -> None:
        """An element holding ``value`` (none when there is no value)."""
        if value:
            with self.xf.element(q(tag)):
                self.xf.write(clean(value))

    def guid(self, kind: str, of: str) -> str:
        """A GUID derived from a row's UUID (a selection of a coding, a link of a memo),
        the same in every export of this project."""
        return str(uuidlib.uuid5(self.space, f"{kind}:{of}"))

    def user(self, name: str | None) -> str | None:
        """The GUID of a stored user name as the export shows it (given on first sight)."""
        if not name:
            return None
        guid = self.by_name.get(name)
        if guid is None:
            shown = self.rename(name)
            guid = self.users.setdefault(shown, self.guid("user", shown))
            self.by_name[name] = guid
        return guid

    def made(self, row: dict[str, Any], user: str | None, *, user_attr: str = "creatingUser") -> dict[str, str]:
        """Who made a row and when (and when it was last changed), as attributes."""
        attrs: dict[str, str] = {}
        guid = self.user(user)
        if guid:
            attrs[user_attr] = guid
        for name, column in (("creationDateTime", "created_at"), ("modifiedDateTime", "modified_at")):
            if is_time(row.get(column)):
                attrs[name] = row[column]
        return attrs

    def note_refs(self, target_type: str, target_id: int | None) -> None:
        """A ``<NoteRef>`` for each memo about this target, which is then held."""
        found = self.notes_on.get((target_type, target_id))
        if found:
            self.held.add((target_type, target_id))
            for guid in found:
                with self.xf.element(q("NoteRef"), {"targetGUID": guid}):
                    pass
