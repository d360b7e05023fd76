"""What the workspace says at start about drafts kept from an earlier session: each one, and
the key that continues it."""

from __future__ import annotations

from typing import Any


def describe(draft: dict[str, Any], earlier_new: int) -> str:
    """One kept draft and how to continue it; ``earlier_new`` counts the newer new-source
    drafts that ctrl+n offers first."""
    title = draft["fields"].get("title") or "untitled"
    size = f"{len(draft['text']):,} characters"
    if draft["source_id"] is None:
        how = "ctrl+n continues it" if not earlier_new else "ctrl+n continues it once the one above is stored"
        return f"new source “{title}” ({size}): {how}"
    return f"edit of “{title}” (source {draft['source_id']}, {size}): open that source (F2) and press e"


def notice(kept: list[dict[str, Any]]) -> str | None:
    """The start-up notice naming every kept draft (newest first), or None when there is none."""
    if not kept:
        return None
    lines = []
    new_seen = 0
    for draft in kept:
        lines.append(describe(draft, new_seen))
        new_seen += draft["source_id"] is None
    if len(lines) == 1:
        return f"An unfinished draft was kept: {lines[0]}."
    return f"{len(lines)} unfinished drafts were kept:\n" + "\n".join(f"• {line}" for line in lines)
