"""Coded segments as a table, code × case (site, attribute) counts, and code co-occurrence.

A coding counts for the case of the speaker in whose turn it lies, else for its source's
cases (see :mod:`fieldcase.coding.speakers`).

The rows are plain dicts, written out as CSV (UTF-8 with a BOM, so Excel reads Chinese)
or XLSX by :func:`fieldcase.reports.sheets.write_table`. ``rename`` is applied to every text cell on the way out
(pseudonyms); the stored text is never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Unpack, cast

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.coding.speakers import (
    BY_INTERVIEWER,
    BY_SOURCE,
    BY_SPEAKER,
    BY_SPEAKERS,
    BY_UNLINKED,
    cited_speaker,
)
from fieldcase.errors import InputError
from fieldcase.store.rows import CodeNode, Coding

if TYPE_CHECKING:
    from fieldcase.store.project import Project

Rename = Callable[[str], str]


def _same(text: str) -> str:
    return text


class LabelledCode(CodeNode):
    """A code of the tree with its path in names: ``人才回流 / 返乡动因``."""

    path_label: str


def _code_labels(project: Project) -> dict[str, LabelledCode]:
    from fieldcase.store import codes

    rows = codes.tree(project, counts=False)  # a label needs no counts
    by_key = {r["key"]: r for r in rows}
    labelled: dict[str, LabelledCode] = {}
    for row in rows:
        names = [by_key[k]["name_zh"] or by_key[k]["name_en"] or k for k in row["path"]]
        labelled[row["key"]] = {**row, "path_label": " / ".join(names)}
    return labelled


Codes = str | int | Sequence[str | int] | None


def coded_rows(project: Project, scope: Scope | None = None, **narrow: Unpack[Narrowing]) -> list[Coding]:
    """Codings in scope (``codings.query`` rows with the cases each counts for), a code
    (one or several) taking its sub-codes, in source and text order."""
    from fieldcase.store import codings

    return codings.query(project, Scope.of(scope, **narrow), descendants=True, with_cases=True)


class Counted(NamedTuple):
    """A coding as the tables count it: its code's path, the cases it counts for (by
    name, renamed), why, its site, and the speaker a citation names."""

    path: list[str]
    cases: list[str]
    case_ids: tuple[int, ...]
    basis: str
    site: str
    speaker: str


NO_CASE = {BY_INTERVIEWER: "(interviewer)", BY_UNLINKED: "(speaker not linked)", BY_SOURCE: "(no case)",
           BY_SPEAKER: "(no case)", BY_SPEAKERS: "(no case)"}


def counted_rows(project: Project, scope: Scope | None = None, *, rename: Rename = _same,
                 labels: dict[str, LabelledCode] | None = None,
                 **narrow: Unpack[Narrowing]) -> list[tuple[Coding, Counted]]:
    """Each coding in scope with how it is counted and cited (see :class:`Counted`);
    ``labels``: the codebook as :func:`_code_labels` gives it, when the caller has it."""
    return [(cast(Coding, row), counted)
            for row, counted in iter_counted(project, Scope.of(scope, **narrow), rename=rename, labels=labels)]


def iter_counted(project: Project, scope: Scope, *, rename: Rename = _same,
                 labels: Mapping[str, Mapping[str, Any]] | None = None,
                 listing: Mapping[int, Mapping[str, Any]] | None = None,
                 names: dict[int, str] | None = None,
                 kept: dict[int, Any] | None = None,
                 descendants: bool = True) -> Iterator[tuple[dict[str, Any], Counted]]:
    """:func:`counted_rows` one at a time, read from a cursor: memory does not grow with the
    number of codings. ``listing`` (sources by id, without text) and ``names`` (case names
    by id): when the caller has them; ``kept``: see :func:`fieldcase.store.coding_stream.rows`;
    ``descendants``: a scope's codes take their sub-codes."""
    from fieldcase.store import cases, coding_stream, sources

    labelled: Mapping[str, Mapping[str, Any]] = labels if labels is not None else _code_labels(project)
    listed: Mapping[int, Mapping[str, Any]] = (
        listing if listing is not None else sources.labels(project))
    names = names if names is not None else cases.names(project)
    cited: dict[tuple[str | None, str, str | None], str] = {}  # the few speakers a citation names
    for row in coding_stream.rows(project, scope, kept, descendants=descendants):
        source = listed[row["source_id"]]
        case_names = [rename(names[c]) for c in row["case_ids"] if c in names]
        said = (row["speaker"], row["basis"], case_names[0] if case_names else None)
        speaker = cited.get(said)
        if speaker is None:
            speaker = cited[said] = rename(cited_speaker(*said))
        yield row, Counted(labelled[row["code_key"]]["path"], case_names, row["case_ids"], row["basis"],
                           rename(source["site"] or ""), speaker)


def segments(
    project: Project, scope: Scope | None = None, *, rename: Rename = _same, **narrow: Unpack[Narrowing],
) -> list[dict[str, Any]]:
    """One row per coding: code, its path, the case(s) it counts for and why, site,
    source, case attributes, coder, offsets, speaker and text, in source and text order."""
    return list(iter_segments(project, Scope.of(scope, **narrow), rename=rename))


def iter_segments(project: Project, scope: Scope, *, rename: Rename = _same) -> Iterator[dict[str, Any]]:
    """:func:`segments` one row at a time, read from a cursor."""
    columns, lines = segment_table(project, scope, rename=rename)
    return (dict(zip(columns, line)) for line in lines)


def segment_table(project: Project, scope: Scope, *, rename: Rename = _same, rename_key: Rename = _same,
                  cell: Callable[[Any], Any] | None = None) -> tuple[list[str], Iterator[list[Any]]]:
    """:func:`segments` as its column names and each row's values in their order, read
    from a cursor into the row a writer takes with nothing in between: what repeats from
    row to row (a code's names, a source's, a case's attributes, a cited speaker) is made
    once. ``rename_key``: for the code key; ``cell``: applied to every text cell (a
    writer's escaping), once for what repeats."""
    from fieldcase.store import attributes, cases, coding_stream, sources

    labels = _code_labels(project)
    listing = sources.labels(project)
    case_values = attributes.values_for_all(project, "case")
    attribute_names = sorted({n for values in case_values.values() for n in values})
    columns = ["coding_id", "code", "code_name", "code_path", "cases", "counted_by", "site", "source_id", "source",
               "date", "speaker", "coder", "start", "end", "text", "memo", *(f"case:{n}" for n in attribute_names)]
    fields, found = coding_stream.records(project, scope)
    names = cases.names(project)
    safe: Callable[[Any], Any] = cell or _same

    def lines() -> Iterator[list[Any]]:
        at = {name: i for i, name in enumerate(fields)}
        i_id, i_source, i_code, i_start, i_end = at["id"], at["source_id"], at["code_id"], at["start"], at["end"]
        i_text, i_coder, i_memo, i_cases, i_basis, i_speaker = (
            at["text"], at["coder"], at["memo"], at["case_ids"], at["basis"], at["speaker"])
        by_code: dict[int, list[Any]] = {}
        key_of = {label["id"]: key for key, label in labels.items()}
        by_source: dict[int, list[Any]] = {}
        by_cases: dict[tuple[int, ...], tuple[str, str | None, list[Any]]] = {}
        bases: dict[str, Any] = {}
        cited: dict[tuple[str | None, str, str | None], Any] = {}
        coders: dict[str | None, Any] = {}
        # quotes and memos are renamed only when there are names to replace (a renamer with
        # none is false)
        plain = rename is _same or not bool(rename)
        for v in found:
            code_id, source_id, case_ids, basis = v[i_code], v[i_source], v[i_cases], v[i_basis]
            code = by_code.get(code_id)
            if code is None:
                key = key_of[code_id]
                label = labels[key]
                code = by_code[code_id] = [safe(rename_key(key)), safe(rename(label["name_zh"] or label["name_en"] or "")),
                                       safe(rename(label["path_label"]))]
            source = by_source.get(source_id)
            if source is None:
                listed = listing[source_id]
                source = by_source[source_id] = [safe(rename(listed["site"] or "")), source_id,
                                                  safe(rename(listed["title"])), safe(listed["date"] or "")]
            counted = by_cases.get(case_ids)
            if counted is None:
                case_names = [rename(names[c]) for c in case_ids if c in names]
                # a coding of several cases has no one set of case attributes: they are left blank
                first_case = case_ids[0] if len(case_ids) == 1 else None
                mine = case_values.get(first_case, {}) if first_case else {}
                counted = by_cases[case_ids] = (
                    safe(", ".join(case_names)), case_names[0] if case_names else None,
                    [safe(rename(str(value))) if isinstance(value := mine.get(name), str) else value
                     for name in attribute_names])
            said = (v[i_speaker], basis, counted[1])
            speaker = cited.get(said)
            if speaker is None:
                speaker = cited[said] = safe(rename(cited_speaker(*said)))
            shown = bases.get(basis)
            if shown is None:
                shown = bases[basis] = safe(basis)
            coder = coders.get(v[i_coder])
            if coder is None:
                coder = coders[v[i_coder]] = safe(rename(v[i_coder] or ""))
            text, memo = v[i_text], v[i_memo] or ""
            if not plain:
                text, memo = rename(text), rename(memo)
            yield [v[i_id], *code, counted[0], shown, *source, speaker, coder, v[i_start], v[i_end],
                   safe(text), safe(memo) if memo else memo, *counted[2]]

    return columns, lines()


def matrix(project: Project, scope: Scope | None = None, *, by: str = "case", rename: Rename = _same,
           **narrow: Unpack[Narrowing]) -> list[dict[str, Any]]:
    """Codings counted by code (rows, codebook order; a code counts its sub-codes' codings
    too) and by case, site or the value of a case attribute (``by="attr:NAME"``) in columns.
    The scope's code(s) keep the rows of those codes and their sub-codes; the scope chooses
    the codings, as :func:`segments` does.

    A coding counts once in each column it belongs to: inside one speaker's turn that is
    the speaker's case alone. ``total`` is the row's number of codings; ``in_several``
    says how many of them count in more than one column (a coding across turns, or
    outside turns in a source of several cases), which is when the columns add up to more.
    """
    from fieldcase.store.scoping import with_set_codes

    scope = with_set_codes(project, Scope.of(scope, **narrow))
    column_of = _columns(project, by, rename)
    labels = _code_labels(project)
    # each coding comes once, and counts once under each code of its path and each column
    cells: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    several: Counter[str] = Counter()
    columns: dict[str, None] = {}
    for counted, n in _tally(project, scope, rename, labels):
        mine = list(dict.fromkeys(column_of(cast(Coding, {}), counted)))  # a column needs only the count
        for key in counted.path:
            totals[key] += n
            if len(mine) > 1:
                several[key] += n
            for column in mine:
                cells[(key, column)] += n
        columns.update(dict.fromkeys(mine))
    ordered = sorted(columns, key=lambda c: (c.startswith("("), c))
    out = []
    wanted = _subtrees(project, scope.code)
    for code_key, label in labels.items():
        if wanted is not None and code_key not in wanted:
            continue
        line: dict[str, Any] = {"code": code_key, "name": rename(label["name_zh"] or label["name_en"] or "")}
        line.update({c: cells[(code_key, c)] for c in ordered})
        line["total"] = totals[code_key]
        line["in_several"] = several[code_key]
        out.append(line)
    return out


def _tally(project: Project, scope: Scope, rename: Rename,
           labels: Mapping[str, Mapping[str, Any]]) -> list[tuple[Counted, int]]:
    """How many codings in scope count alike (same code, site, cases and reason); read
    from a cursor of offsets, one source's speakers at a time."""
    from fieldcase.store import cases, coding_stream, sources

    site_of = sources.site_names(project)
    names = cases.names(project)
    key_of = {label["id"]: key for key, label in labels.items()}
    # a matrix tells sources apart by their site alone
    by_site: dict[tuple[int, tuple[int, ...], str, str], int] = {}
    for source_id, counts in coding_stream.tally_by_source(project, scope):
        site = site_of[source_id]
        for (code_id, case_ids, basis), n in counts.items():
            alike = (code_id, case_ids, basis, site)
            by_site[alike] = by_site.get(alike, 0) + n
    out = []
    for (code_id, case_ids, basis, site), n in by_site.items():
        case_names = [rename(names[c]) for c in case_ids if c in names]
        out.append((Counted(labels[key_of[code_id]]["path"], case_names, case_ids, basis, rename(site), ""), n))
    return out


def _subtrees(project: Project, code: Codes) -> set[str] | None:
    """The keys of the given codes and their sub-codes (None: every code)."""
    if code is None:
        return None
    from fieldcase.store import codes

    picked = [code] if isinstance(code, (str, int)) else list(code)
    roots = {codes.find(project, c)["key"] for c in picked}
    return {row["key"] for row in codes.tree(project) if roots & set(row["path"])}


ColumnOf = Callable[[Coding, Counted], list[str]]


def _columns(project: Project, by: str, rename: Rename) -> ColumnOf:
    """The matrix column(s) a coding counts in, for ``by``."""
    if by == "case":
        return lambda row, c: c.cases or [NO_CASE[c.basis]]
    if by == "site":
        return lambda row, c: [c.site or "(no site)"]
    if by.startswith("attr:"):
        from fieldcase.store import attributes

        name = by[5:]
        values = attributes.values_for_all(project, "case")
        if not any(name in v for v in values.values()) and not _is_case_attribute(project, name):
            raise InputError(f"no case attribute {name!r}; fieldcase attr list shows them")

        def of(row: Coding, c: Counted) -> list[str]:
            found = [values.get(i, {}).get(name) for i in c.case_ids]
            shown = [rename(str(v)) if isinstance(v, str) else str(v) for v in found if v is not None]
            return list(dict.fromkeys(shown)) or ["(none)"]

        return of
    raise InputError(f"a matrix is by case, site or attr:NAME, not {by!r}")


def _is_case_attribute(project: Project, name: str) -> bool:
    from fieldcase.store import attributes

    return any(d["name"].casefold() == name.casefold() for d in attributes.list_definitions(project, "case"))


def matrix_cell(project: Project, *, by: str, code: str, column: str | None,
                rename: Rename = _same) -> list[dict[str, Any]]:
    """The segments counted in one cell of :func:`matrix` (``column`` None: the row's total):
    codings of the code and its sub-codes that count in that column."""
    column_of = _columns(project, by, rename)
    wanted = {row["id"] for row, counted in counted_rows(project, code=code, rename=rename)
              if column is None or column in column_of(row, counted)}
    return [r for r in segments(project, code=code, rename=rename) if r["coding_id"] in wanted]


def cooccurrence(project: Project, scope: Scope | None = None, *, within: str = "overlap",
                 **narrow: Unpack[Narrowing]) -> list[dict[str, Any]]:
    """How often two codes meet: codings that overlap (``within="overlap"``) or fall in
    the same speaker turn (``within="turn"``, placed by their first word); a square table
    in codebook order. The scope chooses the codings, as :func:`segments` does."""
    from fieldcase.store import sources
    from fieldcase.text.units import turn_at

    if within not in ("overlap", "turn"):
        raise InputError(f"co-occurrence is within overlap or turn, not {within!r}")
    labels = _code_labels(project)
    by_source: dict[int, list[Coding]] = {}
    for row in coded_rows(project, scope, **narrow):
        by_source.setdefault(row["source_id"], []).append(row)
    pairs: Counter[tuple[str, str]] = Counter()
    for source_id, rows in by_source.items():
        met: set[tuple[str, str, int, int]] = set()
        if within == "turn":
            turns = sources.turns_of(project, source_id)
            places: dict[int, set[str]] = {}
            for row in rows:
                turn = turn_at(turns, row["start"] + len(row["text"]) - len(row["text"].lstrip()))
                if turn is not None:
                    places.setdefault(turn["seq"], set()).add(row["code_key"])
            for seq, keys in places.items():
                for a in keys:
                    for b in keys:
                        if a != b:
                            met.add((a, b, seq, 0))
        else:
            for i, x in enumerate(rows):
                for y in rows[i + 1 :]:
                    if y["start"] >= x["end"]:
                        break  # rows are in start order
                    if x["code_key"] != y["code_key"]:
                        met.add((x["code_key"], y["code_key"], x["id"], y["id"]))
                        met.add((y["code_key"], x["code_key"], y["id"], x["id"]))
        for a, b, *_ in met:
            pairs[(a, b)] += 1
    shown = [k for k in labels if any(k in p for p in pairs)]
    return [{"code": a, **{b: pairs[(a, b)] for b in shown}} for a in shown]
