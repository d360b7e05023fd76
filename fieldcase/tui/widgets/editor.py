"""Helpers for the text areas people type in (drafts, edits, memos)."""

from __future__ import annotations

from textual.widgets import TextArea


def cursor_to_end(area: TextArea) -> None:
    """Put the cursor after the last character and scroll there once the area is laid out,
    so that a resumed draft opens where the typing stopped."""
    area.move_cursor(area.document.end)
    area.call_after_refresh(area.scroll_cursor_visible)


class ProseArea(TextArea):
    """A text area for prose (a summary, a memo): End goes to the end of the line as
    written, not of the wrapped line on screen, so that typing after End adds to the end
    of the sentence rather than landing in the middle of it."""

    def action_cursor_line_end(self, select: bool = False) -> None:
        row, _ = self.cursor_location
        self.move_cursor((row, len(self.document.get_line(row))), select=select)
