"""A source's details: title, kind, date, place, interviewer, language, consent and site,
checked by the store as they are saved; ctrl+d deletes the source after asking."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from fieldcase.store import sources
from fieldcase.text.english import count
from fieldcase.tui.dialogs.form import FormDialog


def detail_fields(source: Mapping[str, Any], site_names: list[str]) -> list[tuple[str, str, str, list[str] | None]]:
    """The form's fields with the source's values (choices for kind, consent and site)."""
    return [
        ("title", "Title", source["title"], None),
        ("kind", "Kind", source["kind"], list(sources.KINDS)),
        ("date", "Date", source["date"] or "", None),
        ("place", "Place", source["place"] or "", None),
        ("interviewer", "Interviewer", source["interviewer"] or "", None),
        ("language", "Language", source["language"] or "", None),
        ("consent", "Consent", source["consent"] or "", ["", *sources.CONSENT]),
        ("site", "Site", source["site"] or "", ["", *site_names]),
    ]


class SourceDetailsDialog(FormDialog):
    """The details form of one source; ``delete`` is called (after the form closes) on ctrl+d."""

    DEFAULT_CSS = """
    SourceDetailsDialog Grid { grid-gutter: 1 1; }
    SourceDetailsDialog Grid Label { padding: 0; }
    SourceDetailsDialog Grid Input { background: $boost; padding: 0 1; }
    SourceDetailsDialog #about { color: $text-muted; margin: 1 0 0 0; }
    """
    COMPACT = True
    BINDINGS = [
        *FormDialog.BINDINGS,
        Binding("ctrl+d", "delete_source", "Delete source", id="details-delete-source", priority=True),
    ]

    def __init__(self, source: Mapping[str, Any], site_names: list[str],
                 submit: Callable[[dict[str, str]], Any], delete: Callable[[], None]) -> None:
        super().__init__(f"Source {source['id']}: {source['title']}", detail_fields(source, site_names), submit)
        self.delete = delete
        self.about = (f"{count(source['chars'], 'character')}, {count(len(source['turns']), 'speaker turn')}"
                      + (f", cases {', '.join(source['cases'])} (F5 links)" if source["cases"] else ", no case (F5 links)")
                      + (f", from {source['original_filename']}" if source.get("original_filename") else ""))

    def on_mount(self) -> None:
        box = self.query_one(Vertical)
        box.mount(Static(f"{self.about}\nA date is YYYY-MM-DD, YYYY-MM or YYYY.  ctrl+d deletes this source.",
                        id="about"), before="#error")  # FormDialog's own on_mount then focuses the first field

    def action_delete_source(self) -> None:
        self.dismiss(None)
        self.delete()
