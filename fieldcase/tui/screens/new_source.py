"""Typing a new source: metadata and text, saved as a draft every few seconds and on exit."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.text_area import Selection

from fieldcase.errors import FieldcaseError
from fieldcase.store import cases, drafts, sites
from fieldcase.store.project import Project
from fieldcase.text.names import close_names, split_names, unknown
from fieldcase.tui.dialogs.new_name import NewNameDialog
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.editor import cursor_to_end

KINDS = [("interview", "interview"), ("observation (field note)", "observation"), ("document", "document")]
CONSENT = [(c, c) for c in ("written", "oral", "not-needed", "pending", "withdrawn")]
FIELDS = ("title", "site", "cases", "date", "interviewer", "place")


def cases_example(names: list[str]) -> str:
    """The cases field's example: two of the project's own cases, or a neutral one."""
    return ", ".join(names[:2]) + " (names, commas between)" if names else "case names, commas between"


class NewSourceScreen(Screen[int | None]):
    """A form and an editor; the draft survives crashes and is offered back next time."""

    DEFAULT_CSS = """
    NewSourceScreen Grid { grid-size: 4; grid-columns: 12 1fr 12 1fr; height: auto; padding: 0 1; }
    NewSourceScreen Grid Label { padding: 1 0 0 1; }
    NewSourceScreen TextArea { height: 1fr; border: round $accent; }
    NewSourceScreen #status { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "finish", "Save as source", id="save-source"),
        Binding("escape", "leave", "Back (draft kept)", id="leave-draft"),
    ]

    def __init__(self, project: Project, draft: dict[str, Any] | None = None, *, autosave: float = 3.0) -> None:
        super().__init__()
        self.project = project
        self.draft_id: int | None = draft["id"] if draft else None
        self.initial = draft or {"fields": {}, "text": ""}
        self.autosave = autosave
        self._saved: tuple[str, str] | None = None
        self._finished = False
        self._confirmed: set[tuple[str, str]] = set()  # (field, name) to create as typed
        # Focus is given as the screen is composed, before its first frame, so that keys typed
        # as soon as the form shows reach the text of a resumed draft, never its title.
        # an instance value on purpose: Textual reads self.AUTO_FOCUS, and each form picks its own
        self.AUTO_FOCUS = "#text" if self.initial["text"] or self.initial["fields"].get("title") else "#title"  # type: ignore[misc]  # a ClassVar in Textual, set per instance on purpose (above)

    def compose(self) -> ComposeResult:
        fields = self.initial["fields"]
        site_names = [s["name"] for s in sites.list_all(self.project)]
        case_names = [c["name"] for c in cases.list_all(self.project)]
        yield TitleBar()
        with Vertical():
            with Grid():
                yield Label("Title")
                yield Input(fields.get("title", ""), id="title")
                yield Label("Site")
                yield Input(fields.get("site", ""), id="site", suggester=SuggestFromList(site_names, case_sensitive=False))
                yield Label("Cases")
                yield Input(fields.get("cases", ""), id="cases", placeholder=cases_example(case_names),
                            suggester=SuggestFromList(case_names, case_sensitive=False))
                yield Label("Kind")
                yield Select(KINDS, value=fields.get("kind", "interview"), allow_blank=False, id="kind")
                yield Label("Date")
                yield Input(fields.get("date", ""), id="date", placeholder="YYYY-MM-DD")
                yield Label("Interviewer")
                yield Input(fields.get("interviewer", ""), id="interviewer")
                yield Label("Place")
                yield Input(fields.get("place", ""), id="place")
                yield Label("Consent")
                yield Select(CONSENT, value=fields.get("consent", "pending"), allow_blank=False, id="consent")
            area = TextArea(self.initial["text"], id="text", soft_wrap=True, show_line_numbers=False)
            area.selection = Selection.cursor(area.document.end)  # typing goes on at the end
            yield area
            yield Label("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "New source"
        self.query_one("#text").border_title = "Text: type or paste the transcript or field note (turns as 访谈者：/ H：…)"
        self.sub_title = "ctrl+s saves it as a source · Esc goes back, keeping the draft"
        text = self.query_one("#text", TextArea)
        if self.initial["text"]:
            text.focus()
            cursor_to_end(text)  # a resumed draft goes on where the typing stopped
        else:
            self.query_one("#title" if not self.initial["fields"].get("title") else "#text").focus()
        self.set_interval(self.autosave, self.save_draft)

    def values(self) -> dict[str, Any]:
        """The form's fields as a dict."""
        data: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        data["kind"] = self.query_one("#kind", Select).value
        data["consent"] = self.query_one("#consent", Select).value
        return data

    def text(self) -> str:
        return self.query_one("#text", TextArea).text

    def save_draft(self) -> None:
        """Save the form and text as a draft if they changed since the last save."""
        import json

        if self._finished:
            return
        values = self.values()
        state = (json.dumps(values, ensure_ascii=False, sort_keys=True), self.text())
        typed_anything = state[1].strip() or any(values[name] for name in FIELDS)
        if state == self._saved or not typed_anything:
            return
        self.draft_id = drafts.save(self.project, self.draft_id, state[1], values)
        self._saved = state
        self.query_one("#status", Label).update(f"Draft saved ({len(state[1]):,} characters)")

    def on_unmount(self) -> None:
        try:
            self.save_draft()
        except Exception:  # noqa: BLE001 - the widgets may already be gone at shutdown
            pass

    def action_finish(self) -> None:
        """Store the draft as a source and return to the workspace (asking first about a
        case or site that is not in the project yet)."""
        self.save_draft()
        if self.draft_id is None:
            self.notify("Type the text first", severity="warning")
            return
        if self._ask_new_name():
            return
        from fieldcase.importers.drafts import finish

        try:
            source_id = finish(self.project, self.draft_id)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
            return
        self._finished = True
        self.dismiss(source_id)

    def _ask_new_name(self) -> bool:
        """Ask about the first typed case or site not in the project and not confirmed yet;
        False when there is none."""
        known = {"cases": [c["name"] for c in cases.list_all(self.project)],
                 "site": [s["name"] for s in sites.list_all(self.project)]}
        for field, noun in (("cases", "case"), ("site", "site")):
            for name in unknown(self._typed(field) + self._in_header(field), known[field]):
                if (field, name) not in self._confirmed:
                    self.app.push_screen(NewNameDialog(noun, name, close_names(name, known[field])),
                                         lambda chosen, f=field, n=name: self._named(f, n, chosen))
                    return True
        return False

    def _typed(self, field: str) -> list[str]:
        """The names typed in the cases field (comma-separated) or the site field."""
        value = self.query_one(f"#{field}", Input).value
        return split_names(value) if field == "cases" else [value.strip()] if value.strip() else []

    def _in_header(self, field: str) -> list[str]:
        """The names a ``---`` header typed at the top of the text gives for ``field``."""
        from fieldcase.importers.header import split_header

        try:
            meta = split_header(self.text())[0].meta
        except FieldcaseError:
            return []  # a bad header is reported when the source is stored
        found = meta.get("cases") if field == "cases" else meta.get("site")
        return [str(n) for n in found] if isinstance(found, list) else [str(found)] if found else []

    def _named(self, field: str, typed: str, chosen: str | None) -> None:
        if chosen is None:
            self.query_one("#status", Label).update(f"Not saved yet: change “{typed}” or ctrl+s again")
            self.query_one(f"#{field}", Input).focus()
            return
        if chosen == typed:
            self._confirmed.add((field, typed))
        elif typed in self._typed(field):
            box = self.query_one(f"#{field}", Input)
            box.value = ", ".join(chosen if name == typed else name for name in self._typed(field))
        else:  # the name was typed in the text's header: change it there
            self._rename_in_header(typed, chosen)
        self.action_finish()

    def _rename_in_header(self, typed: str, chosen: str) -> None:
        from fieldcase.importers.header import header_length

        area = self.query_one("#text", TextArea)
        text = area.text
        end = header_length(text)
        area.load_text(text[:end].replace(typed, chosen) + text[end:])
        self.save_draft()

    def action_leave(self) -> None:
        """Go back; the draft stays and is offered again."""
        self.save_draft()
        if self.draft_id is not None:
            self.notify("Draft kept; ctrl+n continues it")
        self.dismiss(None)
