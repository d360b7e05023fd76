"""What the workspace says at start about drafts kept from an earlier session: each one, and
the key that continues it."""

from __future__ import annotations

from collections.abc import Sequence
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


def describe_orphan(draft: dict[str, Any]) -> str:
    """A kept summary draft whose case or code was deleted, and where its words are."""
    gone = " and ".join(draft["gone"])
    return (f"summary of {draft['case_name']} × {draft['code_label']} ({len(draft['text']):,} characters), whose "
            f"{gone} was deleted: fieldcase summary kept shows it; undoing the delete puts it back in its cell")


def notice(kept: Sequence[dict[str, Any]], orphans: Sequence[dict[str, Any]] = ()) -> str | None:
    """The start-up notice naming every kept draft (newest first), then the kept summary
    drafts of deleted cases or codes; None when there is none."""
    if not kept and not orphans:
        return None
    lines = []
    new_seen = 0
    for draft in kept:
        lines.append(describe(draft, new_seen))
        new_seen += draft["source_id"] is None
    lines.extend(describe_orphan(draft) for draft in orphans)
    if len(lines) == 1:
        return f"An unfinished draft was kept: {lines[0]}."
    return f"{len(lines)} unfinished drafts were kept:\n" + "\n".join(f"• {line}" for line in lines)
