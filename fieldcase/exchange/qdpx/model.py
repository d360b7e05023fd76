"""A REFI-QDA project (``.qdpx``) as plain data: what the reader makes of ``project.qde`` and
what a writer starts from. GUIDs are held as read (any case, braces kept off); positions are
the producer's own numbers, converted only when a project is imported or written."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldcase.text.english import count


@dataclass
class User:
    """A ``<User>``: who coded or wrote something."""

    guid: str
    name: str


@dataclass
class Code:
    """A ``<Code>`` with its sub-codes, in document order."""

    guid: str
    name: str
    color: str | None = None
    description: str | None = None
    codable: bool = True
    children: list[Code] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # NoteRef GUIDs


@dataclass(slots=True)  # slots: a project may hold 200,000 of them
class Coding:
    """A ``<Coding>`` of a selection (or a whole source) with one code."""

    guid: str
    code: str  # the code's GUID
    user: str | None = None  # the creating user's GUID
    created: str | None = None
    notes: list[str] = field(default_factory=list)  # NoteRef GUIDs


@dataclass(slots=True)
class Selection:
    """A ``<PlainTextSelection>``: ``[start, end)`` as the producer counted them."""

    guid: str
    start: int
    end: int
    name: str | None = None
    description: str | None = None
    user: str | None = None
    created: str | None = None
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Variable:
    """A ``<Variable>``: a named, typed property of cases or sources."""

    guid: str
    name: str
    type: str  # Text, Boolean, Integer, Float, Date, DateTime
    description: str | None = None


@dataclass
class VariableValue:
    """A ``<VariableValue>``: a variable's value as written (``None``: no value element)."""

    variable: str  # the variable's GUID
    value: str | None


@dataclass
class Source:
    """A source with text: a ``<TextSource>``, or another kind through its plain-text
    representation. ``text_path`` is the ``plainTextPath`` as written; ``text`` an inline
    ``<PlainTextContent>``; ``kind`` the element it came from."""

    guid: str
    name: str
    kind: str = "TextSource"
    text_path: str | None = None
    text: str | None = None
    description: str | None = None
    user: str | None = None
    created: str | None = None
    rich_path: str | None = None  # ``richTextPath``: the Word original, read when no plain text is given
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # of the whole source
    notes: list[str] = field(default_factory=list)
    values: list[VariableValue] = field(default_factory=list)
    modified: str | None = None


@dataclass
class Case:
    """A ``<Case>`` with the sources it refers to and its variables' values."""

    guid: str
    name: str
    description: str | None = None
    sources: list[str] = field(default_factory=list)  # SourceRef GUIDs
    values: list[VariableValue] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # CodeRef GUIDs
    selections: list[str] = field(default_factory=list)  # SelectionRef GUIDs


@dataclass
class Note:
    """A ``<Note>``: a memo, with its text."""

    guid: str
    name: str | None
    text: str | None
    description: str | None = None
    user: str | None = None
    created: str | None = None
    text_path: str | None = None  # a note may keep its text in the archive, as a source does
    modified: str | None = None


@dataclass
class Set:
    """A ``<Set>``: a named group of codes, sources or notes."""

    guid: str
    name: str
    description: str | None = None
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Link:
    """A ``<Link>`` between two items (fieldcase writes one from each memo on a site or case)."""

    guid: str
    name: str
    origin: str
    target: str


@dataclass
class Project:
    """A whole ``project.qde``. ``skipped`` says, one line each, what was read but cannot be
    carried into fieldcase (graphs, links, picture, audio and video selections …)."""

    name: str
    origin: str | None = None
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sets: list[Set] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)  # NoteRefs of the project itself
    links: list[Link] = field(default_factory=list)
    description: str | None = None
    skipped: list[str] = field(default_factory=list)

    def all_codes(self) -> list[Code]:
        """Every code, parents before their children, in document order."""
        found: list[Code] = []
        stack = list(reversed(self.codes))
        while stack:
            code = stack.pop()
            found.append(code)
            stack.extend(reversed(code.children))
        return found


class NotCarried:
    """What an import could not carry, one line per kind of item and place: the same place
    named once with a count (``PDFSource 'x.pdf': 12 PDF region selections (14 codings)``),
    never a line per selection. Lines keep the order their first item came in."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str, str], list[int]] = {}

    def add(self, where: str, noun: str, rest: str = "", *, per: str = "", n: int = 1, of: int = 0) -> None:
        """``n`` more ``noun`` at ``where`` (``rest`` says why); ``of``: how many ``per``
        (codings, selections) they held, summed into the line."""
        found = self._seen.setdefault((where, noun, rest, per), [0, 0])
        found[0] += n
        found[1] += of

    def note(self, line: str) -> None:
        """A line on its own (said once, with how many times, when it comes again)."""
        self.add(line, "")

    def lines(self) -> list[str]:
        """Each place and kind as one line."""
        out = []
        for (where, noun, rest, per), (n, of) in self._seen.items():
            if not noun:
                out.append(where + (f" ({n} times)" if n > 1 else ""))
                continue
            held = f" ({count(of, per)})" if per else ""
            out.append(f"{where}: {count(n, noun)}{rest}{held}")
        return out
