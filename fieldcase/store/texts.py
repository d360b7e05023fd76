"""Replacing a source's text (a transcription fix) while keeping its codings on their words."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.coding.anchoring import Anchor, reanchor
from fieldcase.errors import InputError
from fieldcase.store import cells, sources
from fieldcase.store.codings import context, orphan_context
from fieldcase.text.normalize import normalize_text, text_hash
from fieldcase.text.turns import find_turns

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


@dataclass
class EditReport:
    """How the codings of an edited source fared."""

    source_id: int
    changed_text: bool
    unchanged: int = 0
    moved: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)
    orphaned: list[dict[str, Any]] = field(default_factory=list)
    merged: list[dict[str, Any]] = field(default_factory=list)


def derived_fields(text: str, kind: str) -> dict[str, Any]:
    """What is stored alongside a text and computed from it: hash, length, turns."""
    turns = find_turns(text) if kind == "interview" else []
    return {
        "text": text,
        "text_sha256": text_hash(text),
        "chars": len(text),
        "turns": sources.encode_turns(turns),
    }


class StaleTextError(InputError):
    """The source's text is no longer the one an edit started from (someone changed it)."""


def replace_text(project: Project, ref: str | int, new_text: str, *, expected: str | None = None,
                 writer: ChangeWriter | None = None) -> EditReport:
    """Store a new text for a source and re-anchor its codings through a diff.

    A coding whose words were all deleted is kept as *orphaned* (with its quote),
    listed in the report, and can be re-anchored or brought back with undo. With
    ``expected`` (a text hash), the edit is refused with :class:`StaleTextError` unless
    the stored text is still that one, checked inside the writing transaction. With
    ``writer`` the edit joins that change group, and the caller brings the search index up
    to date.
    """
    source = sources.find(project, ref)
    if expected is not None and source["text_sha256"] != expected:
        raise StaleTextError(f"source {source['id']} ({source['title']}): its text changed since the edit began")
    new = normalize_text(new_text)
    if not new.strip():
        raise InputError("the new text is empty; a source cannot be emptied")
    report = EditReport(source["id"], changed_text=new != source["text"])
    if not report.changed_text:
        return report
    twin = sources.duplicate_of(project, text_hash(new))
    if twin:
        raise InputError(f"source {twin['id']} ({twin['title']}) already has exactly this text")
    codings = project.query(
        "SELECT g.*, c.key AS code_key FROM codings g JOIN codes c ON c.id = g.code_id"
        " WHERE g.source_id = ? AND g.status = 'active' ORDER BY g.start_offset, g.id",
        [source["id"]],
    )
    anchors = reanchor(source["text"], new, [(c["start_offset"], c["end_offset"]) for c in codings])
    plans = _plan(codings, anchors)
    with project.writing(writer, "source.edit", f"Edited the text of {source['title']}") as w:
        _still(project, source)  # the diff above was made against this text
        w.update("sources", source["id"], derived_fields(new, source["kind"]))
        # A coding may move onto the old span of another that has not moved yet;
        # park it outside the uniqueness rule first, then write every final state.
        old_spans = {_identity(c, c["start_offset"], c["end_offset"]) for c in codings}
        parked = set()
        for coding, anchor, twin in plans:
            if twin is None and anchor.status not in ("orphaned", "same"):
                if _identity(coding, anchor.start, anchor.end) in old_spans:
                    w.update("codings", coding["id"], {"status": "orphaned"})
                    parked.add(coding["id"])
        # Duplicates go first and parked codings last, so no write meets a span still taken.
        order = sorted(plans, key=lambda p: (p[2] is None, p[0]["id"] in parked))
        for coding, anchor, twin in order:
            _apply(project, w, report, (source["text"], new), coding, anchor, twin)
        from fieldcase.store import speakers

        speakers.detect(project, source["id"], w)  # labels the corrected text brings
    if writer is not None:
        return report
    from fieldcase.store import search_index

    search_index.sync(project)
    return report


def _still(project: Project, source: Mapping[str, Any]) -> None:
    """Refuse to write when another process changed the text since it was read."""
    now = project.conn.execute("SELECT text_sha256 FROM sources WHERE id = ?", [source["id"]]).fetchone()
    if now is None or now[0] != source["text_sha256"]:
        raise StaleTextError(f"source {source['id']} ({source['title']}): its text changed while the edit "
                             "was being saved; nothing was written")


def version(project: Project, sha256: str | None) -> str | None:
    """A text a source once had, by its hash (kept when it was replaced), if known."""
    if sha256 is None:
        return None
    row = project.conn.execute("SELECT text FROM text_versions WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def text_changes(project: Project, source_id: int) -> list[dict[str, Any]]:
    """Every logged change to a source's text, oldest first: the change group's id, when
    (``at``), who (``user``), its summary, and the text's hash before and after."""
    # a merge or sync writes a colleague's edit under the name of who merged: the edit's own
    # change group (its origin) names its author and time, when the merge knew them
    return project.query(
        "SELECT g.id AS group_id, coalesce(k.at, g.at) AS at, coalesce(k.author, g.user) AS user, g.action,"
        " g.summary, json_extract(c.before, '$.text_sha256') AS before_sha,"
        " json_extract(c.after, '$.text_sha256') AS after_sha"
        " FROM changes c JOIN change_groups g ON g.id = c.group_id"
        " LEFT JOIN change_origins o ON o.group_id = c.group_id AND o.seq = c.seq"
        " LEFT JOIN known_groups k ON k.uuid = coalesce(json_extract(o.columns, '$.text_sha256'),"
        "  json_extract(o.columns, '$.text'), json_extract(o.columns, '$.\"*\"'))"
        " WHERE c.table_name = 'sources' AND c.row_id = ? AND c.op = 'update'"
        " AND json_extract(c.before, '$.text_sha256') IS NOT json_extract(c.after, '$.text_sha256')"
        " ORDER BY c.id",
        [source_id],
    )


def changed_since(project: Project, source_id: int, base: str | None, started_at: str) -> list[dict[str, Any]] | None:
    """None while a source's text is still ``base`` (the hash of the text an edit started
    from); else the logged changes that made it differ, oldest first (empty if the log
    does not say). Without a ``base`` (a draft kept before drafts knew it), the changes
    made after ``started_at``, or None when there are none."""
    current = project.conn.execute("SELECT text_sha256 FROM sources WHERE id = ?", [source_id]).fetchone()
    if current is None or current[0] == base:
        return None
    since: list[dict[str, Any]] = []
    for change in text_changes(project, source_id):
        if base is None:
            if change["at"] > started_at:
                since.append(change)
        elif change["after_sha"] == base:
            since = []  # the text was back where the edit began (an undo): count from here
        else:
            since.append(change)
    return since if since or base is not None else None


# A coding, where it lands in the new text, and the coding it then duplicates (or None).
_Plan = tuple[dict[str, Any], Anchor, dict[str, Any] | None]


def _identity(coding: dict[str, Any], start: int, end: int) -> tuple[Any, ...]:
    return (coding["code_id"], coding["coder"], start, end)


def _plan(codings: list[dict[str, Any]], anchors: list[Anchor]) -> list[_Plan]:
    """Pair codings with anchors; a coding landing on another's final span is its twin."""
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    plans: list[_Plan] = []
    for coding, anchor in zip(codings, anchors):
        twin = None
        if anchor.status != "orphaned":
            key = _identity(coding, anchor.start, anchor.end)
            twin = kept.get(key)
            if twin is None:
                kept[key] = coding
        plans.append((coding, anchor, twin))
    return plans


def _apply(project: Project, w: ChangeWriter, report: EditReport, texts: tuple[str, str], coding: dict[str, Any],
           anchor: Anchor, twin: dict[str, Any] | None) -> None:
    old, new = texts
    summary = {
        "id": coding["id"],
        "code_key": coding["code_key"],
        "old": [coding["start_offset"], coding["end_offset"]],
        "new": [anchor.start, anchor.end],
        "quote": coding["quote"],
    }
    if twin is not None:
        # Two codings of one code by one coder now cover the same words: they are one.
        if coding["memo"] and coding["memo"] != twin["memo"]:
            twin["memo"] = "\n".join(m for m in (twin["memo"], coding["memo"]) if m)
            w.update("codings", twin["id"], {"memo": twin["memo"]})
        for memo in project.query(
            "SELECT id FROM memos WHERE target_type = 'coding' AND target_id = ?", [coding["id"]]
        ):
            w.update("memos", memo["id"], {"target_id": twin["id"]})
        cells.coding_goes(project, w, coding["id"], into=twin["id"])
        w.delete("codings", coding["id"])
        report.merged.append({**summary, "into": twin["id"]})
        return
    if anchor.status == "same":
        report.unchanged += 1
        return
    # A coding following its words is no change of the coding by the text's editor: it keeps who last
    # changed it and when, so every team member (each re-anchoring a pulled edit itself) holds the same.
    kept_stamps = (coding["modified_at"], coding["modified_by"])
    if anchor.status == "orphaned":
        values = {"start_offset": anchor.start, "end_offset": anchor.end, "status": "orphaned",
                  **orphan_context(old, coding["start_offset"], coding["end_offset"])}
        w.update("codings", coding["id"], values, stamps=kept_stamps)
        report.orphaned.append(summary)
        return
    values = {"start_offset": anchor.start, "end_offset": anchor.end, "status": "active"}
    values.update(context(new, anchor.start, anchor.end))
    w.update("codings", coding["id"], values, stamps=kept_stamps)
    if anchor.status == "moved":
        report.moved += 1
    else:
        report.changed.append({**summary, "now": values["quote"]})


def versions(project: Project, ref: str | int) -> list[dict[str, Any]]:
    """Every text a source has had, oldest first: its hash, length, when and by whom it was
    set and by what change, whether it is the current one, and whether its words are kept;
    then the texts merges kept from other copies (conflicts), marked ``theirs``."""
    source = sources.find(project, ref)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for sha, at, user, group_id, summary in project.conn.execute(
        "SELECT json_extract(c.after, '$.text_sha256'), g.at, g.user, g.id, g.summary FROM changes c"
        " JOIN change_groups g ON g.id = c.group_id WHERE c.table_name = 'sources' AND c.row_id = ?"
        " AND c.after IS NOT NULL AND json_extract(c.after, '$.text_sha256') IS NOT NULL ORDER BY c.id",
        [source["id"]],
    ):
        if sha in seen:
            continue
        seen.add(sha)
        out.append({"sha256": sha, "set_at": at, "set_by": user, "change": group_id, "summary": summary,
                    "theirs": None})
    for sha, other, found_in in project.conn.execute(
        "SELECT json_extract(theirs, '$'), other, found_in FROM conflicts WHERE table_name = 'sources'"
        " AND row_uuid = ? AND what = 'text' ORDER BY id", [source["uuid"]],
    ):
        if sha not in seen:
            seen.add(sha)
            out.append({"sha256": sha, "set_at": None, "set_by": None, "change": found_in,
                        "summary": "kept from a merge (conflict)", "theirs": other})
    lengths = dict(project.conn.execute(
        "SELECT sha256, length(text) FROM text_versions WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(seen))]).fetchall())
    for version in out:
        current = version["sha256"] == source["text_sha256"]
        version["current"] = current
        version["kept"] = current or version["sha256"] in lengths
        version["chars"] = source["chars"] if current else lengths.get(version["sha256"])
    return out
