"""The source reader: the text with coded spans in their code colours, driven by keys."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets.text_area import Selection

from fieldcase.coding.colours import drawable
from fieldcase.coding.compare import A_ONLY, B_ONLY, BOTH, Piece
from fieldcase.text import units
from fieldcase.tui import compat, kinsoku

kinsoku.install()  # Chinese line breaking in every text area

# Two coders compared: green where both coded a code, yellow underlined where only the first
# did, blue reversed (blue letters on the dark ground) where only the second did, so that
# the three differ without colour too.
COMPARE_STYLES = {
    BOTH: Style(bgcolor="#3FA34D", color="#111111", bold=True),
    A_ONLY: Style(bgcolor="#E8C547", color="#111111", underline=True),
    B_ONLY: Style(bgcolor="#5B9BE6", color="#111111", reverse=True),
}


class Reader(compat.IndexedTextArea):
    """A read-only text area over one source, with codings and speaker labels styled;
    drawing a key's change costs the lines on screen, whatever the source's length."""

    BINDINGS = [
        Binding("w", "select_unit('word')", "Word", id="select-word"),
        Binding("s", "select_unit('sentence')", "Sentence", id="select-sentence"),
        Binding("t", "select_unit('turn')", "Turn", id="select-turn"),
        Binding("p", "select_unit('paragraph')", "Paragraph", id="select-paragraph"),
        Binding("right_square_bracket", "jump('sentence', 1)", "Next sentence", id="next-sentence", show=False),
        Binding("left_square_bracket", "jump('sentence', -1)", "Previous sentence", id="previous-sentence", show=False),
        Binding("right_curly_bracket", "jump('paragraph', 1)", "Next paragraph", id="next-paragraph", show=False),
        Binding("left_curly_bracket", "jump('paragraph', -1)", "Previous paragraph", id="previous-paragraph", show=False),
        Binding("n", "jump_turn(1)", "Next turn", id="next-turn", show=False),
        Binding("N", "jump_turn(-1)", "Previous turn", id="previous-turn", show=False),
        Binding("escape", "clear_selection", "Clear selection", id="clear-selection", show=False),
        Binding("ctrl+z", "app.undo", "Undo mine", id="undo", show=False),
        Binding("ctrl+y", "app.redo", "Redo mine", id="redo", show=False),
    ]

    class CursorMoved(Message):
        """The cursor moved to ``offset`` (a character index into the source text)."""

        def __init__(self, offset: int) -> None:
            self.offset = offset
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", read_only=True, show_cursor=True, soft_wrap=True, **kwargs)
        self.highlight_cursor_line = False  # it would paint over the colours of coded spans
        self.cursor_blink = False  # a steady cursor in a reader (and stable snapshots)
        self.source_id: int | None = None
        self.source_text = ""
        self.turns: Sequence[Mapping[str, Any]] = []
        self._line_starts: list[int] = [0]
        self._styles: dict[int, list[tuple[int, int, Style]]] = {}

    def show_source(self, source_id: int | None, text: str, turns: Sequence[Mapping[str, Any]]) -> None:
        """Display a source's text and remember its speaker turns."""
        self.source_id = source_id
        self.turns = turns
        self.load_text(text)
        self.source_text = text  # TextArea.text joins every line on each read
        starts = [0]
        found = text.find("\n")
        while found != -1:
            starts.append(found + 1)
            found = text.find("\n", found + 1)
        self._line_starts = starts
        self._styles = {}
        self.move_cursor((0, 0))

    def set_codings(self, spans: list[dict[str, Any]]) -> None:
        """Colour coded spans: ``{start, end, color}``; overlaps are underlined."""
        per_line: dict[int, list[tuple[int, int, Style]]] = {}
        length = len(self.source_text)
        styles: dict[str, Style] = {}
        for span in sorted(spans, key=lambda s: s["end"] - s["start"], reverse=True):
            color = drawable(span.get("color"), "#888888")
            if color not in styles:
                styles[color] = Style(bgcolor=color, color="#111111")
            self._add(per_line, span["start"], min(span["end"], length), styles[color])
        # Overlaps, where two or more codings cover a character, are underlined and bold:
        # a sweep over span boundaries (ends sort before starts at the same offset).
        events = sorted([(s["start"], 1) for s in spans] + [(min(s["end"], length), -1) for s in spans])
        overlap = Style(underline=True, bold=True)
        depth, opened = 0, None
        for offset, step in events:
            depth += step
            if depth > 1 and opened is None:
                opened = offset
            elif depth <= 1 and opened is not None:
                self._add(per_line, opened, offset, overlap)
                opened = None
        self._show(per_line)

    def set_compared(self, found: list[Piece]) -> None:
        """Draw two coders compared: each piece in the style of its kind (see
        ``COMPARE_STYLES``), the one-sided ones over the shared ones."""
        per_line: dict[int, list[tuple[int, int, Style]]] = {}
        length = len(self.source_text)
        for kind in (BOTH, A_ONLY, B_ONLY):
            for piece in found:
                if piece.kind == kind:
                    self._add(per_line, piece.start, min(piece.end, length), COMPARE_STYLES[kind])
        self._show(per_line)

    def _show(self, per_line: dict[int, list[tuple[int, int, Style]]]) -> None:
        for turn in self.turns:
            self._add(per_line, turn["start"], turn["speech"], Style(bold=True, color="#E8C547"))
        self._styles = per_line
        compat.forget_rendered_lines(self)
        self.refresh()

    def _add(self, per_line: dict[int, Any], start: int, end: int, style: Style) -> None:
        if end <= start:
            return
        first = bisect_right(self._line_starts, start) - 1
        last = bisect_right(self._line_starts, max(start, end - 1)) - 1
        for line in range(first, last + 1):
            line_start = self._line_starts[line]
            lo = max(start, line_start) - line_start
            hi = end - line_start
            per_line.setdefault(line, []).append((lo, hi, style))

    def get_line(self, line_index: int) -> Text:
        """The line with its coding and speaker-label styles applied."""
        line = super().get_line(line_index)
        for start, end, style in self._styles.get(line_index, ()):
            line.stylize(style, start, min(end, len(line)))
        return line

    # Offsets <-> locations
    def offset_of(self, location: tuple[int, int]) -> int:
        """The character offset of a (row, column) location."""
        row, column = location
        return self._line_starts[min(row, len(self._line_starts) - 1)] + column

    def location_of(self, offset: int) -> tuple[int, int]:
        """The (row, column) location of a character offset."""
        offset = max(0, min(offset, len(self.source_text)))
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    @property
    def cursor_offset(self) -> int:
        """The cursor as a character offset."""
        return self.offset_of(self.selection.end)

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """The selection as ``(start, end)`` offsets, or ``None`` if nothing is selected."""
        a, b = sorted((self.offset_of(self.selection.start), self.offset_of(self.selection.end)))
        return (a, b) if b > a else None

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll it into view."""
        self.selection = Selection(self.location_of(start), self.location_of(end))

    # Actions
    def action_select_unit(self, unit: str) -> None:
        """Select the word, sentence, turn or paragraph at the cursor."""
        text, pos = self.source_text, self.cursor_offset
        if unit == "word":
            span = units.word_span(text, pos)
        elif unit == "sentence":
            span = units.without_label(units.sentence_span(text, pos), self.turns)
        elif unit == "paragraph":
            span = units.without_label(units.paragraph_span(text, pos), self.turns)
        else:
            turn = units.turn_at(self.turns, pos)
            if turn is None:
                self.notify("No speaker turn here", severity="warning")
                return
            span = (turn["speech"], turn["end"])
        self.select_span(*span)

    def action_jump(self, unit: str, direction: int) -> None:
        """Move the cursor to the next or previous sentence or paragraph.

        With a selection (``s`` then ``]``), it counts from the selection, not from the cursor at its end:
        in Chinese the end of a sentence is the start of the next, so counting from it skipped one;
        back, from the start of the selected one's unit (a speaker's label is not selected).
        """
        pos, span = self.cursor_offset, self.selected_span
        if span is not None:
            unit_span = units.sentence_span if unit == "sentence" else units.paragraph_span
            pos = span[1] - 1 if direction > 0 else unit_span(self.source_text, span[0])[0]
        self.move_cursor(self.location_of(units.next_boundary(self.source_text, pos, unit, direction)))

    def action_jump_turn(self, direction: int) -> None:
        """Move the cursor to the next or previous speaker turn."""
        pos = self.cursor_offset
        starts = [t["speech"] for t in self.turns]
        targets = [s for s in starts if s > pos] if direction > 0 else [s for s in starts if s < pos - 1]
        if targets:
            self.move_cursor(self.location_of(targets[0] if direction > 0 else targets[-1]))

    def action_clear_selection(self) -> None:
        """Drop the selection, keeping the cursor."""
        self.selection = Selection.cursor(self.selection.end)

    def watch_selection(self, previous: Selection, selection: Selection) -> None:
        """Tell the screen where the cursor went (after Textual's own watcher has run)."""
        if self.is_mounted and previous.end != selection.end:
            self.post_message(self.CursorMoved(self.offset_of(selection.end)))
