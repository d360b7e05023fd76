"""Sources: interview transcripts, field observations and documents, with their text.

The stored text is NFC with ``\\n`` line ends; every offset (turns, codings, search
hits) is a Python ``str`` index into it, half-open ``[start, end)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Unpack, cast

from fieldcase.coding.scope import Narrowing, Scope
from fieldcase.errors import InputError
from fieldcase.store import attributes, cases, purged_texts, removal, scoping
from fieldcase.store.lookup import find_row
from fieldcase.store.rows import SourceDetails, SourceLabel, SourceListing, SourceRecord, TurnRow
from fieldcase.text.english import count

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project
    from fieldcase.text.turns import Turn

KINDS = ("interview", "observation", "document")
KIND_ALIASES = {
    "访谈": "interview",
    "访谈记录": "interview",
    "transcript": "interview",
    "观察": "observation",
    "田野笔记": "observation",
    "田野观察": "observation",
    "field note": "observation",
    "fieldnote": "observation",
    "field notes": "observation",
    "note": "observation",
    "文件": "document",
    "文献": "document",
    "政策": "document",
    "policy": "document",
}
CONSENT = ("written", "oral", "not-needed", "pending", "withdrawn")
CONSENT_ALIASES = {
    "书面": "written",
    "口头": "oral",
    "无需": "not-needed",
    "不需要": "not-needed",
    "not needed": "not-needed",
    "n/a": "not-needed",
    "待定": "pending",
    "撤回": "withdrawn",
}
EDITABLE = ("title", "kind", "date", "place", "interviewer", "language", "consent", "site_id")
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
    re.compile(r"^(\d{4})年?$"),
)


def check_kind(kind: str) -> str:
    """A source kind, accepting Chinese and common English aliases."""
    word = (kind or "").strip().lower()
    word = KIND_ALIASES.get(word, word)
    if word not in KINDS:
        raise InputError(f"unknown source kind {kind!r}; use one of {', '.join(KINDS)}")
    return word


def check_consent(consent: str) -> str:
    """A consent status, accepting Chinese aliases."""
    word = (consent or "").strip().lower()
    word = CONSENT_ALIASES.get(word, word)
    if word not in CONSENT:
        raise InputError(f"unknown consent status {consent!r}; use one of {', '.join(CONSENT)}")
    return word


def check_date(value: str) -> str:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from common written forms."""
    text = str(value).strip()
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            try:
                if len(parts) == 3:
                    return date(*parts).isoformat()
                if len(parts) == 2 and 1 <= parts[1] <= 12:
                    return f"{parts[0]:04d}-{parts[1]:02d}"
                if len(parts) == 1:
                    return f"{parts[0]:04d}"
            except ValueError:
                break
    raise InputError(f"{value!r} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")


def find(project: Project, ref: str | int) -> SourceRecord:
    """The source row (with text) named by id, UUID or title."""
    return cast(SourceRecord, find_row(project, "sources", ref, name_column="title"))


def duplicate_of(project: Project, text_sha256: str) -> dict[str, Any] | None:
    """The source that already holds exactly this text, if any."""
    row = project.conn.execute(
        "SELECT id, title FROM sources WHERE text_sha256 = ?", [text_sha256]
    ).fetchone()
    return {"id": row[0], "title": row[1]} if row else None


def add(
    project: Project,
    fields: dict[str, Any],
    *,
    case_ids: Sequence[int] = (),
    turns: Sequence[Turn] = (),
    attrs: dict[str, Any] | None = None,
    writer: ChangeWriter | None = None,
    allow_purged: bool = False,
) -> int:
    """Store a source whose ``fields`` hold normalised ``text`` and its metadata; a text a
    purge erased is refused unless ``allow_purged`` (the participant consented again)."""
    from fieldcase.text.normalize import text_hash

    row = dict(fields)
    row["kind"] = check_kind(row.get("kind") or "document")
    if "text_sha256" not in row:
        row["text_sha256"] = text_hash(row["text"])
    if not allow_purged:
        purged_texts.refuse_purged(project, row["text_sha256"])
    row["chars"] = len(row["text"])
    if "turns" not in row:
        row["turns"] = encode_turns(turns)
    with project.writing(writer, "source.add", f"Added source {row['title']}") as w:
        source_id = w.insert("sources", row)
        for case_id in dict.fromkeys(case_ids):
            w.insert("source_cases", {"source_id": source_id, "case_id": case_id})
        if attrs:
            attributes.set_values(project, "source", source_id, attrs, writer=w)
    return source_id


def encode_turns(turns: Sequence[Turn]) -> str:
    """Turns as stored: a JSON array of ``[seq, speaker, start, speech, end, timestamp]``."""
    return json.dumps(turns, ensure_ascii=False, separators=(",", ":"))


def link(project: Project, source_ref: str | int, case_refs: list[str], *, unlink: bool = False) -> list[str]:
    """Tie a source to cases (or untie it); returns the source's case names afterwards."""
    source = find(project, source_ref)
    targets = [cases.find(project, ref) for ref in case_refs]
    verb = "Unlinked" if unlink else "Linked"
    with project.change("source.link", f"{verb} source {source['title']}") as w:
        for case in targets:
            rows = project.query(
                "SELECT id FROM source_cases WHERE source_id = ? AND case_id = ?",
                [source["id"], case["id"]],
            )
            if unlink and rows:
                w.delete("source_cases", rows[0]["id"])
            elif not unlink and not rows:
                w.insert("source_cases", {"source_id": source["id"], "case_id": case["id"]})
        from fieldcase.store import speakers

        speakers.detect(project, source["id"], w)  # the source's cases decide undecided speakers
    names: list[str] = get(project, source["id"], with_text=False)["cases"]
    return names


def update(project: Project, ref: str | int, fields: dict[str, Any]) -> SourceDetails:
    """Change a source's metadata (not its text; see the coding engine for that).

    ``None`` leaves a field as it is; a blank value clears an optional one.
    """
    source: Mapping[str, Any] = find(project, ref)
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if v is not None}
    if "site" in changes:
        from fieldcase.store import sites

        site = changes.pop("site")
        changes["site_id"] = sites.find(project, site)["id"] if site else None
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"sources have no editable field {sorted(unknown)[0]!r}")
    for key in ("title", "kind"):
        if key in changes and not changes[key]:
            raise InputError(f"a source needs a {key}; source {source['id']} keeps {source[key]!r}")
    for key, value in changes.items():
        if value == "":
            changes[key] = None  # an optional field given as blank is cleared
    for key, check in (("kind", check_kind), ("consent", check_consent), ("date", check_date)):
        if changes.get(key) is not None:
            changes[key] = check(changes[key])
    changes = {k: v for k, v in changes.items() if v != source[k]}
    if changes:
        with project.change("source.update", f"Changed source {source['title']}") as w:
            w.update("sources", source["id"], changes)
    return get(project, source["id"], with_text=False)


def list_all(
    project: Project,
    scope: Scope | None = None,
    *,
    source_id: int | None = None,
    **narrow: Unpack[Narrowing],
) -> list[SourceListing]:
    """Sources without their text, narrowed by a scope (site, case, kind …) or id."""
    where = scoping.Where()
    if source_id is not None:
        where.add("s.id = ?", source_id)
    where.extend(scoping.where(project, Scope.of(scope, **narrow), scoping.LISTING))
    sql = (
        "SELECT s.id, s.uuid, s.title, s.kind, s.date, s.place, s.interviewer, s.language,"
        " s.consent, s.site_id, st.name AS site, s.chars, s.encoding, s.original_filename,"
        " s.file_sha256, s.text_sha256, s.created_at, s.created_by, s.modified_at,"
        " json_array_length(s.turns) AS turns,"
        " (SELECT json_group_array(c.name) FROM source_cases sc JOIN cases c ON c.id = sc.case_id"
        "  WHERE sc.source_id = s.id) AS cases"
        " FROM sources s LEFT JOIN sites st ON st.id = s.site_id"
        + where.sql()
        + " ORDER BY st.name IS NULL, st.name, s.date IS NULL, s.date, s.id"
    )
    rows = cast("list[SourceListing]", project.query(sql, where.params))
    for row in rows:
        row["cases"] = sorted(json.loads(cast(str, row["cases"])))  # the query gives them as JSON
    return rows


def labels(project: Project) -> dict[int, SourceLabel]:
    """Every source's title, kind, date and site by id: what an export cites a quote by,
    read without touching texts or turns (as :func:`list_all` must, to count turns)."""
    return {r[0]: {"id": r[0], "title": r[1], "kind": r[2], "date": r[3], "site": r[4]} for r in project.conn.execute(
        "SELECT s.id, s.title, s.kind, s.date, st.name FROM sources s LEFT JOIN sites st ON st.id = s.site_id")}


def site_names(project: Project) -> dict[int, str]:
    """Each source's site by name ('' for none), by source id."""
    return {r[0]: r[1] or "" for r in project.conn.execute(
        "SELECT s.id, st.name FROM sources s LEFT JOIN sites st ON st.id = s.site_id")}


def get(project: Project, ref: str | int, *, with_text: bool = True) -> SourceDetails:
    """One source's metadata, cases, attributes and turns, and its text."""
    source_id = find(project, ref)["id"]
    row: dict[str, Any] = {**list_all(project, source_id=source_id)[0]}
    row["attributes"] = attributes.values_of(project, "source", source_id)
    row["turns"] = turns_of(project, source_id)
    if with_text:
        row["text"] = project.query("SELECT text FROM sources WHERE id = ?", [source_id])[0]["text"]
    return cast(SourceDetails, row)


def turns_of(project: Project, source_id: int) -> list[TurnRow]:
    """A source's speaker turns in order, with ``[start, end)`` offsets."""
    rows = project.conn.execute("SELECT turns FROM sources WHERE id = ?", [source_id]).fetchall()
    return decode_turns(rows[0][0]) if rows else []


def decode_turns(stored: str) -> list[TurnRow]:
    """Turns as stored (see :func:`encode_turns`) as dicts."""
    return [
        {"seq": t[0], "speaker": t[1], "start": t[2], "speech": t[3], "end": t[4], "timestamp": t[5]}
        for t in json.loads(stored or "[]")
    ]


def texts_and_turns(project: Project, ids: list[int]) -> list[tuple[int, str, list[TurnRow]]]:
    """``(id, text, turns)`` of the given sources, in id order."""
    rows = project.conn.execute(
        "SELECT id, text, turns FROM sources WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [json.dumps(ids)],
    ).fetchall()
    return [(r[0], r[1], decode_turns(r[2])) for r in rows]


def ids_in_scope(
    project: Project, scope: Scope | None = None, **narrow: Unpack[Narrowing]
) -> list[int] | None:
    """Ids of the sources in a scope (its code and coder aside), in id order; ``None`` when
    nothing narrows it."""
    where = scoping.where(project, Scope.of(scope, **narrow).sources_only(), scoping.SOURCES)
    if not where.clauses:
        return None
    return [r[0] for r in project.conn.execute(f"SELECT id FROM sources{where.sql()} ORDER BY id", where.params)]


def all_ids(project: Project) -> list[int]:
    """Every source's id, in id order: the scope when :func:`ids_in_scope` says ``None``."""
    return [r[0] for r in project.conn.execute("SELECT id FROM sources ORDER BY id")]


# Rows that hang on a source but are derived from it: they go with it unlogged.
_DERIVED = frozenset({"word_cache"})


def _dependents(project: Project) -> list[tuple[str, str]]:
    """``(table, column)`` of every table whose rows name a source by a foreign key,
    except codings, suggestions and derived tables, which :func:`delete` treats apart."""
    from fieldcase.store.db import foreign_keys

    return [(child, column) for child, column, parent in foreign_keys(project.conn)
            if parent == "sources" and child not in _DERIVED and child not in ("codings", "suggestions")]


def impact(project: Project, ref: str | int) -> dict[str, int]:
    """What deleting a source takes with it: codings, memos, case links, attribute values."""
    source_id = find(project, ref)["id"]
    one = project.conn.execute

    def number(sql: str) -> int:
        return int(one(sql, [source_id] * sql.count("?")).fetchone()[0])

    return {
        "codings": number("SELECT count(*) FROM codings WHERE source_id = ?"),
        "memos": number(
            "SELECT count(*) FROM memos WHERE (target_type = 'source' AND target_id = ?) OR"
            " (target_type = 'coding' AND target_id IN (SELECT id FROM codings WHERE source_id = ?))"
        ),
        "cases": number("SELECT count(*) FROM source_cases WHERE source_id = ?"),
        "attributes": number("SELECT count(*) FROM source_attribute_values WHERE source_id = ?"),
    }


def delete(project: Project, ref: str | int) -> dict[str, int]:
    """Delete a source with its text, codings, memos, case links and attribute values, in one
    logged change, so that undo brings every row back as it was; returns :func:`impact`."""
    source = find(project, ref)
    source_id = source["id"]
    counts = impact(project, source_id)
    summary = f"Deleted source {source['title']} ({count(counts['codings'], 'coding')})"
    with project.change("source.delete", summary) as w:
        removal.delete_work(project, w, "source_id", source_id)
        removal.delete_memos(project, w, "source", source_id)
        for table, column in _dependents(project):
            for row in project.query(f'SELECT id FROM "{table}" WHERE "{column}" = ? ORDER BY id', [source_id]):
                w.delete(table, row["id"])
        w.delete("sources", source_id)
    from fieldcase.store import search_index

    search_index.sync(project)
    return counts


def speaker_labels(project: Project, source_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Every speaker label in the project's transcripts (or in ``source_ids`` only) with its
    number of turns."""
    if source_ids is None:
        rows = project.conn.execute("SELECT speaker, count(*) FROM turns GROUP BY speaker ORDER BY count(*) DESC")
    else:
        rows = project.conn.execute(
            "SELECT speaker, count(*) FROM turns WHERE source_id IN (SELECT value FROM json_each(?))"
            " GROUP BY speaker ORDER BY count(*) DESC", [json.dumps(sorted(source_ids))],
        )
    return {r[0]: r[1] for r in rows.fetchall()}
