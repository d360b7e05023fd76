"""The cancel event of the export being written in this thread, for the template renders
inside it to look at (:mod:`fieldcase.reports.template_limits`); a module of its own so
that an export with no template loads no Jinja."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar

CANCEL: ContextVar[threading.Event | None] = ContextVar("template_cancel", default=None)


@contextlib.contextmanager
def cancelled_by(cancel: threading.Event | None) -> Iterator[None]:
    """Renders in this thread stop at their next tick once ``cancel`` is set."""
    token = CANCEL.set(cancel)
    try:
        yield
    finally:
        CANCEL.reset(token)
