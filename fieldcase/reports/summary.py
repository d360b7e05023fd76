"""The coded summary: every code in codebook order with its definition, counts, and
every quote with its citation, for a chosen scope; rendered through a template."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Unpack, overload

from fieldcase.coding.keys import has_han
from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.coding.speakers import BY_SOURCE, BY_SPEAKERS, Speaker, cited_speaker, shown_label
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.registry import BY_NAME
from fieldcase.reports.template_limits import uncounted
from fieldcase.reports.templating import render_pieces

if TYPE_CHECKING:
    from fieldcase.analysis.tables import Counted
    from fieldcase.coding.speakers import SourceSpeakers
    from fieldcase.reports.pseudonyms import Pseudonyms
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

    from fieldcase.store.scoping import with_set_codes

    scope = with_set_codes(project, Scope.of(scope, **narrow))
    kind = scope.kind
    listing = sources.labels(project)
    quoting = _Quoting(project, cases.names(project))
    out: dict[str, list[dict[str, Any]]] = {}
    for row, counted in counted_rows(project, scope.without("kind")):
        source = listing[row["source_id"]]
        if kind is not None and source["kind"] != kind:
            continue
        out.setdefault(row["code_key"], []).append(_quote(row, counted, source, quoting))
    return out


def _quote(row: Mapping[str, Any], counted: Counted, source: Mapping[str, Any], quoting: _Quoting) -> dict[str, Any]:
    """A quote with what its citation needs, as templates get it."""
    return {
        "id": row["id"],
        "text": quoting.text(row["text"], row["basis"], row["source_id"], row["start"], row["end"], row["opened_by"]),
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
    }


_RELABELLED = frozenset({BY_SPEAKERS, BY_SOURCE})  # quotes whose speakers' labels :class:`_Quoting` rewrites


class _Quoting:
    """A quote as a reader should read it: across turns, each speaker named as who they are
    (答： → H：, 问： → 访谈者：), and one that starts in someone's words opening with them."""

    def __init__(self, project: Project, case_names: dict[int, str]) -> None:
        self.project = project
        self.case_names = case_names
        self.found: dict[int, Any] = {}

    def text(self, text: str, basis: str, source_id: int, start: int, end: int, opened_by: str | None) -> str:
        """The quote ``text`` of ``[start, end)`` in a source, attributed by ``basis``."""
        if basis not in _RELABELLED:
            return text
        source = self._speakers(source_id)
        for at, speech, speaker in reversed(source.labels_within(start, end)):
            if at < start:
                continue
            text = text[: at - start] + self._label(speaker) + text[speech - start :]
        if opened_by:
            text = self._label(source.speakers.get(opened_by) or Speaker(opened_by)) + text
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


class _Quotes(Sequence[dict[str, Any]]):
    """A code's quotes, read from the store each time a template walks them (one at a
    time, pseudonymised), so that a summary of any size holds one quote at a time."""

    def __init__(self, walk: Callable[[], Iterator[dict[str, Any]]], n: int) -> None:
        self._walk, self._n = walk, n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return uncounted(self._walk())  # the render's time limit is on the template, not on reading

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return list(self)[index]


class _Tally:
    """Each code's codings in scope, counted from their offsets alone, one source at a
    time: how many (``own``), and with its sub-codes' (``total``), in how many sources and
    for which cases (by name), all by code key."""

    def __init__(self, project: Project, scope: Scope, kinds: dict[int, str], tree: Sequence[Mapping[str, Any]],
                 kept: dict[int, SourceSpeakers] | None = None) -> None:
        from fieldcase.store import cases, coding_stream

        names = cases.names(project)
        key_of = {r["id"]: r["key"] for r in tree}
        up: dict[str, list[str]] = {}  # a code and the codes above it
        for row in tree:  # a code's parent comes before it
            up[row["key"]] = [row["key"], *(up[row["parent_key"]] if row["parent_key"] is not None else ())]
        self.own = dict.fromkeys(key_of.values(), 0)
        self.total = dict.fromkeys(key_of.values(), 0)
        self.sources_n = dict.fromkeys(key_of.values(), 0)  # a source counts once for a code and each above it
        self.cases: dict[str, set[str]] = {key: set() for key in key_of.values()}
        for source_id, counts in coding_stream.tally_by_source(project, scope.without("kind"), kept):
            if scope.kind is not None and kinds[source_id] != scope.kind:
                continue
            here: set[str] = set()
            for (code_id, case_ids, _), n in counts.items():
                key = key_of[code_id]
                self.own[key] += n
                here.update(up[key])
                self.cases[key].update(names[c] for c in case_ids if c in names)
            for key in here:
                self.sources_n[key] += 1
        for row in reversed(tree):  # a code's descendants all come after it
            key, parent = row["key"], row["parent_key"]
            self.total[key] += self.own[key]
            if parent is not None:
                self.total[parent] += self.total[key]
                self.cases[parent].update(self.cases[key])


def build(project: Project, scope: Scope | None = None, *, pseudonyms: bool = True,
          **narrow: Unpack[Narrowing]) -> dict[str, Any]:
    """The template context: project, scope, and the codes with their quotes (codes with
    none in scope are left out, except as headings above codes that have some); every
    string in it pseudonymised. The quotes are read as the template walks them."""
    from fieldcase.store import codes, sources

    from fieldcase.store.scoping import with_set_codes

    scope = with_set_codes(project, Scope.of(scope, **narrow))
    rename = renamer(project, enabled=pseudonyms)
    listing = sources.labels(project)
    walker = _Walker(project, scope, rename, listing)
    tree = codes.tree(project)
    # each source's speakers are read once, for the counts and the quotes; a code's counts
    # take in its sub-codes' segments, as a matrix row does
    tally = _Tally(project, scope, {i: s["kind"] for i, s in listing.items()}, tree, walker.quoting.found)
    rows = []
    for row in tree:
        key = row["key"]
        if not tally.total[key]:
            continue
        mine = tally.own[key]
        rows.append({
            **row,
            "name_zh": row["name_zh"] or "",
            "name_en": row["name_en"] or "",
            "quotes": _Quotes(functools.partial(walker.quotes, row["id"]), mine),
            "segments": mine,
            "segments_total": tally.total[key],
            "sources_n": tally.sources_n[key],
            "cases_n": len(tally.cases[key]),
        })
    context: dict[str, Any] = rename.deep({
        "project": {**project.info()},
        "scope": _scope(project, scope),
        "codes": rows,
        "total": sum(tally.own.values()),
        "today": date.today().isoformat(),
    })
    return context


class _Walker:
    """What reading one code's quotes needs, shared by every code's :class:`_Quotes`."""

    def __init__(self, project: Project, scope: Scope, rename: Pseudonyms,
                 listing: Mapping[int, Mapping[str, Any]]) -> None:
        from fieldcase.store import cases, scoping

        self.project, self.scope, self.rename, self.listing = project, scope, rename, listing
        self.names = cases.names(project)
        self.within = None if scope.code is None else set(scoping.code_ids(project, scope))
        self.quoting = _Quoting(project, self.names)
        # what repeats from quote to quote, made once: a source's fields (its kind as
        # stored, then renamed), a case's names, a cited speaker, why a quote counts
        self.by_source: dict[int, tuple[str, str, str, str, str]] = {}
        self.by_cases: dict[tuple[int, ...], tuple[list[str], list[str]]] = {}  # names as stored, renamed
        self.cited: dict[tuple[str | None, str, str | None], str] = {}
        self.said_by: dict[str, str] = {}

    def quotes(self, code_id: int) -> Iterator[dict[str, Any]]:
        """The quotes of one code (not its sub-codes) in scope, as :func:`quotes_by_code`
        gives them, pseudonymised: made from the cursor's rows as they come, what repeats
        (a source's fields, a case's name, a cited speaker) renamed once."""
        from fieldcase.store import coding_stream

        if self.within is not None and code_id not in self.within:
            return
        mine = dataclasses.replace(self.scope.without("kind"), code=code_id)
        # each source's speakers are read once for all codes (the quotes need them too)
        fields, found = coding_stream.records(self.project, mine, self.quoting.found, descendants=False)
        at = {name: i for i, name in enumerate(fields)}
        i_id, i_source, i_start, i_end, i_text, i_coder, i_memo = (
            at["id"], at["source_id"], at["start"], at["end"], at["text"], at["coder"], at["memo"])
        i_cases, i_basis, i_speaker, i_opened = at["case_ids"], at["basis"], at["speaker"], at["opened_by"]
        rename, names, kind, text_of = self.rename or _same, self.names, self.scope.kind, self.quoting.text
        plain = rename is _same  # no names to replace: quotes, memos and coders stand as stored
        by_source, by_cases, cited, said_by = self.by_source, self.by_cases, self.cited, self.said_by
        for v in found:
            source_id, case_ids, basis = v[i_source], v[i_cases], v[i_basis]
            shown = by_source.get(source_id)
            if shown is None:
                source = self.listing[source_id]
                shown = by_source[source_id] = (source["kind"], rename(source["title"]), rename(source["kind"]),
                                                rename(source["date"] or ""), rename(source["site"] or ""))
            if kind is not None and shown[0] != kind:
                continue
            known = by_cases.get(case_ids)
            if known is None:
                found_names = [names[c] for c in case_ids if c in names]
                known = by_cases[case_ids] = (found_names, [rename(c) for c in found_names])
            cases, renamed_cases = known
            said = (v[i_speaker], basis, cases[0] if cases else None)
            speaker = cited.get(said)
            if speaker is None:
                speaker = cited[said] = rename(cited_speaker(*said))
            counted_by = said_by.get(basis)
            if counted_by is None:
                counted_by = said_by[basis] = rename(basis)
            start, end, text, memo, coder = v[i_start], v[i_end], v[i_text], v[i_memo] or "", v[i_coder]
            if basis in _RELABELLED:
                text = text_of(text, basis, source_id, start, end, v[i_opened])
            if not plain:
                text, memo = rename(text), rename(memo)
                coder = rename(coder) if isinstance(coder, str) else coder
            yield {
                "id": v[i_id],
                "text": text,
                "memo": memo,
                "coder": coder,
                "start": start,
                "end": end,
                "source": shown[1],
                "source_id": source_id,
                "kind": shown[2],
                "date": shown[3],
                "site": shown[4],
                "cases": list(renamed_cases),  # a list of its own, as a template may change it
                "counted_by": counted_by,
                "speaker": speaker,
            }


def _same(text: str) -> str:
    return text


# in the summary's line, in this order (a set by its name, which is renamed like every name)
_SHOWN = ("code", "code_set", "case", "site", "kind", "coder", "source", "source_set", "date_from", "date_to")


def _scope(project: Project, scope: Scope) -> dict[str, str]:
    """What the summary is narrowed to, as readers read it: codes by name (renamed as text,
    like every other name), lists joined."""
    from fieldcase.store import codes, sets

    out = {}
    for key, value in sorted(scope.items(), key=lambda item: _SHOWN.index(item[0])):
        if key == "code":
            picked = [value] if isinstance(value, (str, int)) else list(value)
            out["codes"] = "、".join(codes.label(codes.find(project, c)) for c in picked)
        elif key in ("code_set", "source_set") and isinstance(value, (str, int)):
            out[key.replace("_", " ")] = str(sets.find(project, key[: -len("_set")], value)["name"])
        else:
            out[key] = "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return out


def render_summary(project: Project, fmt: str = "md", scope: Scope | None = None, *, template: str | None = None,
                   pseudonyms: bool = True, **narrow: Unpack[Narrowing]) -> str:
    """The coded summary as Markdown or HTML (``template`` overrides the shipped one)."""
    return "".join(summary_pieces(project, fmt, Scope.of(scope, **narrow), template=template, pseudonyms=pseudonyms))


def summary_pieces(project: Project, fmt: str = "md", scope: Scope | None = None, *, template: str | None = None,
                   pseudonyms: bool = True) -> Iterator[str]:
    """:func:`render_summary` piece by piece, as the template writes it (for a file)."""
    return render_pieces(template or TEMPLATES[fmt], **build(project, scope, pseudonyms=pseudonyms))
