"""Errors that carry a one-line message meant for the user."""

from __future__ import annotations


class FieldcaseError(Exception):
    """A problem the user can act on; ``str(err)`` is one line that says what and where."""


class NotFoundError(FieldcaseError):
    """A site, case, source or other record named by the user does not exist."""


class AmbiguousError(FieldcaseError):
    """A name matches more than one record."""


class InputError(FieldcaseError):
    """A file or value given by the user cannot be used."""


class ProjectError(FieldcaseError):
    """The project file is missing, unreadable or from a newer fieldcase."""


class CancelledError(FieldcaseError):
    """Long work stopped because the user cancelled it."""


class NamesLeftError(FieldcaseError):
    """An export checked for names still holds a listed real name; nothing was written.
    ``places`` lists each place, one line each."""

    def __init__(self, out: object, places: list[str]) -> None:
        self.places = places
        count = f"{len(places)} place{'s' if len(places) != 1 else ''}"
        super().__init__(f"{out}: not written: a listed real name is still in {count}:\n"
                         + "\n".join(f"  {p}" for p in places))
