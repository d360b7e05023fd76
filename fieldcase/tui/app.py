"""The fieldcase Textual application."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding

from fieldcase.config import config_dir
from fieldcase.errors import FieldcaseError
from fieldcase.store import blinding
from fieldcase.tui.commands import ActionsProvider
from fieldcase.tui.compat import (
    crash_reports_without_values,
    keep_wide_characters_whole,
    paint_only_visible_screens,
    show_control_characters,
)
from fieldcase.tui.typeahead import KeyBarrier, TypeAhead, in_turn

if TYPE_CHECKING:
    from fieldcase.store.project import Project

keep_wide_characters_whole()
show_control_characters()
crash_reports_without_values()
paint_only_visible_screens()


def _passes_tab_on(widget: object) -> bool:
    """Whether ``widget`` leaves Tab to move the focus (a one-line field, a text area set so)."""
    from textual.widgets import Input, TextArea

    return isinstance(widget, Input) or (isinstance(widget, TextArea) and widget.tab_behavior == "focus")


def keymap_path() -> Path:
    """The user's key remapping file: ``binding-id = "keys"`` lines."""
    return config_dir() / "keymap.toml"


class FieldcaseApp(App[None]):
    """Open a project and work on it by keyboard."""

    TITLE = "fieldcase"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("ctrl+z", "undo", "Undo mine", id="app-undo", show=False),
        Binding("ctrl+y", "redo", "Redo mine", id="app-redo", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, project_path: Path, *, user: str | None = None, create: bool = False,
                 project: Project | None = None, notice: str | None = None, blind: bool = False) -> None:
        """``project``: the project already opened by the caller (it is closed with the app);
        ``notice``: a message shown once the workspace is open; ``blind``: show only the
        user's own codings (blind coding)."""
        super().__init__()
        self.blind = blind
        self.notice = notice
        self.project_path = project_path
        self.user = user
        self.create = create
        self.project: Project | None = project
        self.error: str | None = None
        self.typeahead = TypeAhead(self)

    def on_mount(self) -> None:
        from fieldcase.store.project import open_project
        from fieldcase.tui.screens.workspace import WorkspaceScreen

        from fieldcase.tui.hangup import save_on_hang_up

        save_on_hang_up(self)  # a closed terminal saves open drafts before the process ends
        self._apply_keymap()
        try:
            if self.project is None:
                self.project = open_project(self.project_path, user=self.user, create=self.create)
        except FieldcaseError as err:
            self.error = f"error: {err}"  # printed by the caller as one line, after the terminal is restored
            self.exit(return_code=1)
            return
        self.sub_title = f"{self.project.info().get('name')} — {self.project_path.name}"
        if self.blind:  # every connection this process opens to the file (workers' too) is blind
            blinding.hold(self.project.path)
        # Textual holds every repaint until the app's start-up is over, and a screen pushed
        # from here would be laid out and rendered once in vain and its first source loaded
        # before anything reached the terminal. Pushed from the message loop, its first
        # frame is painted as soon as it is laid out, and the first source follows.
        self.call_later(self.push_screen, WorkspaceScreen(self.project, blind=self.blind))
        if self.notice:
            self.call_later(self.notify, self.notice, timeout=8)

    async def on_event(self, event: events.Event) -> None:
        # Remember which screen a key was typed on: see on_key.
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self.typeahead.admit(event):
                return  # typed ahead of a new screen: it follows the keys typed before it
            event._typed_on = self.screen  # type: ignore[attr-defined]  # our mark on a Textual event (read back with getattr)
            if event.key in ("tab", "shift+tab") and _passes_tab_on(self.focused):
                # Moved here, in the order the keys came: Textual sends Tab to the field,
                # which passes it back up to the app's binding, and a key typed just after
                # it (a burst of words from an input method) reached the old field first.
                (self.screen.focus_next if event.key == "tab" else self.screen.focus_previous)()
                return
        await super().on_event(event)

    def on_key_barrier(self, _: KeyBarrier) -> None:
        self.typeahead.release()

    def on_key(self, event: events.Key) -> None:
        """A key typed ahead of a dialog (``c`` then ``cstl`` Enter, faster than the code
        picker opens) reached the old screen's widgets, which passed it back up here after
        the dialog took over: it is sent again, to the dialog, rather than lost."""
        typed_on = getattr(event, "_typed_on", None)
        if typed_on is not None and typed_on is not self.screen:
            event.prevent_default()
            event.stop()
            self.post_message(in_turn(event))

    def on_unmount(self) -> None:
        if self.project is not None:
            if self.blind:
                blinding.release(self.project.path)
            self.project.close()

    def _apply_keymap(self) -> None:
        path = keymap_path()
        if not path.exists():
            return
        try:
            mapping = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            self.notify(f"{path}: not valid TOML ({err}); keys left as they are", severity="error")
            return
        self.set_keymap({str(k): str(v) for k, v in mapping.items()})
        for warning in self._reader_clashes():
            self.notify(f"{path}: {warning}", severity="warning", timeout=10)

    def _reader_clashes(self) -> list[str]:
        """Remapped keys that the reader (a read-only text area) also uses: while it has
        focus, its own binding wins, so the remapped action would seem not to work there."""
        from fieldcase.tui import compat
        from fieldcase.tui.widgets.reader import Reader

        keymap = compat.keymap(self)
        reader_keys = {
            key: binding
            for key, bindings in compat.class_bindings(Reader).items()
            for binding in bindings
            if binding.id not in keymap
        }
        clashes = []
        for binding_id, keys in keymap.items():
            for key in keys.split(","):
                taken = reader_keys.get(key.strip())
                if taken is not None:
                    clashes.append(f"{key.strip()} for {binding_id} is also the reader's key for "
                                   f"{taken.description or taken.action}; in the reader it does that")
        return clashes

    def binding_rows(self, screen: Any = None) -> list[tuple[str, str, str, str, Any]]:
        """(keys, description, id, action, node) for every binding in force on ``screen`` (the
        current one by default), for help and palette: the focused widget's first, then the
        screen's, then the app's, each in the order they were declared; every key of an id."""
        from textual.screen import Screen

        screen = screen or self.screen
        grouped: dict[str, list[Any]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action == "command_palette":
                binding_id = "command-palette"
            elif not binding.id:
                continue
            else:
                binding_id = binding.id
            if binding_id in grouped:
                grouped[binding_id][0].append(self.get_key_display(binding))
                continue
            rank = 2 if active.node is self else 1 if isinstance(active.node, Screen) else 0
            grouped[binding_id] = [[self.get_key_display(binding)], binding.description or "Command palette",
                                   binding_id, binding.action, active.node, rank, len(grouped)]
        ordered = sorted(grouped.values(), key=lambda row: (row[5], row[6]))
        return [(" / ".join(keys), description, binding_id, action, node)
                for keys, description, binding_id, action, node, _, _ in ordered]

    def action_help(self) -> None:
        """Show every key with its action and id."""
        from textual.screen import Screen

        from fieldcase.tui.screens.help import HelpScreen

        def where(node: Any) -> str:
            if node is self:
                return "everywhere"
            if isinstance(node, Screen):
                return "this screen"
            return "in the " + type(node).__name__.lower()

        rows = [(where(node), key, description, binding_id)
                for key, description, binding_id, _, node in self.binding_rows()]
        path = str(keymap_path())
        home = str(Path.home())
        self.push_screen(HelpScreen(rows, "~" + path[len(home):] if path.startswith(home + "/") else path))

    def _step_history(self, step: Any, verb: str) -> None:
        """Run ``history.undo`` or ``history.redo`` and refresh the screen."""
        if self.project is None:
            return
        from fieldcase.tui.screens.history import attempt

        group = attempt(self.notify, self.project, step)
        if group is None:
            return
        self.notify(f"{verb}: {group['summary']}")
        from fieldcase.tui.changes import announce

        announce(self)  # every open screen shows it (one underneath when it is shown again)

    def action_undo(self) -> None:
        """Undo your newest change still in effect (never someone else's)."""
        from fieldcase.store import history

        self._step_history(history.undo, "Undid")

    def action_redo(self) -> None:
        """Redo the change you most recently undid."""
        from fieldcase.store import history

        self._step_history(history.redo, "Redid")
