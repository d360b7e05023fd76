"""Blind coding: while it is on, each coder sees only their own codings, counts and
suggestion decisions, everywhere (the workspace, lists, search, the tables, exports).

It is on for a project when its setting says so (``fieldcase blind on``), or for the files
this process opened blind (``fieldcase open --blind``). Queries narrow through
:func:`fieldcase.store.scoping.where`, which asks :func:`blind_as`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

BLIND_KEY = "blind_coding"
"""The ``project_info`` key that turns blind coding on: each coder sees only their own layer."""

_SESSION: set[Path] = set()  # files opened blind in this process (every connection to them is blind)


def hold(path: Path) -> None:
    """Code ``path`` blind for the rest of this process (``fieldcase open --blind``), whatever
    the project's setting, on every connection to it (a worker thread's too)."""
    _SESSION.add(Path(path).resolve())


def release(path: Path) -> None:
    """End what :func:`hold` began (the blind workspace closed)."""
    _SESSION.discard(Path(path).resolve())


def setting(project: Project) -> bool:
    """Whether the project is set to blind coding (``fieldcase blind on``)."""
    row = project.conn.execute("SELECT value FROM project_info WHERE key = ?", [BLIND_KEY]).fetchone()
    return bool(row and row[0] == "on")


def set_setting(project: Project, on: bool) -> None:
    """Turn blind coding on or off for everyone who opens the project (a setting, not a
    change in the log)."""
    with project.transaction():
        project.conn.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)",
                             [BLIND_KEY, "on" if on else "off"])


def blind_as(project: Project) -> str | None:
    """The coder whose work alone shows (the user) while blind coding is on, else ``None``."""
    if project.path.resolve() in _SESSION or setting(project):
        return project.user
    return None


def visible(project: Project, coders: Sequence[str] | None) -> list[str] | None:
    """``coders`` narrowed to what may be seen: only the user while blind (``None``: everyone)."""
    me = blind_as(project)
    if me is None:
        return None if coders is None else list(coders)
    return [c for c in coders if c == me] if coders is not None else [me]


def refuse_others(project: Project, coders: Sequence[str], what: str) -> None:
    """An error, while blind, when ``coders`` names anyone but the user (``what``: what asked)."""
    me = blind_as(project)
    if me is not None and any(c != me for c in coders):
        raise InputError(f"{what}: blind coding is on, so only {me}'s own codings show"
                         " (turn it off with `fieldcase blind off` to see other coders' work)")
