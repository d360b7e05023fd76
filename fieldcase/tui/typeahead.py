"""Keys typed ahead of a new screen keep the order they were typed in.

A key is handed to the widget that has the focus when the app reads it. Typed quickly after
a key that opens a screen (ctrl+n, then the first words of a field note), the first keys
still reach the old screen's widgets and come back up to the app, which sends them on to the
new screen (``FieldcaseApp.on_key``), while the keys typed a moment later went straight to
the new screen: ``十二个人在编宠物窝`` arrived as ``在编宠物窝十二个人``. So the first key
read for a new screen, and every key after it, is held until a barrier sent behind the
earlier keys has come back up to the app: by then each of them has been used by the old
screen or sent on, and the held keys follow them in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

LONGEST_HOLD = 0.5  # seconds: a barrier lost with a widget that went away frees the keys anyway


class KeyBarrier(Message):
    """Posted to the widget the last keys went to; bubbles up to the app behind them."""


class TypeAhead:
    """Decides, for each key the app reads, whether it goes on now or waits its turn."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: list[events.Key] | None = None
        self.last_screen: object | None = None
        self.last_target: MessagePump | None = None
        self._timer: Timer | None = None

    def admit(self, event: events.Key) -> bool:
        """True if ``event`` (a key just read, not yet forwarded) goes on now; False if it
        was held to follow keys typed before it."""
        if getattr(event, "_in_turn", False):
            self._note(event)
            return True
        if self.held is not None:
            self.held.append(event)
            return False
        screen = self.app.screen
        target = self.last_target
        if self.last_screen is not None and self.last_screen is not screen and target is not None:
            self.last_screen = self.last_target = None
            if target.post_message(KeyBarrier()):
                self.held = [event]
                self._timer = self.app.set_timer(LONGEST_HOLD, self.release)
                return False
        self._note(event)
        return True

    def _note(self, event: events.Key) -> None:
        self.last_screen = self.app.screen
        self.last_target = self.app.focused or self.app.screen

    def release(self) -> None:
        """Send the held keys on, in order, behind whatever the app has been sent already."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        held, self.held = self.held or [], None
        for key in held:
            self.app.post_message(in_turn(key))


def in_turn(key: events.Key) -> events.Key:
    """A copy of ``key`` that goes on without being held again."""
    again = events.Key(key.key, key.character)
    again._in_turn = True  # type: ignore[attr-defined]  # our mark on a Textual event (read back with getattr)
    return again
