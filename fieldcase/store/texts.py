"""Replacing a source's text (a transcription fix) while keeping its codings on their words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.coding.anchoring import Anchor, reanchor
from fieldcase.errors import InputError
from fieldcase.store import sources
from fieldcase.store.codings import context
from fieldcase.text.normalize import normalize_text, text_hash
from fieldcase.text.turns import find_turns

if TYPE_CHECKING:
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


def replace_text(project: Project, ref: str | int, new_text: str) -> EditReport:
    """Store a new text for a source and re-anchor its codings through a diff.

    A coding whose words were all deleted is kept as *orphaned* (with its quote),
    listed in the report, and can be re-anchored or brought back with undo.
    """
    source = sources.find(project, ref)
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
    with project.change("source.edit", f"Edited the text of {source['title']}") as w:
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
            _apply(project, w, report, new, coding, anchor, twin)
        from fieldcase.store import speakers

        speakers.detect(project, source["id"], w)  # labels the corrected text brings
    from fieldcase.store import search_index

    search_index.sync(project)
    return report


def _identity(coding: dict[str, Any], start: int, end: int) -> tuple[Any, ...]:
    return (coding["code_id"], coding["coder"], start, end)


def _plan(codings: list[dict[str, Any]], anchors: list[Anchor]):  # noqa: ANN202
    """Pair codings with anchors; a coding landing on another's final span is its twin."""
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    plans = []
    for coding, anchor in zip(codings, anchors):
        twin = None
        if anchor.status != "orphaned":
            key = _identity(coding, anchor.start, anchor.end)
            twin = kept.get(key)
            if twin is None:
                kept[key] = coding
        plans.append((coding, anchor, twin))
    return plans


def _apply(project, w, report, new, coding, anchor, twin) -> None:  # noqa: ANN001
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
        w.delete("codings", coding["id"])
        report.merged.append({**summary, "into": twin["id"]})
        return
    if anchor.status == "same":
        report.unchanged += 1
        return
    if anchor.status == "orphaned":
        values = {"start_offset": anchor.start, "end_offset": anchor.end, "status": "orphaned"}
        w.update("codings", coding["id"], values)
        report.orphaned.append(summary)
        return
    values = {"start_offset": anchor.start, "end_offset": anchor.end, "status": "active"}
    values.update(context(new, anchor.start, anchor.end))
    w.update("codings", coding["id"], values)
    if anchor.status == "moved":
        report.moved += 1
    else:
        report.changed.append({**summary, "now": values["quote"]})
