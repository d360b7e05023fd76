"""Every touch of Textual's private API, in one place: fixes fieldcase needs in Textual 8.2.8.

Textual's compositor paints a screen line as *chops*, the pieces between the edges of all
the widgets on that line. A widget drawn over others (a toast, a tooltip) is divided at
the edges of the widgets beneath it, and a wide character (Chinese) that straddles such an
edge was cut in two and drawn as two spaces: ``Pseudonym for 刘总`` showed as
``Pseudonym for   总`` wherever the toast crossed the reader's border (Textualize/textual#6357).
Here a widget is not divided where it owns the chops on both sides of an edge, and a
partial repaint writes such a joined chop whole.

Textual and Rich take only BEL, BS, VT, FF and CR out of the text they draw; an ``ESC``
in a source's title or text reached the terminal as it was (``ESC]0;…`` retitles the
window, ``ESC[2J`` clears it). :func:`show_control_characters` makes every other control
character a visible sign in everything either draws, as the command line prints them.

A crash of the workspace printed Textual's traceback with the values of every variable
(``show_locals=True``): the text of a transcript, a draft, a purged participant's words,
left in the terminal's scrollback. :func:`crash_reports_without_values` keeps the
traceback and drops the values.

A text area drew each line after joining the whole document (``TextArea.render_line``
asks whether the text is empty) and summing the wrapped height of every line
(``WrappedDocument.height``): a key in an 800,000-character transcript cost 125 ms.
:class:`IndexedTextArea` keeps the joined text and the height until the text or the
wrapping changes, so drawing costs the lines on screen.

Textual counts the screen just below the current one as visible behind it even when the
current screen is opaque, and whenever that hidden screen is idle it marks the whole
terminal for repainting: every coding in the workspace redrew all 140×40 cells instead of
the lines that changed. :func:`paint_only_visible_screens` leaves hidden screens out.

Also here: Chinese line breaking put in front of Textual's wrapping of text areas
(:func:`wrap_offsets_through`), dropping a text area's rendered lines
(:func:`forget_rendered_lines`), and reading the app's keymap and a class's bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import rich
import rich.control
import textual
import textual.content
from rich.segment import Segments
from textual.app import App
from textual._compositor import ChopsUpdate, Compositor
from textual.binding import Binding
from textual.dom import DOMNode
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable, TextArea
from textual.widgets.text_area import Document, DocumentNavigator, EditResult, Location, WrappedDocument

from fieldcase.text.controls import control_pictures

PATCHED_FOR = "8.2.8"
_JOINED = Strip([], 0)  # marks a chop joined to the one before it while the chops are filled


def _render_chops(self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
                  ) -> Sequence[Mapping[int, Strip]]:
    """Textual's ``Compositor._render_chops``, except that an edge inside the part of a line
    that one widget paints does not divide it (and its chop there is dropped)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    inside = range(crop.x + 1, crop.right)  # beyond the crop, a widget in front may not be rendered
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if not final_cuts:
                continue
            kept = [final_cuts[0]]
            joined = []
            for before, cut in zip(final_cuts, final_cuts[1:-1]):
                if cut in inside and line.get(before) is None and line.get(cut) is None:
                    joined.append(cut)
                else:
                    kept.append(cut)
            pieces = strip.divide([cut - render_x for cut in kept[1:] + final_cuts[-1:]])
            # painting front to back, the first piece for a chop wins
            for cut, piece in zip(kept, pieces):
                if line.get(cut) is None:
                    line[cut] = piece
            for cut in joined:
                line[cut] = _JOINED
    for line in chops:
        for cut in [cut for cut, piece in line.items() if piece is _JOINED]:
            del line[cut]
    return chops  # type: ignore[return-value]  # as Textual types its own, whose chops are built the same way


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's ``Compositor.render_partial_update``, with each chop's end where the next
    chop starts, and each span reaching the end of the chop it ends in (never half a character)."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    # whole lines are rendered, so that every widget in front of a chop is known
    crop = Region.from_union(list(update_regions)).intersection(screen_region)
    crop = Region(0, crop.y, screen_region.width, crop.height)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    chop_ends = [[*list(line)[1:], screen_region.width] for line in chops]
    widened = [(y, x1, next(end for end in chop_ends[y] if end >= x2)) for y, x1, x2 in spans]
    return ChopsUpdate(chops, widened, chop_ends)


def keep_wide_characters_whole() -> bool:
    """Install the compositor fix above; only on the Textual version it was written for."""
    if textual.__version__ != PATCHED_FOR:
        return False
    compositor: Any = Compositor
    compositor._render_chops = _render_chops
    compositor.render_partial_update = _render_partial_update
    return True


def show_control_characters() -> None:
    """Draw every control character but tab and newline as its visible sign, in all text
    that Textual (``Content``) and Rich (``Text``) render: their own tables of the codes
    to take out are extended in place (each is the default argument of the function that
    strips), and each sign is one character as the code was, so no offset moves."""
    tables: list[dict[int, Any]] = [
        textual.content._CONTROL_STRIP_TRANSLATE,  # noqa: SLF001 - see the module's docstring
        rich.control._CONTROL_STRIP_TRANSLATE,  # noqa: SLF001
    ]
    for table in tables:
        for code, sign in control_pictures().items():
            table.setdefault(code, sign)  # what they already take out stays out


def _fatal_error(self: App[Any]) -> None:
    """Textual's ``App._fatal_error`` with the traceback's local values left out."""
    from rich.traceback import Traceback

    self.bell()
    traceback = Traceback(show_locals=False, width=None, suppress=[rich])
    self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))  # noqa: SLF001
    self._close_messages_no_wait()  # noqa: SLF001


def crash_reports_without_values() -> bool:
    """Install :func:`_fatal_error`; only on the Textual version it was written for."""
    if textual.__version__ != PATCHED_FOR:
        return False
    app: Any = App
    app._fatal_error = _fatal_error
    return True


def _background_screens(self: App[Any]) -> list[Any]:
    """Textual's ``App._background_screens``, except that a top screen with an opaque
    background hides every screen below it."""
    stack = self._screen_stack  # noqa: SLF001 - see the module's docstring
    if not stack or stack[-1].styles.background.a == 1:
        return []
    screens: list[Any] = []
    for screen in reversed(stack[:-1]):
        screens.append(screen)
        if screen.styles.background.a == 1:
            break
    return screens[::-1]


def paint_only_visible_screens() -> bool:
    """Install :func:`_background_screens`; only on the Textual version it was written for."""
    if textual.__version__ != PATCHED_FOR:
        return False
    app: Any = App
    app._background_screens = property(_background_screens)
    return True


class JoinedOnceDocument(Document):
    """A document whose text is joined once after each change, not on every read."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._joined: str | None = None

    @property
    def text(self) -> str:
        if self._joined is None:
            self._joined = super().text
        return self._joined

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        self._joined = None
        return super().replace_range(start, end, text)


class CountedWrappedDocument(WrappedDocument):
    """A wrapped document whose height is counted when it is wrapped, not on every read."""

    _height = 0

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        super().wrap(width, tab_width)
        self._height = WrappedDocument.height.fget(self)  # type: ignore[attr-defined]  # the sum, once

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        super().wrap_range(start, old_end, new_end)
        self._height = WrappedDocument.height.fget(self)  # type: ignore[attr-defined]  # as in wrap above: Textual's property, read as a function

    @property
    def height(self) -> int:
        return self._height


class IndexedTextArea(TextArea):
    """A text area over a :class:`JoinedOnceDocument` and a :class:`CountedWrappedDocument`
    (plain text only; with a language it is Textual's own)."""

    def _set_document(self, text: str, language: str | None) -> None:
        if language:
            super()._set_document(text, language)
            return
        super()._set_document("", None)  # Textual's own resets (highlights, cursor) on nothing
        self.document = JoinedOnceDocument(text)
        self.wrapped_document = CountedWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()


def forget_rendered_lines(area: TextArea) -> None:
    """Drop the lines ``area`` has rendered, so that they are drawn again (new styles)."""
    area._line_cache.clear()  # noqa: SLF001


def wrap_offsets_through(adjust: Callable[[str, list[int], int, int, Callable[..., list[int]]], list[int]]) -> bool:
    """Put ``adjust(text, offsets, width, tab_size, wrap)`` in front of the offsets where
    Textual's text areas wrap a line (idempotent; returns whether it was installed now).
    ``textual.document._wrapped_document`` imports ``compute_wrap_offsets`` from
    ``textual._wrap`` and calls it by that name: patching it there is the point."""
    from textual.document import _wrapped_document

    module: Any = _wrapped_document
    original = module.compute_wrap_offsets
    if getattr(original, "adjusted_by", None) is adjust:
        return False

    def compute_wrap_offsets(text: str, width: int, tab_size: int, *args: Any, **kwargs: Any) -> list[int]:
        offsets: list[int] = original(text, width, tab_size, *args, **kwargs)
        return adjust(text, offsets, width, tab_size, original)

    compute_wrap_offsets.adjusted_by = adjust  # type: ignore[attr-defined]  # our mark on the function, so that it is wrapped once
    module.compute_wrap_offsets = compute_wrap_offsets
    return True


def keymap(app: App[Any]) -> dict[str, str]:
    """The app's keymap as set by ``App.set_keymap``: binding id -> keys."""
    return dict(app._keymap)  # noqa: SLF001


def class_bindings(node_class: type[DOMNode]) -> dict[str, list[Binding]]:
    """Key -> the bindings a widget class has with those of its bases (as Textual merges
    them); empty before Textual has merged them."""
    merged = node_class._merged_bindings  # noqa: SLF001 - set by Textual for every DOMNode class
    return {} if merged is None else {key: list(bindings) for key, bindings in merged.key_to_bindings.items()}


class WholeColumns(DataTable[Any]):
    """A table that scrolls sideways by whole columns: the first column past the fixed
    ones is shown whole, header and cells, never cut from the left (村务 for 参与村务).
    Textual's ``DataTable._scroll_cursor_into_view`` scrolls by cells and cuts them."""

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        super()._scroll_cursor_into_view(animate=animate)
        left = self._get_fixed_offset().left
        start = self._row_label_column_width
        for number, column in enumerate(self.ordered_columns):
            if number >= self.fixed_columns and start >= self.scroll_x + left:
                if start - left != self.scroll_x:
                    self.scroll_to(x=start - left, animate=False, force=True, immediate=True)
                return
            start += column.get_render_width(self)
