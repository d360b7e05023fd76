"""A table of hits (search results, keyword-in-context lines) that can be coded from the list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from fieldcase.tui.widgets.recent_codes import SIZE


class HitTable(DataTable):
    """A row per hit; its keys run the screen's coding actions (see ``HitCoding``)."""

    BINDINGS = [
        Binding("c", "screen.code_hits", "Code hit", id="hit-code"),
        *[Binding(str(n), f"screen.code_hits_recent({n})", f"Code hit with recent code {n}", show=False,
                  id=f"hit-recent-code-{n}") for n in range(1, SIZE + 1)],
        Binding("w", "screen.widen_hit", "Widen", id="hit-widen"),
        Binding("space", "screen.mark_hit", "Mark", id="hit-mark"),
        Binding("A", "screen.mark_all", "Mark all / none", id="hit-mark-all"),
        # a dialog over the workspace has none of the app's keys: coding here is undone here
        Binding("ctrl+z", "app.undo", "Undo", id="undo", show=False),
        Binding("ctrl+y", "app.redo", "Redo", id="redo", show=False),
    ]
