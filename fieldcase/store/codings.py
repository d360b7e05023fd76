"""Codings: spans ``[start, end)`` of a source's stored text tied to a code by a coder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, Unpack, cast

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import blinding, cells, codes, scoping, sources
from fieldcase.store.rows import CodeRecord, Coding, CodingRecord
from fieldcase.text.english import count

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

CONTEXT = 30  # characters of text shown each side of a coding, and kept when it is orphaned


def context(text: str, start: int, end: int) -> dict[str, str]:
    """The words of an active coding as stored: its quote. The text around it is read from
    the source when wanted (see :func:`list`), so it is stored empty."""
    return {"quote": text[start:end], "context_before": "", "context_after": ""}


def orphan_context(text: str, start: int, end: int) -> dict[str, str]:
    """The text around a coding about to lose its place: kept, since the text it stood in
    is going, to show where it was and to find it again."""
    return {"context_before": text[max(0, start - CONTEXT) : start], "context_after": text[end : end + CONTEXT]}


def locate_quote(text: str, quote: str, nth: int = 1) -> tuple[int, int]:
    """The ``nth`` (1-based) occurrence of ``quote`` in ``text`` as ``(start, end)``."""
    if not quote:
        raise InputError("the quote to find is empty")
    if nth < 1:
        raise InputError("--nth counts from 1")
    at, found = -1, 0
    while found < nth:
        at = text.find(quote, at + 1)
        if at == -1:
            where = f"only {found} times" if found else "nowhere"
            raise InputError(f"the quote {quote!r} occurs {where} in the source")
        found += 1
    return at, at + len(quote)


def turn_span(project: Project, source_id: int, turn: int) -> tuple[int, int]:
    """The words of speaker turn number ``turn`` (1-based), without the speaker label."""
    turns = sources.turns_of(project, source_id)
    if not 1 <= turn <= len(turns):
        raise InputError(f"source {source_id} has {len(turns)} speaker turns; there is no turn {turn}")
    found = turns[turn - 1]
    if found["speech"] >= found["end"]:
        raise InputError(f"turn {turn} has no words after its speaker label")
    return found["speech"], found["end"]


def add(
    project: Project,
    source_ref: str | int,
    code_ref: str | int,
    start: int,
    end: int,
    *,
    coder: str | None = None,
    memo: str | None = None,
    expected: str | None = None,
    writer: ChangeWriter | None = None,
) -> tuple[Coding, bool]:
    """Code ``[start, end)`` of a source; returns the coding and whether it is new.

    The same code on the same span by the same coder is one coding: asking again
    returns the existing one. ``expected``: the hash of the text the offsets were taken
    from; if the source's text is another by now (a colleague corrected it), nothing is
    coded and the error says so, since the offsets would fall on other words.
    """
    code = codes.find(project, code_ref)
    coder = coder or project.user
    blinding.refuse_others(project, [coder], "coding as another coder")  # (their layer is hidden)
    with project.writing(writer, "coding.add", "") as w:
        # read inside the write: the words coded are the words the offsets were taken from
        source = sources.find(project, source_ref)
        if expected is not None and source["text_sha256"] != expected:
            raise InputError(f"the text of {source['title']!r} was changed since these words were selected"
                             " (by another user or window); select them again")
        text = source["text"]
        if not (0 <= start < end <= len(text)):
            raise InputError(
                f"offsets [{start}, {end}) are outside source {source['id']}, which has "
                f"{len(text)} characters (start must be below end)"
            )
        existing = project.query(
            "SELECT id FROM codings WHERE source_id = ? AND code_id = ? AND coder = ?"
            " AND start_offset = ? AND end_offset = ? AND status = 'active'",
            [source["id"], code["id"], coder, start, end],
        )
        if existing:
            return get(project, existing[0]["id"]), False
        row = {
            "source_id": source["id"],
            "code_id": code["id"],
            "start_offset": start,
            "end_offset": end,
            "coder": coder,
            "memo": memo or None,
            **context(text, start, end),
        }
        if w is not writer:  # a change of its own: say what it was
            w.summary = f"Coded {codes.name_of(code)} in {source['title']}"
        coding_id = w.insert("codings", row)
    return get(project, coding_id), True


def add_in_vivo(
    project: Project,
    source_ref: str | int,
    start: int,
    end: int,
    *,
    name: str | None = None,
    parent: str | int | None = None,
    coder: str | None = None,
    memo: str | None = None,
    expected: str | None = None,
) -> tuple[Coding, CodeRecord]:
    """Make a code named ``name`` (by default: the selected words, see
    :func:`~fieldcase.coding.keys.in_vivo_name`) and code the words with it, in one change
    (``expected``: see :func:`add`)."""
    from fieldcase.coding.keys import in_vivo_name

    source = sources.find(project, source_ref)
    if not (0 <= start < end <= len(source["text"])):
        raise InputError(f"offsets [{start}, {end}) are outside source {source['id']}")
    name = codes.check_name(name if name is not None else in_vivo_name(source["text"][start:end]))
    if not name:
        raise InputError("the selected words hold no letters or characters to name a code by; give it a name")
    parent_id = codes.find(project, parent)["id"] if parent not in (None, "") else None
    color = codes.fresh_color(project, parent_id)  # its own, to tell it from its parent in the reader
    with project.change("coding.in-vivo", f"In-vivo code {name} in {source['title']}") as w:
        code = codes.add(project, name=name, parent=parent_id, origin="in-vivo", color=color, writer=w)
        coding, _ = add(project, source["id"], code["id"], start, end, coder=coder, memo=memo, writer=w,
                        expected=expected)
    return coding, code


def _code_name(coding: Coding) -> str:
    """A coding's code as history names it (see :func:`fieldcase.store.codes.name_of`)."""
    name: str = coding["code_name_zh"] or coding["code_name_en"] or coding["code_key"]
    return name


def describe(coding: Coding) -> str:
    """A coding as history names it: ``the coding of 城市推力 in 刘霞访谈``."""
    return f"the coding of {_code_name(coding)} in {coding['source_title']}"


def find(project: Project, coding_id: int | str) -> CodingRecord:
    """The coding row with this id (or UUID)."""
    text = str(coding_id).strip()
    rows = project.query(
        "SELECT * FROM codings WHERE id = ? OR uuid = ?", [int(text) if text.isdigit() else -1, text]
    )
    if not rows:
        raise NotFoundError(f"no coding {text!r}")
    me = blinding.blind_as(project)
    if me is not None and rows[0]["coder"] != me:
        raise NotFoundError(f"no coding {text!r} of yours (blind coding is on: others' codings are hidden)")
    return cast(CodingRecord, rows[0])


def get(project: Project, coding_id: int | str) -> Coding:
    """One coding as :func:`query` returns it."""
    found = find(project, coding_id)
    return query(project, coding_ids=[found["id"]], status=None)[0]


def remove(project: Project, coding_id: int | str) -> Coding:
    """Delete a coding and the memos on it; returns it as it was."""
    coding = get(project, coding_id)
    summary = f"Uncoded {_code_name(coding)} in {coding['source_title']}"
    with project.change("coding.remove", summary) as w:
        for memo in project.query(
            "SELECT id FROM memos WHERE target_type = 'coding' AND target_id = ?", [coding["id"]]
        ):
            w.delete("memos", memo["id"])
        cells.coding_goes(project, w, coding["id"])
        w.delete("codings", coding["id"])
    return coding


def set_memo(project: Project, coding_id: int | str, memo: str | None) -> Coding:
    """Write (or with ``None``, clear) the short memo on a coding."""
    coding = get(project, coding_id)
    with project.change("coding.memo", f"Memo on {describe(coding)}") as w:
        w.update("codings", coding["id"], {"memo": memo or None})
    return get(project, coding["id"])


def reanchor(project: Project, coding_id: int | str, start: int, end: int) -> Coding:
    """Point a coding (for instance an orphaned one) at new offsets in its source."""
    coding = get(project, coding_id)
    text = sources.find(project, coding["source_id"])["text"]
    if not (0 <= start < end <= len(text)):
        raise InputError(f"offsets [{start}, {end}) are outside source {coding['source_id']}")
    values = {"start_offset": start, "end_offset": end, "status": "active", **context(text, start, end)}
    with project.change("coding.reanchor", f"Re-anchored {describe(coding)}") as w:
        w.update("codings", coding["id"], values)
    return get(project, coding["id"])


def query(
    project: Project,
    scope: Scope | None = None,
    *,
    descendants: bool = False,
    coding_ids: list[int] | None = None,
    status: str | None = "active",
    with_context: bool = False,
    with_cases: bool = False,
    **narrow: Unpack[Narrowing],
) -> list[Coding]:
    """Coded segments with their text, narrowed by a scope: code(s) (with their
    descendants when ``descendants``), source, case, site, kind, dates and coder; ordered
    by source and position.

    The text is each coding's stored quote, which every write keeps equal to its
    span of the source text, so no source text is read. ``with_context`` adds the
    text either side (``context_before``, ``context_after``): read from the source for an
    active coding, as kept when it lost its place for an orphaned one. A coding belongs
    to a case as :mod:`fieldcase.coding.speakers` says (the speaker's case inside one
    turn, else the source's); ``with_cases`` adds ``case_ids``, ``basis`` (why),
    ``speaker`` (the turn's label) and ``opened_by`` (the first turn's label of a coding
    across turns that starts in that turn's words) to each row.
    """
    where = scoping.where(project, Scope.of(scope, **narrow), scoping.CODINGS, descendants=descendants)
    case_id = where.case_id
    if coding_ids is not None:
        where.add("g.id IN (SELECT value FROM json_each(?))", json.dumps(coding_ids))
    if status is not None:
        where.add("g.status = ?", status)
    # No ORDER BY: it would lead SQLite to walk every coding in source order
    # instead of using the code index; a sort here is cheap.
    sql = (
        "SELECT g.id, g.source_id, s.title AS source_title, c.key AS code_key,"
        " c.name_zh AS code_name_zh, c.name_en AS code_name_en, g.start_offset AS start,"
        " g.end_offset AS end, g.quote AS text, g.coder, g.memo, g.status"
        + (_AROUND if with_context else "")
        + " FROM codings g JOIN codes c ON c.id = g.code_id JOIN sources s ON s.id = g.source_id"
        + where.sql()
    )
    cursor = project.conn.execute(sql, where.params)
    names = [d[0] for d in cursor.description]
    rows = cast("list[Coding]", [dict(zip(names, values)) for values in cursor.fetchall()])
    rows.sort(key=lambda r: (r["source_id"], r["start"], r["end"], r["id"]))
    if with_cases or case_id is not None:
        _attribute(project, rows)
    if case_id is not None:
        rows = [r for r in rows if case_id in r["case_ids"]]
    return rows


_AROUND = (
    f", CASE g.status WHEN 'active' THEN substr(s.text, max(g.start_offset - {CONTEXT}, 0) + 1,"
    f" g.start_offset - max(g.start_offset - {CONTEXT}, 0)) ELSE g.context_before END AS context_before,"
    f" CASE g.status WHEN 'active' THEN substr(s.text, g.end_offset + 1, {CONTEXT})"
    " ELSE g.context_after END AS context_after"
)


def per_source(project: Project, coders: Sequence[str] | None = None) -> dict[int, int]:
    """How many active codings each source has (by ``coders`` only, when given; only the
    user's while blind); a source with none is left out."""
    coders = blinding.visible(project, coders)
    by_coder = "" if coders is None else " AND coder IN (SELECT value FROM json_each(?))"
    return {r[0]: r[1] for r in project.conn.execute(
        f"SELECT source_id, count(*) FROM codings WHERE status = 'active'{by_coder} GROUP BY source_id",
        [] if coders is None else [json.dumps(list(coders))],
    )}


def cases_per_code(project: Project) -> dict[int, int]:
    """How many cases each code's codings count for (the speaker's case inside a turn; only
    the user's codings while blind)."""
    reached: dict[int, set[int]] = {}
    shown = blinding.visible(project, None)
    by_coder = "" if shown is None else " AND coder IN (SELECT value FROM json_each(?))"
    rows: list[_CodedSpan] = [
        {"source_id": r[0], "code_id": r[1], "start": r[2], "end": r[3], "text": r[4]}
        for r in project.conn.execute("SELECT source_id, code_id, start_offset, end_offset, quote"
                                      f" FROM codings WHERE status = 'active'{by_coder}",
                                      [] if shown is None else [json.dumps(shown)])
    ]
    _attribute(project, rows)
    for row in rows:
        reached.setdefault(row["code_id"], set()).update(row["case_ids"])
    return {code_id: len(found) for code_id, found in reached.items()}


class _Span(TypedDict):
    """What :func:`_attribute` reads of a coding, and the keys it adds (see :class:`Coding`)."""

    source_id: int
    start: int
    end: int
    text: str
    case_ids: NotRequired[tuple[int, ...]]
    basis: NotRequired[str]
    speaker: NotRequired[str | None]
    opened_by: NotRequired[str | None]


class _CodedSpan(_Span):
    code_id: int


def _attribute(project: Project, rows: Sequence[_Span]) -> None:
    """Give each row the cases it counts for, why, and the label of its turn."""
    from fieldcase.store import speakers

    found = speakers.context(project, sorted({r["source_id"] for r in rows}))
    for row in rows:
        # the words decide: blanks at either end of a coding (a line break) do not move it
        # into the next turn
        quote = row["text"]
        start = row["start"] + len(quote) - len(quote.lstrip())
        end = max(start, row["end"] - (len(quote) - len(quote.rstrip())))
        attribution = found[row["source_id"]].attribute(start, end)
        row["case_ids"], row["basis"], row["speaker"], row["opened_by"] = attribution


def _where(project: Project, spans: dict[tuple[int, int, int], None]) -> str:
    """Where spans lie, as history says it: ``刘霞访谈``, ``3 places in 刘霞访谈``, ``5 places in 2 sources``."""
    titles = {sources.find(project, source_id)["title"] for source_id in {s[0] for s in spans}}
    if len(titles) > 1:
        return f"{count(len(spans), 'place')} in {count(len(titles), 'source')}"
    title = titles.pop() if titles else "no source"
    return title if len(spans) == 1 else f"{count(len(spans), 'place')} in {title}"


def add_many(
    project: Project, code_ref: str | int, spans: list[tuple[int, int, int]], *, coder: str | None = None,
    expected: dict[int, str] | None = None,
) -> tuple[list[Coding], int]:
    """Code every ``(source_id, start, end)`` with one code in one change (undone at once);
    returns the codings and how many of them are new. ``expected``: each source's text hash
    when the spans were found (see :func:`add`)."""
    code = codes.find(project, code_ref)
    rows, new = [], 0
    places = dict.fromkeys(spans)
    with project.change("coding.add", f"Coded {codes.name_of(code)} in {_where(project, places)}") as w:
        for source_id, start, end in places:
            row, created = add(project, source_id, code["id"], start, end, coder=coder, writer=w,
                               expected=(expected or {}).get(source_id))
            rows.append(row)
            new += created
    return rows, new


def spans_of(project: Project, source_id: int) -> set[tuple[int, str, int, int]]:
    """``(code_id, coder, start, end)`` of each active coding of a source: what an import
    checks so that coding the same words again adds nothing."""
    return {(r[0], r[1], r[2], r[3]) for r in project.conn.execute(
        "SELECT code_id, coder, start_offset, end_offset FROM codings WHERE source_id = ? AND status = 'active'",
        [source_id])}
