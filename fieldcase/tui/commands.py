"""The command palette (ctrl+p): every workspace action by name."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider


class ActionsProvider(Provider):
    """Offers each binding of the current screen and its widgets as a command."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        for key, description, binding_id, action, node in app.binding_rows():
            score = matcher.match(f"{description} {binding_id}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(description),
                    partial(app.run_action, action, node),
                    help=f"{key}  ({binding_id})",
                )
