"""Helpers for TUI tests: what the terminal shows, as text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


def screen_text(app: Any) -> str:
    """The current screen as lines of text, as a person would read it (wide characters once)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - the composed frame
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def wait_until(pilot: Any, condition: Callable[[], object], *, within: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds, looking every 50 ms: a timer or a worker
    is waited for as long as it takes on a loaded machine, and no longer. After ``within``
    seconds it gives up quietly; the test's own assert then says what did not happen."""
    end = asyncio.get_running_loop().time() + within
    while not condition() and asyncio.get_running_loop().time() < end:
        await pilot.pause(0.05)


async def import_in_dialog(project_path: Any, paths: str, encoding: str = "") -> str:
    """Open the workspace on ``project_path``, import ``paths`` in its dialog (ctrl+o), with
    ``encoding`` in its encoding field, and return what the dialog's log shows, its lines joined."""
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.dialogs.import_files import ImportDialog

    app = FieldcaseApp(project_path, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#paths").value = paths
        dialog.query_one("#encoding").value = encoding
        dialog.query_one("#paths").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return " ".join(" ".join(strip.text.split()) for strip in dialog.query_one("RichLog").lines)
