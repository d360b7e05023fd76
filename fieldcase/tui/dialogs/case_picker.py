"""Choosing a case by typing part of its name, site or another name it goes by."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from fieldcase.coding.ranking import by_pinyin

NO_CASE = 0
_MISS = 6


def _rank(case: dict[str, Any], wanted: str) -> int:
    """How well a case matches the filter: its name exactly, by its start, inside it, an
    alias, its name's or an alias's pinyin initials (as the code picker takes them), its
    site; ``_MISS`` when not at all."""
    name = case["name"].casefold()
    aliases = [a.casefold() for a in case.get("aliases", [])]
    checks = (name == wanted or wanted in aliases, name.startswith(wanted), wanted in name,
              any(wanted in a for a in aliases), any(by_pinyin(wanted, n) for n in (case["name"], *aliases)),
              wanted in (case.get("site") or "").casefold())
    return next((i for i, hit in enumerate(checks) if hit), _MISS)


class CasePicker(ModalScreen[int | None]):
    """A filter box over the cases (and "no case" first); Enter returns the case id, 0 for
    no case, Escape ``None``."""

    DEFAULT_CSS = """
    CasePicker { align: center middle; }
    CasePicker > Vertical { width: 72; height: 22; border: thick $accent; background: $surface; }
    CasePicker Label { width: 1fr; }
    CasePicker Input { margin: 0 0 1 0; }
    CasePicker OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="case-picker-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="case-picker-down"),
        Binding("up", "move(-1)", "Previous", show=False, id="case-picker-up"),
    ]

    def __init__(self, cases: list[dict[str, Any]], title: str, current: int | None = None) -> None:
        super().__init__()
        self.cases = cases
        self.title_text = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble((self.title_text, "bold"), "\n",
                                      ("type part of a name, an alias or a site, or pinyin initials (zkz → 周科长); Enter picks, Esc cancels", "dim")))
            yield Input(placeholder="filter…", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        wanted = query.strip().casefold()
        options = self.query_one(OptionList)
        options.clear_options()
        if not wanted:
            options.add_option(Option(Text("(no case: this speaker's turns count for no case)", "italic"),
                                      id=str(NO_CASE)))
        for case in sorted(self.cases, key=lambda c: _rank(c, wanted)) if wanted else self.cases:
            if wanted and _rank(case, wanted) >= _MISS:
                continue
            also = f"  also {', '.join(case['aliases'])}" if case.get("aliases") else ""
            label = Text.assemble(case["name"], (f"  {case.get('site') or ''}  {case['kind']}{also}", "dim"))
            options.add_option(Option(label, id=str(case["id"])))
        if options.option_count:
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            here = str(self.current) if self.current is not None else None
            options.highlighted = ids.index(here) if here in ids and not wanted else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(int(options.get_option_at_index(options.highlighted).id or NO_CASE))
        else:
            self.notify(f"No case matches {event.value!r}; add it with A in the cases table", severity="warning")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or NO_CASE))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
