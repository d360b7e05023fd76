"""Sites and cases: add and edit them, set their attributes, link the open source to cases,
and say which case each speaker of the open source is."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from fieldcase.tui.changes import FollowsChanges
from fieldcase.errors import FieldcaseError
from fieldcase.store import attributes, cases, sites, sources, speakers
from fieldcase.store.project import Project
from fieldcase.text.names import split_names
from fieldcase.tui.dialogs.form import FormDialog
from fieldcase.tui.watch import follow
from fieldcase.tui.widgets.bars import KeyBar, TitleBar
from fieldcase.tui.widgets.table_fill import cursor_key, fill, put_cursor

REGIONS = ["", "east", "central", "west", "northeast"]
ALIASES = "Other names (aliases)"
SITE_ZH = "Chinese name in chapters (中文名)"
SITE_EN = "English name in chapters"


def _attrs_text(values: dict[str, Any]) -> str:
    return "; ".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in values.items())


def _parse_aliases(text: str) -> list[str]:
    """Other names as typed in a form: ``老H, 何老板`` (、 and ； part them too)."""
    return split_names(text.replace("、", ",").replace("；", ",").replace(";", ","))


def _parse_attrs(text: str) -> dict[str, str]:
    pairs = [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]
    return attributes.parse_assignments(pairs)


class RowTable(DataTable[Any]):
    """A table of sites or cases whose Enter (shown in the key bar) edits the row."""

    BINDINGS = [Binding("enter", "select_cursor", "Edit", id="edit-row")]


class SpeakerTable(DataTable[Any]):
    """The open source's speakers; Enter (shown in the key bar) picks the case one is."""

    BINDINGS = [Binding("enter", "select_cursor", "Which case", id="speaker-case")]


class SitesCasesScreen(FollowsChanges, Screen[None]):
    """Sites, cases, and the open source's speakers, with keys to add, edit and link."""

    DEFAULT_CSS = """
    SitesCasesScreen #hint { width: 1fr; padding: 0 1; }
    SitesCasesScreen DataTable { height: 1fr; border: round $primary 50%; }
    SitesCasesScreen DataTable:focus { border: round $accent; }
    """
    # After the table's Enter, in the order the key bar shows them (a narrow terminal keeps
    # the first ones); i shows only in the speakers table (see check_action).
    BINDINGS = [
        Binding("l", "link", "Link", id="link-source"),
        Binding("i", "toggle_interviewer", "Interviewer", id="speaker-interviewer"),
        Binding("A", "add_case", "Case+", id="add-case"),
        Binding("a", "add_site", "Site+", id="add-site"),
        Binding("escape", "back", "Back", id="back-to-workspace"),
    ]

    def __init__(self, project: Project, source_id: int | None) -> None:
        super().__init__()
        self.project = project
        self.source_id = source_id

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical():
            yield Label("", id="hint")
            yield RowTable(id="sites", cursor_type="row", zebra_stripes=True)
            yield RowTable(id="cases", cursor_type="row", zebra_stripes=True, fixed_columns=1)
            yield SpeakerTable(id="speakers", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Sites and cases"
        self.query_one("#sites").border_title = "Sites  (a adds, Enter edits)"
        self.query_one("#cases").border_title = "Cases  (A adds, Enter edits, l links the open source)"
        self.query_one("#sites", DataTable).add_columns("site", "county", "province", "region", "cases", "sources", "attributes")
        # the case and whether the open source is linked to it come first: they matter for l
        self.query_one("#cases", DataTable).add_columns("case", "linked", "site", "kind", "also", "sources", "attributes")
        if self.source_id is not None:
            title = sources.find(self.project, self.source_id)["title"]
            self.query_one("#speakers").border_title = f"Speakers of {title}  (Enter: which case · i: interviewer)"
        self.query_one("#speakers").display = self.source_id is not None
        self.refresh_tables()
        self.query_one("#cases").focus()
        follow(self, self.project, self.refresh_tables)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """i (the interviewer) works, and shows in the key bar, only in the speakers table."""
        if action == "toggle_interviewer":
            return self.focused is not None and self.focused.id == "speakers"
        return True

    def after_change(self) -> None:
        """Undo and redo (ctrl+z, ctrl+y) may have changed the tables."""
        self.refresh_tables()

    def refresh_tables(self, goto: tuple[str, int] | None = None) -> None:
        """Fill the three tables from the store (after a change here or by another process),
        each cursor staying on its row; ``goto`` (table id, row id) moves one to a new row.
        The open source may have been deleted elsewhere: then there is none."""
        if self.source_id is not None and not sources.list_all(self.project, source_id=self.source_id):
            self.source_id = None
            self.query_one("#speakers").display = False
        source = sources.get(self.project, self.source_id, with_text=False) if self.source_id else None
        linked = set(source["cases"]) if source else set()
        self.query_one("#hint", Label).update(
            f"Open source: {source['title']}. l links it to the case under the cursor, or unlinks it." if source
            else "No source is open in the reader: open one to link it to cases here.")
        self._refill("sites", goto, [
            (str(site["id"]), [site["name"], site["county"] or "", site["province"] or "", site["region"] or "",
                               site["cases"], site["sources"], _attrs_text(site["attributes"])])
            for site in sites.list_all(self.project)])
        self._refill("cases", goto, [
            (str(case["id"]), [case["name"], "✓" if case["name"] in linked else "", case["site"] or "", case["kind"],
                               ", ".join(case["aliases"]), case["sources"], _attrs_text(case["attributes"])])
            for case in cases.list_all(self.project)])
        self._refill_speakers()

    def _refill(self, table_id: str, goto: tuple[str, int] | None, rows: list[tuple[str, list[Any]]]) -> None:
        """Replace a table's rows, keeping the cursor on the same row (or going to ``goto``'s)."""
        table = self.query_one(f"#{table_id}", DataTable)
        key, at = cursor_key(table), table.cursor_row
        if goto is not None and goto[0] == table_id:
            key = str(goto[1])
        table.clear()
        for row_key, cells in rows:
            table.add_row(*cells, key=row_key)
        put_cursor(table, key, at)

    def _refill_speakers(self) -> None:
        if self.source_id is None:
            return
        table = self.query_one("#speakers", DataTable)
        key, at = cursor_key(table), table.cursor_row
        found = speakers.list_for(self.project, self.source_id)
        fill(table, ["speaker", "role", "case", "turns", "characters", "set by"],
             [[r["label"], r["role"], r["case_name"] or "", r["turns"], r["chars"],
               r["modified_by"] if r["decided"] else "fieldcase"] for r in found], [r["label"] for r in found])
        put_cursor(table, key, at)

    def _current(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        row_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(row_id) if row_id is not None else None  # every row here is keyed by its id

    def _run(self, func: Any, *args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except FieldcaseError as err:
            self.notify(str(err), severity="error")
        self.refresh_tables()

    def _form(self, title: str, fields: list[tuple[str, str, str, list[str] | None]],
              save: Any, made: list[tuple[str, int]] | None = None) -> None:
        """A form whose Enter runs ``save(values)``; an error keeps the form open with its values.
        A row ``save`` puts in ``made`` (table id, row id) gets the cursor."""
        self.app.push_screen(FormDialog(title, fields, submit=save),
                             lambda values: self.refresh_tables(made[-1] if made else None))

    def action_add_site(self) -> None:
        fields = [("name", "Name", "", None), ("county", "County", "", None), ("province", "Province", "", None),
                  ("region", "Region", "", REGIONS), ("notes", "Notes", "", None),
                  ("name_zh", SITE_ZH, "", None), ("name_en", SITE_EN, "", None),
                  ("attrs", "Attributes", "", None)]

        made: list[tuple[str, int]] = []

        def save(values: dict[str, str]) -> None:
            attrs = _parse_attrs(values["attrs"])
            site = sites.add(self.project, values["name"], county=values["county"] or None,
                             province=values["province"] or None, region=values["region"] or None,
                             notes=values["notes"] or None, name_zh=values["name_zh"], name_en=values["name_en"],
                             attrs=attrs)
            made.append(("sites", site["id"]))

        self._form("New site", fields, save, made)

    def action_add_case(self) -> None:
        site_names = [""] + [s["name"] for s in sites.list_all(self.project)]
        # the new case belongs to the site under the cursor in the sites table, if any
        site_id = self._current("sites")
        here = sites.get(self.project, site_id)["name"] if site_id is not None else ""
        fields = [("name", "Name", "", None), ("aliases", ALIASES, "", None), ("site", "Site", here, site_names),
                  ("kind", "Kind", "person", list(cases.KINDS)), ("notes", "Notes", "", None),
                  ("attrs", "Attributes", "gender=; birth_year=", None)]
        made: list[tuple[str, int]] = []

        def save(values: dict[str, str]) -> None:
            attrs = {k: v for k, v in _parse_attrs(values["attrs"]).items() if v.strip()}
            case = cases.add(self.project, values["name"], site=values["site"] or None, kind=values["kind"],
                             notes=values["notes"] or None, attrs=attrs, aliases=_parse_aliases(values["aliases"]))
            made.append(("cases", case["id"]))

        self._form("New case", fields, save, made)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row edits it (the table takes Enter before the screen's binding)."""
        event.stop()
        event.data_table.focus()
        self.action_edit()

    def _speaker_here(self) -> str | None:
        table = self.query_one("#speakers", DataTable)
        if self.source_id is None or not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_edit(self) -> None:
        if self.focused and self.focused.id == "speakers":
            self._edit_speaker()
            return
        if self.focused and self.focused.id == "sites":
            site_id = self._current("sites")
            if site_id is None:
                return
            site = sites.get(self.project, site_id)
            fields = [(k, k.title(), site[k] or "", REGIONS if k == "region" else None)
                      for k in ("name", "county", "province", "region", "notes")]
            fields += [("name_zh", SITE_ZH, site["name_zh"] or "", None),
                       ("name_en", SITE_EN, site["name_en"] or "", None)]
            fields.append(("attrs", "Attributes", _attrs_text(site["attributes"]), None))

            def save_site(values: dict[str, str]) -> None:
                values = dict(values)
                attrs = _parse_attrs(values.pop("attrs"))
                sites.update(self.project, site_id, values, attrs)

            self._form(f"Site {site['name']}", fields, save_site)
            return
        case_id = self._current("cases")
        if case_id is None:
            return
        case = cases.get(self.project, case_id)
        fields = [("name", "Name", case["name"], None), ("aliases", ALIASES, ", ".join(case["aliases"]), None),
                  ("kind", "Kind", case["kind"], list(cases.KINDS)), ("notes", "Notes", case["notes"] or "", None),
                  ("attrs", "Attributes", _attrs_text(case["attributes"]), None)]

        def save_case(values: dict[str, str]) -> None:
            values = dict(values)
            attrs = _parse_attrs(values.pop("attrs"))
            cases.update(self.project, case_id, {**values, "aliases": _parse_aliases(values["aliases"])}, attrs)

        self._form(f"Case {case['name']}", fields, save_case)

    def action_link(self) -> None:
        """Link the open source to the case under the cursor, or unlink it."""
        if self.source_id is None:
            self.notify("No source is open in the reader: open one, then link it to a case here.", severity="warning")
            return
        if self.focused is None or self.focused.id != "cases":
            self.notify("Move to the cases table (Tab) and pick the case to link the open source to.",
                        severity="warning")
            return
        case_id = self._current("cases")
        if case_id is None:
            return
        source = sources.get(self.project, self.source_id, with_text=False)
        name = cases.get(self.project, case_id)["name"]
        unlink = name in source["cases"]
        self._run(sources.link, self.project, self.source_id, [str(case_id)], unlink=unlink)
        self.notify(f"{'Unlinked' if unlink else 'Linked'} {source['title']} {'from' if unlink else 'to'} {name} "
                    "(ctrl+z undoes)")

    def _edit_speaker(self) -> None:
        """Pick the case the speaker under the cursor is (or none)."""
        from fieldcase.tui.dialogs.case_picker import NO_CASE, CasePicker

        label = self._speaker_here()
        if label is None or self.source_id is None:
            return
        source_id = self.source_id
        speaker = speakers.find(self.project, source_id, label)

        def save(case_id: int | None) -> None:
            if case_id is None:
                return
            if case_id == NO_CASE:
                self._run(speakers.unlink, self.project, source_id, label)
                self.notify(f"{label} is linked to no case (ctrl+z undoes)")
            else:
                self._run(speakers.link, self.project, source_id, label, case_id)
                note = f"{label} is case {cases.get(self.project, case_id)['name']} (ctrl+z undoes)"
                if speaker["case_id"] not in (None, case_id):
                    note += (f"; the source is still linked to {cases.get(self.project, speaker['case_id'])['name']}"
                             " (l in the cases table unlinks it)")
                self.notify(note)

        self.app.push_screen(CasePicker(cases.list_all(self.project), f"Which case is speaker {label}?",
                                        speaker["case_id"]), save)

    def action_toggle_interviewer(self) -> None:
        """Mark the speaker under the cursor as the interviewer, or as a speaker again."""
        label = self._speaker_here()
        if label is None:
            return
        speaker = speakers.find(self.project, self.source_id, label)  # type: ignore[arg-type]  # label is not None here (checked above)
        role = "speaker" if speaker["role"] == "interviewer" else "interviewer"
        self._run(speakers.set_role, self.project, self.source_id, label, role)
        self.notify(f"{label} is {'the interviewer' if role == 'interviewer' else 'a speaker'} (ctrl+z undoes)")

    def action_back(self) -> None:
        self.dismiss(None)
