"""The command palette (ctrl+p): every workspace action by name."""

from __future__ import annotations

from textual.dom import DOMNode

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionsProvider(Provider):
    """Offers each binding of the screen the palette was opened on, and its widgets', as a command."""

    def _rows(self) -> list[tuple[str, str, str, str, DOMNode | None]]:
        # self.screen is the screen under the palette; the app's current screen is the palette
        rows = self.app.binding_rows(self.screen)  # type: ignore[attr-defined]  # self.app is the FieldcaseApp, typed as Textual's App
        return [row for row in rows if row[2] != "command-palette"]

    async def discover(self) -> Hits:
        """With nothing typed yet, every action is listed."""
        app = self.app
        for key, description, binding_id, action, node in self._rows():
            yield DiscoveryHit(description, partial(app.run_action, action, node), help=f"{key}  ({binding_id})")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        for key, description, binding_id, action, node in self._rows():
            score = matcher.match(f"{description} {binding_id}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(description),
                    partial(app.run_action, action, node),
                    help=f"{key}  ({binding_id})",
                )
