"""Helpers for TUI tests: what the terminal shows, as text."""

from __future__ import annotations

from typing import Any


def screen_text(app: Any) -> str:
    """The current screen as lines of text, as a person would read it (wide characters once)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - the composed frame
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
