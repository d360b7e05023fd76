"""Helpers for TUI tests: what the terminal shows, as text."""

from __future__ import annotations

from typing import Any


def screen_text(app: Any) -> str:
    """The current screen as lines of text, as a person would read it (wide characters once)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - the composed frame
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def import_in_dialog(app: Any, pilot: Any, paths: str) -> Any:
    """Open the import dialog (ctrl+o), import ``paths`` and wait for it; returns the dialog."""
    from fieldcase.tui.dialogs.import_files import ImportDialog

    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    dialog.query_one("#paths").value = paths
    dialog.query_one("#paths").focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return dialog


def log_text(dialog: Any, sep: str = " ") -> str:
    """The import dialog's log as one line, each of its lines' spaces squeezed to ``sep``."""
    return sep.join(sep.join(strip.text.split()) for strip in dialog.query_one("RichLog").lines)
