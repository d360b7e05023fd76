"""The workspace's coder layers: whose codings it shows (mine, everyone's, two coders
compared), blind coding, the jumps between disagreements and adopting a coding into the
consensus layer. Every key of these is here, in one list."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.markup import escape
from textual.screen import Screen

from fieldcase.coding.compare import A_ONLY, BOTH, Piece, disagreements, next_elsewhere, pieces
from fieldcase.errors import FieldcaseError
from fieldcase.store import blinding, layers
from fieldcase.store.rows import CodeNode, SourceDetails
from fieldcase.tui.dialogs.layer_picker import COMPARE, EVERYONE, MINE, Layer, LayerPicker
from fieldcase.tui.widgets.reader import Reader

BINDINGS = [
    Binding("L", "choose_layer", "Layer", id="choose-layer", show=False),
    # Only in a comparison (see check_action): otherwise the reader's [ and ] move by sentence.
    Binding("right_square_bracket", "disagreement(1)", "Next disagreement", id="next-disagreement", priority=True),
    Binding("left_square_bracket", "disagreement(-1)", "Previous disagreement", id="previous-disagreement",
            show=False, priority=True),
    Binding("a", "adopt", "Adopt", id="adopt-coding"),  # (A is the agreement table)
]
_COMPARE_ONLY = ("disagreement", "adopt")


class LayerView(Screen[None]):
    """What the workspace provides and keeps for its layers (mixed into it)."""

    project: Any
    source: SourceDetails | None
    segments: list[dict[str, Any]]
    code_rows: list[CodeNode]
    blind = False
    coder_layer = Layer(EVERYONE)
    compared: list[Piece] = []

    def after_change(self, cursor: int | None = None) -> None:
        raise NotImplementedError

    def _place_details(self, toggle: bool) -> None:
        raise NotImplementedError

    def open_source(self, source_id: int) -> None:
        raise NotImplementedError

    def start_layers(self, blind: bool) -> None:
        """Start blind (the ``--blind`` flag, or the project's setting) on the user's own layer."""
        self.blind = blind or blinding.blind_as(self.project) is not None
        if self.blind:
            self.coder_layer = Layer(MINE)
        self.show_layer_title()

    def shown_coders(self) -> list[str] | None:
        """The coders whose codings show (``None``: everyone's)."""
        return self.coder_layer.shown(self.project.user)

    def show_layer_title(self) -> None:
        """Say in the title bar which layer shows (nothing extra for everyone's, the default)."""
        if self.blind:
            self.sub_title = f"{self.app.sub_title} · BLIND: only {self.project.user}'s codings"
        elif self.coder_layer.kind == EVERYONE:
            self.sub_title = None
        else:
            self.sub_title = f"{self.app.sub_title} · {self.coder_layer.label(self.project.user)}"

    def compare_legend(self) -> str:
        """In a comparison, the three styles named in themselves (for the reader's border)."""
        if self.coder_layer.kind != COMPARE:
            return ""
        a, b = (escape(name) for name in self.coder_layer.coders)
        return (f"[b #111111 on #3FA34D] both [/] [u #111111 on #E8C547] A {a} [/]"
                f" [reverse #111111 on #5B9BE6] B {b} [/] ] [ a")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _COMPARE_ONLY:
            return self.coder_layer.kind == COMPARE
        return super().check_action(action, parameters)

    def action_choose_layer(self) -> None:
        """Show my codings, everyone's, or two coders compared (refused in blind coding)."""
        if self.blind:
            self.notify("Blind coding: only your own codings show until it is turned off "
                        "(fieldcase blind off, or open without --blind)", severity="warning")
            return
        self.app.push_screen(LayerPicker(self.project.user, layers.coders(self.project), self.coder_layer),
                             self.show_layer)

    def show_layer(self, layer: Layer | None) -> None:
        """Show ``layer``: the reader, the counts and the title follow it."""
        if layer is None or layer == self.coder_layer:
            return
        self.coder_layer = layer
        self.show_layer_title()
        self._place_details(toggle=False)
        self.refresh_bindings()
        self.after_change()
        self.notify(f"Showing {layer.label(self.project.user)}")

    def action_disagreement(self, direction: int) -> None:
        """Select the next (or previous) place where one coder applied a code the other did not."""
        reader = self.query_one(Reader)
        places = disagreements(self.compared)
        pos = reader.cursor_offset if reader.selected_span is None else reader.selected_span[0]
        ahead = [p for p in places if p[0] > pos] if direction > 0 else [p for p in places if p[0] < pos]
        if ahead:
            start, end = ahead[0] if direction > 0 else ahead[-1]
        else:  # on to the nearest source with one, in the order of the sources list
            found = self._disagreement_elsewhere(direction)
            if found is None:
                self.notify("No disagreement " + ("after" if direction > 0 else "before") + " this one in any source",
                            severity="warning")
                return
            source_id, start, end = found
            self.open_source(source_id)
            reader = self.query_one(Reader)
            if self.source is not None:
                self.notify(f"Next disagreement: in {self.source['title']}" if direction > 0
                            else f"Previous disagreement: in {self.source['title']}")
        reader.select_span(start, end)
        reader.scroll_cursor_visible()

    def _disagreement_elsewhere(self, direction: int) -> tuple[int, int, int] | None:
        """The compared coders' nearest disagreement in another source (see :func:`next_elsewhere`)."""
        from fieldcase.store import sources

        a, b = self.coder_layer.coders
        order = [row["id"] for row in sources.list_all(self.project)]
        by_source: dict[int, list[dict[str, Any]]] = {}
        for s in layers.spans(self.project, [a, b], order):
            by_source.setdefault(s.source_id, []).append(
                {"coder": s.coder, "code_key": str(s.code_id), "start": s.start, "end": s.end})
        places = {source: disagreements(pieces(rows, a, b)) for source, rows in by_source.items()}
        return next_elsewhere(places, order, self.source["id"] if self.source is not None else None, direction)

    def verdict_at(self, pos: int) -> str | None:
        """In a comparison, who coded what at ``pos`` (for the details pane)."""
        if self.coder_layer.kind != COMPARE:
            return None
        a, b = self.coder_layer.coders
        names = {BOTH: f"both {a} and {b}", A_ONLY: f"{a} only (A)"}
        code_names = {row["key"]: row["name_zh"] or row["name_en"] or row["key"] for row in self.code_rows}
        here = [f"{code_names.get(p.code, p.code)}: {names.get(p.kind, f'{b} only (B)')}"
                for p in self.compared if p.start <= pos < p.end]
        return "\n".join(here) if here else f"neither {a} nor {b}"

    def action_adopt(self) -> None:
        """Copy the coding under the cursor into the consensus layer (ctrl+z undoes)."""
        reader = self.query_one(Reader)
        span = reader.selected_span
        pos = span[0] if span is not None else reader.cursor_offset
        here = [s for s in self.segments if s["start"] <= pos < s["end"] and s["coder"] != layers.CONSENSUS]
        if not here:
            self.notify("No coding at the cursor to adopt", severity="warning")
            return
        coding = min(here, key=lambda s: (s["end"] - s["start"], -s["id"]))
        try:
            _, created = layers.adopt(self.project, coding["id"])
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        what = f"{coding['code_key']} by {coding['coder']} (#{coding['id']})"
        self.notify(f"Adopted {what} into {layers.CONSENSUS} (ctrl+z undoes)" if created
                    else f"{layers.CONSENSUS} already has {what}")
        if created:
            from fieldcase.tui.changes import CODINGS, announce

            self.after_change()
            announce(self.app, CODINGS, source_ids=frozenset([coding["source_id"]]), skip=self)
