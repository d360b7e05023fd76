"""Saving typed work when the terminal goes away: a closed window, a dropped SSH connection or
``tmux kill-session`` sends SIGHUP, a shutdown SIGTERM. Either would end the process before the
next autosave; here every open draft (new source, text edit) is saved first, then the app ends."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import Any

SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
GRACE = 3.0  # seconds the app has to end by itself once drafts are saved


def save_open_drafts(app: Any) -> int:
    """Save the draft of every screen on the stack that keeps one; returns how many tried."""
    saved = 0
    for screen in reversed(app.screen_stack):
        save = getattr(screen, "save_draft", None)
        if callable(save):
            saved += 1
            try:
                save()
            except Exception:  # noqa: BLE001 - one screen failing must not stop the others
                pass
    return saved


def save_on_hang_up(app: Any) -> None:
    """From now on, SIGHUP and SIGTERM save open drafts and end ``app`` (call in its event loop)."""
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        try:
            loop.add_signal_handler(signum, _hang_up, app, signum)
        except (NotImplementedError, RuntimeError, ValueError):  # no such signals here (Windows)
            return


def _hang_up(app: Any, signum: int) -> None:
    save_open_drafts(app)
    # The terminal may be gone, so restoring it can fail or stall: the drafts are safe, and
    # the process ends within the grace time whatever happens to the app's shutdown.
    timer = threading.Timer(GRACE, os._exit, [128 + signum])
    timer.daemon = True
    timer.start()
    app.exit(return_code=128 + signum)
