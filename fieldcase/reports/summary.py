"""The coded summary: every code in codebook order with its definition, counts, and
every quote with its citation, for a chosen scope; rendered through a template."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Unpack

from fieldcase.coding.keys import has_han
from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.coding.speakers import BY_SOURCE, BY_SPEAKERS, Speaker, shown_label
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.templating import render

if TYPE_CHECKING:
    from fieldcase.store.project import Project

TEMPLATES = BY_NAME["summary"].templates  # by format

def quotes_by_code(project: Project, scope: Scope | None = None,
                   **narrow: Unpack[Narrowing]) -> dict[str, list[dict[str, Any]]]:
    """Each code's quotes in scope (its kind of source as written, with no alias), with what
    a citation needs: the cases the quote counts for (the speaker's case inside a turn),
    source title and kind, date, the speaker a citation names, coder, memo, offsets, with
    real names: the builders pseudonymise the whole context."""
    from fieldcase.analysis.tables import counted_rows
    from fieldcase.store import cases, sources

    scope = Scope.of(scope, **narrow)
    kind = scope.kind
    listing = {s["id"]: s for s in sources.list_all(project)}
    quoting = _Quoting(project, cases.names(project))
    out: dict[str, list[dict[str, Any]]] = {}
    for row, counted in counted_rows(project, scope.without("kind")):
        source = listing[row["source_id"]]
        if kind is not None and source["kind"] != kind:
            continue
        out.setdefault(row["code_key"], []).append({
            "id": row["id"],
            "text": quoting.text(row),
            "memo": row["memo"] or "",
            "coder": row["coder"],
            "start": row["start"],
            "end": row["end"],
            "source": source["title"],
            "source_id": source["id"],
            "kind": source["kind"],
            "date": source["date"] or "",
            "site": counted.site,
            "cases": counted.cases,
            "counted_by": counted.basis,
            "speaker": counted.speaker,
        })
    return out


class _Quoting:
    """A quote as a reader should read it: across turns, each speaker named as who they are
    (答： → H：, 问： → 访谈者：), and one that starts in someone's words opening with them."""

    def __init__(self, project: Project, case_names: dict[int, str]) -> None:
        self.project = project
        self.case_names = case_names
        self.found: dict[int, Any] = {}

    def text(self, row: dict[str, Any]) -> str:
        text: str = row["text"]
        if row["basis"] not in (BY_SPEAKERS, BY_SOURCE):
            return text
        source = self._speakers(row["source_id"])
        start = row["start"]
        for at, speech, speaker in reversed(source.labels_within(start, row["end"])):
            if at < start:
                continue
            text = text[: at - start] + self._label(speaker) + text[speech - start :]
        if row.get("opened_by"):
            label = row["opened_by"]
            text = self._label(source.speakers.get(label) or Speaker(label)) + text
        return text

    def _label(self, speaker: Speaker) -> str:
        case_name = self.case_names.get(speaker.case_id) if speaker.case_id is not None else None
        shown = shown_label(speaker.label, speaker, case_name)
        return shown + ("：" if has_han(shown) or has_han(speaker.label) else ": ")

    def _speakers(self, source_id: int) -> Any:
        if source_id not in self.found:
            from fieldcase.store import speakers

            self.found.update(speakers.context(self.project, [source_id]))
        return self.found[source_id]


def build(project: Project, scope: Scope | None = None, *, pseudonyms: bool = True,
          **narrow: Unpack[Narrowing]) -> dict[str, Any]:
    """The template context: project, scope, and the codes with their quotes (codes with
    none in scope are left out, except as headings above codes that have some); every
    string in it pseudonymised."""
    from fieldcase.store import codes

    scope = Scope.of(scope, **narrow)
    quotes = quotes_by_code(project, scope)
    tree = codes.tree(project)
    # a code's counts take in its sub-codes' segments, as a matrix row does
    gathered = codes.with_descendants(tree, quotes)
    rows = []
    for row in tree:
        below = gathered[row["key"]]
        if not below:
            continue
        mine = quotes.get(row["key"], [])
        rows.append({
            **row,
            "name_zh": row["name_zh"] or "",
            "name_en": row["name_en"] or "",
            "quotes": mine,
            "segments": len(mine),
            "segments_total": len(below),
            "sources_n": len({q["source_id"] for q in below}),
            "cases_n": len({c for q in below for c in q["cases"]}),
        })
    context: dict[str, Any] = renamer(project, enabled=pseudonyms).deep({
        "project": {**project.info()},
        "scope": _scope(project, scope),
        "codes": rows,
        "total": sum(len(v) for v in quotes.values()),
        "today": date.today().isoformat(),
    })
    return context


_SHOWN = ("code", "case", "site", "kind", "coder", "source", "date_from", "date_to")  # in the summary's line


def _scope(project: Project, scope: Scope) -> dict[str, str]:
    """What the summary is narrowed to, as readers read it: codes by name (renamed as text,
    like every other name), lists joined."""
    from fieldcase.store import codes

    out = {}
    for key, value in sorted(scope.items(), key=lambda item: _SHOWN.index(item[0])):
        if key == "code":
            picked = [value] if isinstance(value, (str, int)) else list(value)
            out["codes"] = "、".join(codes.label(codes.find(project, c)) for c in picked)
        else:
            out[key] = "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return out


def render_summary(project: Project, fmt: str = "md", scope: Scope | None = None, *, template: str | None = None,
                   pseudonyms: bool = True, **narrow: Unpack[Narrowing]) -> str:
    """The coded summary as Markdown or HTML (``template`` overrides the shipped one)."""
    return render(template or TEMPLATES[fmt], **build(project, Scope.of(scope, **narrow), pseudonyms=pseudonyms))
