"""Helpers for the text areas people type in (drafts, edits, memos)."""

from __future__ import annotations

from textual.widgets import TextArea


def cursor_to_end(area: TextArea) -> None:
    """Put the cursor after the last character and scroll there once the area is laid out,
    so that a resumed draft opens where the typing stopped."""
    area.move_cursor(area.document.end)
    area.call_after_refresh(area.scroll_cursor_visible)
