"""A code's properties in one form: names, definition, inclusion, exclusion, example,
keywords and colour, as NVivo's and MAXQDA's code properties dialogs hold them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from fieldcase.coding.colours import check_color
from fieldcase.errors import InputError
from fieldcase.tui.dialogs.form import close_or_ask, save_or_show

# (field, label, multi-line)
FIELDS = (
    ("name_zh", "Chinese name", False),
    ("name_en", "English name", False),
    ("description", "Definition", True),
    ("inclusion", "Inclusion", True),
    ("exclusion", "Exclusion", True),
    ("example", "Example", True),
    ("keywords", "Keywords", False),
    ("color", "Colour", False),
)


def keywords_text(keywords: list[str]) -> str:
    """Keywords as typed in the form: comma-separated."""
    return ", ".join(keywords)


def parse_keywords(text: str) -> list[str]:
    """Keywords from the form, split at commas (，、 too)."""
    for mark in ("，", "、", ";", "；"):
        text = text.replace(mark, ",")
    return [k.strip() for k in text.split(",") if k.strip()]


def swatch(color: str) -> Text:
    """A patch of ``color`` to see it by, or a hint while it is not yet a colour."""
    try:
        shown = check_color(color)
    except InputError:
        return Text("(a colour is #RRGGBB)", style="dim")
    return Text.assemble(("      ", f"on {shown}"), " marks the code's words in the reader")


class CodeForm(ModalScreen[dict[str, Any] | None]):
    """Edit (or fill in a new) code; ctrl+s or Enter in a one-line field saves, Esc cancels
    (asking first when something was typed).

    ``submit`` stores the values: if it raises a :class:`FieldcaseError` the reason shows
    in the form and everything typed stays.
    """

    DEFAULT_CSS = """
    CodeForm { align: center middle; }
    CodeForm > VerticalScroll { width: 96; max-width: 100%; height: auto; max-height: 100%;
                                border: thick $accent; background: $surface; padding: 0 1; }
    CodeForm #title { text-style: bold; }
    CodeForm #hint { color: $text-muted; }
    CodeForm Horizontal { height: auto; margin: 0 0 0 0; }
    CodeForm Horizontal > Label { width: 14; }
    CodeForm Input, CodeForm TextArea { width: 1fr; background: $boost; }
    CodeForm Input.-textual-compact { padding: 0 1; }
    CodeForm TextArea { height: 4; }
    CodeForm #description { height: 6; }
    CodeForm #swatch { height: 1; }
    CodeForm #error { color: $error; display: none; }
    CodeForm #error.shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="code-form-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="code-form-cancel"),
    ]

    def __init__(self, title: str, code: Mapping[str, Any], submit: Callable[[dict[str, Any]], Any],
                 focus: str = "description") -> None:
        """``code``: the current values (a row of :func:`fieldcase.store.codes.tree`, or blanks)."""
        super().__init__()
        self.form_title = title
        self.code = code
        self.submit = submit
        self.first = focus

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(self.form_title, id="title")
            yield Label("Tab moves between fields · ctrl+s saves · Esc cancels", id="hint")
            for name, label, multi in FIELDS:
                value = self.code.get(name)
                text = keywords_text(value or []) if name == "keywords" else value or ""
                with Horizontal():
                    yield Label(label)
                    if multi:
                        yield TextArea(text, id=name, compact=True, soft_wrap=True, show_line_numbers=False)
                    else:
                        yield Input(text, id=name, compact=True)
            with Horizontal():
                yield Label("")
                yield Static(swatch(self.code.get("color") or ""), id="swatch")
            yield Label("", id="error")

    def on_mount(self) -> None:
        self.query_one(f"#{self.first}").focus()
        self.original = self.values()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "color":
            self.query_one("#swatch", Static).update(swatch(event.value))

    def values(self) -> dict[str, Any]:
        """What the form holds now, as the store takes it."""
        values: dict[str, Any] = {}
        for name, _, multi in FIELDS:
            widget: Any = self.query_one(f"#{name}")
            values[name] = widget.text if multi else widget.value
        values["keywords"] = parse_keywords(values["keywords"])
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        save_or_show(self, self.submit, self.values())

    def action_cancel(self) -> None:
        """Close without saving; if something was typed, ask first (as the memo editor does)."""
        close_or_ask(self, self.values() != self.original, "Discard what you typed in this code?",
                     "The names, definition, keywords and other fields typed since the form opened are lost.")
