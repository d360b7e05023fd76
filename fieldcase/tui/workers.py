"""Thread workers: how they reach the project, and how they report back.

A worker thread opens its own connection with :func:`thread_project` (a SQLite connection
belongs to the thread that opened it) and closes it when done. It never touches a widget:
it posts these messages to its screen (``post_message`` is safe from any thread), and the
screen's ``on_work_progress``, ``on_work_note``, ``on_work_failed`` and ``on_work_done``
handlers, run on the UI thread, show them. ``job`` names the work (a screen may run
several kinds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from fieldcase.errors import CancelledError, FieldcaseError

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.tui.app import FieldcaseApp


def app_project(app: App[Any]) -> Project:
    """The project the app has open, for a screen on the UI thread (a worker opens its own
    with :func:`thread_project`)."""
    project = cast("FieldcaseApp", app).project
    assert project is not None, "the app opens its project before it shows a screen"
    return project


@contextmanager
def thread_project(path: Path, user: str | None) -> Iterator[Project]:
    """The project opened afresh for a worker thread, closed when the block ends."""
    from fieldcase.store.project import open_project

    with open_project(path, user=user) as project:
        yield project


class WorkProgress(Message):
    """``done`` of ``total`` steps of ``job`` are done."""

    def __init__(self, job: str, done: int, total: int) -> None:
        self.job, self.done, self.total = job, done, total
        super().__init__()


class WorkNote(Message):
    """A line to show about ``job`` while it runs."""

    def __init__(self, job: str, text: str) -> None:
        self.job, self.text = job, text
        super().__init__()


class WorkFailed(Message):
    """``job`` stopped with ``error`` (a message for the user)."""

    def __init__(self, job: str, error: str) -> None:
        self.job, self.error = job, error
        super().__init__()


class WorkDone(Message):
    """``job`` finished with ``result``."""

    def __init__(self, job: str, result: Any = None) -> None:
        self.job, self.result = job, result
        super().__init__()


def progress_to(target: MessagePump, job: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for the core that posts :class:`WorkProgress`."""

    def progress(done: int, total: int) -> None:
        target.post_message(WorkProgress(job, done, total))

    return progress


@contextmanager
def failures_told(target: MessagePump, job: str) -> Iterator[None]:
    """Tell ``target`` of a cancel or an error in the worker's block as :class:`WorkFailed`
    (one line for the user); the block ends by posting its :class:`WorkDone` itself."""
    try:
        yield
    except CancelledError:
        target.post_message(WorkFailed(job, "Cancelled; nothing was written."))
    except (FieldcaseError, OSError) as err:
        target.post_message(WorkFailed(job, f"error: {err}"))
