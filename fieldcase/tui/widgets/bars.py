"""The title bar and the key bar: one widget each, drawn as a single line.

Textual's Header is four widgets and its Footer one widget per key; on the workspace
they were two thirds of the widgets styled and laid out before the first frame. These
draw the same information in one line each and keep the behaviour people rely on:
the key bar follows focus and remapped keys, dims disabled keys, and runs a key when
it is clicked; the title bar follows the app's and the screen's titles, and its icon
opens the command palette.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

ICON = " ⭘ "


class TitleBar(Widget):
    """The screen's title (or the app's) and its sub-title, centred on one line."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(owner, name, self._title_changed, init=False)

    def _title_changed(self, _value: object) -> None:
        self.refresh()

    def title_content(self) -> Content:
        """The text shown: what Textual's Header shows, through ``App.format_title``."""
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        room = max(0, width - 2 * len(ICON))
        title = self.title_content().center(room, ellipsis=True)
        return Content.assemble(ICON, title, " " * len(ICON)).truncate(width)

    def on_click(self, event: events.Click) -> None:
        """The icon opens the command palette, as Textual's header does."""
        if event.x < len(ICON) and self.app.ENABLE_COMMAND_PALETTE:
            self.app.action_command_palette()


class KeyItem(NamedTuple):
    """One key shown in the bar (``app``: the app's own, such as help and quit)."""

    key: str
    display: str
    description: str
    enabled: bool
    app: bool = False


class Spot(NamedTuple):
    """Where a key is drawn: cells ``start`` to ``end`` of the line."""

    start: int
    end: int
    item: KeyItem


class KeyBar(Widget, can_focus=False):
    """The keys in force for the focused widget and its screen, like Textual's Footer."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--hover"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--hover {
        background: $block-hover-background;
    }
    """

    hover: reactive[int] = reactive(-1)
    """The index of the spot under the mouse, or -1."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.spots: list[Spot] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:
            self.refresh()

    def items(self) -> tuple[list[KeyItem], KeyItem | None]:
        """The keys to show (one per action, in binding order) and the command palette's key."""
        app = self.app
        active = self.screen.active_bindings
        shown: list[KeyItem] = []
        actions: set[str] = set()
        for node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append(KeyItem(binding.key, app.get_key_display(binding), binding.description, enabled, node is app))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = KeyItem(binding.key, app.get_key_display(binding), binding.description, enabled)
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        hover_style = self.get_component_rich_style("keybar--hover", partial=True)
        dim = Style(dim=True)
        width = self.size.width
        shown, palette = self.items()

        def piece(item: KeyItem) -> Text:
            text = Text.assemble((f" {item.display} ", key_style), (f"{item.description} ", description_style))
            if not item.enabled:
                text.stylize(dim)
            return text

        tail = piece(palette) if palette else Text()
        room = width - tail.cell_len
        pieces = [piece(item) for item in shown]
        # When not all fit, the app's own keys (help, quit) stay, and the others fill the
        # room left in their order.
        left = room - sum(text.cell_len for item, text in zip(shown, pieces) if item.app)
        kept = []
        for item, text in zip(shown, pieces):
            if not item.app:
                if text.cell_len > left:
                    left = -1  # keep the order: once one does not fit, none after it
                    continue
                left -= text.cell_len
            kept.append((item, text))
        line = Text(no_wrap=True, overflow="crop", end="")
        spots: list[Spot] = []
        for item, text in kept:
            if line.cell_len + text.cell_len > room:
                break
            spots.append(Spot(line.cell_len, line.cell_len + text.cell_len, item))
            line.append_text(text)
        if palette:
            line.append(" " * max(0, room - line.cell_len))
            spots.append(Spot(line.cell_len, line.cell_len + tail.cell_len, palette))
            line.append_text(tail)
        if 0 <= self.hover < len(spots):
            spot = spots[self.hover]
            line.stylize(hover_style, spot.start, spot.end)
        self.spots = spots
        return line

    def spot_at(self, x: int) -> int:
        """The index of the spot at cell ``x``, or -1."""
        for index, spot in enumerate(self.spots):
            if spot.start <= x < spot.end:
                return index
        return -1

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover = self.spot_at(event.x)

    def on_leave(self, _event: events.Leave) -> None:
        self.hover = -1

    def on_click(self, event: events.Click) -> None:
        """Clicking a key presses it; a disabled key rings the bell."""
        index = self.spot_at(event.x)
        if index < 0:
            return
        item = self.spots[index].item
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
