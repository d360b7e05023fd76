"""Speakers: a source's speaker labels, who asks (the interviewer), and the case each
label stands for, so that a coding in someone's turn counts for their case.

Labels are linked when a source is stored (see :func:`fieldcase.coding.speakers.propose`)
and by the researcher (``fieldcase speaker link``, the F5 screen).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import TYPE_CHECKING, Any

from fieldcase.coding.speakers import INTERVIEWER, ROLES, SPEAKER, CaseRef, SourceSpeakers, Speaker, propose
from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import cases, sources
from fieldcase.store.changes import new_uuid, now

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


def _case_refs(conn: sqlite3.Connection) -> dict[int, tuple[CaseRef, int | None]]:
    """Every case as linking sees it, with its site: name, aliases, and the real names
    whose pseudonym is the case's name (张三 for case H, after ``pseudonym add 张三 H``)."""
    reals: dict[str, list[str]] = {}
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'pseudonyms'").fetchone():
        for real, pseudonym in conn.execute("SELECT real, pseudonym FROM pseudonyms"):
            reals.setdefault(pseudonym.casefold(), []).append(real)
    out = {}
    for case_id, name, aliases, site_id, kind in conn.execute(
        "SELECT id, name, aliases, site_id, kind FROM cases"
    ):
        known = tuple(json.loads(aliases or "[]")) + tuple(reals.get(name.casefold(), ()))
        out[case_id] = (CaseRef(case_id, name, known, kind), site_id)
    return out


def _proposals(conn: sqlite3.Connection, refs: dict[int, tuple[CaseRef, int | None]], source_id: int,
               labels: list[str], decided: dict[str, Speaker] | None = None) -> dict[str, Speaker]:
    row = conn.execute("SELECT interviewer, site_id FROM sources WHERE id = ?", [source_id]).fetchone()
    interviewer, site_id = row
    linked = [r[0] for r in conn.execute("SELECT case_id FROM source_cases WHERE source_id = ? ORDER BY id",
                                         [source_id])]
    own = [refs[c][0] for c in linked if c in refs]
    here = [ref for ref, site in refs.values() if site_id is not None and site == site_id]
    elsewhere = [ref for ref, site in refs.values() if site_id is None or site != site_id]
    return propose(labels, interviewer=interviewer, source_cases=own, site_cases=here, other_cases=elsewhere,
                   decided=decided)


def _labels(stored_turns: str) -> list[str]:
    return list(dict.fromkeys(t["speaker"] for t in sources.decode_turns(stored_turns)))


def initial_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Speaker rows for every source of a project stored before speakers existed."""
    refs = _case_refs(conn)
    stamp = now()
    rows = []
    for source_id, stored in conn.execute("SELECT id, turns FROM sources ORDER BY id").fetchall():
        labels = _labels(stored)
        if not labels:
            continue
        for speaker in _proposals(conn, refs, source_id, labels).values():
            rows.append({"uuid": new_uuid(), "source_id": source_id, "label": speaker.label,
                         "role": speaker.role, "case_id": speaker.case_id, "created_at": stamp,
                         "created_by": "fieldcase", "modified_at": stamp, "modified_by": "fieldcase"})
    return rows


def detect(project: Project, source_id: int, writer: ChangeWriter) -> list[dict[str, Any]]:
    """Record the labels of a source that have no speaker row yet, and propose again the
    links the researcher has not decided (see :func:`~fieldcase.coding.speakers.propose`);
    a label linked to a case the source is not linked to links the source too.
    Returns the rows added or changed."""
    stored = project.conn.execute("SELECT turns FROM sources WHERE id = ?", [source_id]).fetchone()[0]
    rows = {r["label"]: r for r in project.query(
        "SELECT id, label, role, case_id, decided FROM speakers WHERE source_id = ?", [source_id])}
    labels = _labels(stored)
    open_labels = [label for label in labels if label not in rows or not rows[label]["decided"]]
    if not open_labels:
        return []
    decided = {label: Speaker(label, r["role"], r["case_id"]) for label, r in rows.items() if r["decided"]}
    proposals = _proposals(project.conn, _case_refs(project.conn), source_id, labels, decided)
    changed = []
    for label in open_labels:
        speaker = proposals[label]
        values = {"role": speaker.role, "case_id": speaker.case_id}
        if label not in rows:
            writer.insert("speakers", {"source_id": source_id, "label": label, **values})
        elif (rows[label]["role"], rows[label]["case_id"]) != (speaker.role, speaker.case_id):
            writer.update("speakers", rows[label]["id"], values)
        else:
            continue
        if speaker.case_id is not None:
            _link_source(project, writer, source_id, speaker.case_id)
        changed.append({"label": label, **values})
    return changed


def refresh_for_case(project: Project, writer: ChangeWriter, case_id: int) -> None:
    """Propose links again where a case that is new, or whose name or aliases changed, may
    now be the one a speaker is: in the sources linked to it, and in every source with an
    undecided speaker whose label is one of the case's names."""
    from fieldcase.coding.speakers import fold_name, names_of

    found = _case_refs(project.conn).get(case_id)
    names = names_of(found[0]) if found is not None else set()
    named = {source_id for source_id, label in project.conn.execute(
        "SELECT source_id, label FROM speakers WHERE decided = 0 AND case_id IS NULL") if fold_name(label) in names}
    linked = {r[0] for r in project.conn.execute("SELECT source_id FROM source_cases WHERE case_id = ?", [case_id])}
    for source_id in sorted(linked | named):
        detect(project, source_id, writer)


def linked_by_last_change(project: Project) -> list[dict[str, Any]]:
    """The speakers the current user's newest change linked to a case (a link proposed when
    a source was tied to a case, or a case was added): ``source``, ``label``, ``case``."""
    return project.query(
        "SELECT s.id AS source_id, s.title AS source, sp.label, c.name AS case_name FROM speakers sp"
        " JOIN cases c ON c.id = sp.case_id JOIN sources s ON s.id = sp.source_id"
        " WHERE sp.id IN (SELECT row_id FROM changes WHERE table_name = 'speakers' AND op IN ('insert', 'update')"
        "  AND group_id = (SELECT max(id) FROM change_groups WHERE user = ?)) ORDER BY s.id, sp.label",
        [project.user])


def _link_source(project: Project, writer: ChangeWriter, source_id: int, case_id: int) -> None:
    if not project.conn.execute("SELECT 1 FROM source_cases WHERE source_id = ? AND case_id = ?",
                                [source_id, case_id]).fetchone():
        writer.insert("source_cases", {"source_id": source_id, "case_id": case_id})


def uuids_of(project: Project, source_id: int) -> set[str]:
    """The UUIDs of a source's speakers."""
    return {r[0] for r in project.conn.execute("SELECT uuid FROM speakers WHERE source_id = ?", [source_id])}


def list_for(project: Project, source_ref: str | int) -> list[dict[str, Any]]:
    """A source's speakers in order of first speaking: label, role, case, turns, characters."""
    source = sources.find(project, source_ref)
    turns = sources.decode_turns(source["turns"])
    spoken: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for turn in turns:
        spoken[turn["speaker"]] += 1
        words[turn["speaker"]] += turn["end"] - turn["speech"]
    rows = project.query(
        "SELECT sp.id, sp.label, sp.role, sp.case_id, c.name AS case_name, sp.decided, sp.modified_by"
        " FROM speakers sp LEFT JOIN cases c ON c.id = sp.case_id WHERE sp.source_id = ?",
        [source["id"]],
    )
    order = {label: i for i, label in enumerate(dict.fromkeys(t["speaker"] for t in turns))}
    for row in rows:
        row["source_id"] = source["id"]
        row["turns"] = spoken[row["label"]]
        row["chars"] = words[row["label"]]
    rows.sort(key=lambda r: (order.get(r["label"], len(order)), r["label"]))
    return rows


def find(project: Project, source_ref: str | int, label: str) -> dict[str, Any]:
    """One speaker of a source, by its label (case and width as typed, or folded)."""
    from fieldcase.coding.speakers import fold_name

    rows = list_for(project, source_ref)
    for match in (lambda r: r["label"] == label.strip(),
                  lambda r: fold_name(r["label"]) == fold_name(label)):
        found = [r for r in rows if match(r)]
        if found:
            return found[0]
    known = "、".join(r["label"] for r in rows) or "none"
    raise NotFoundError(f"no speaker {label!r} in source {sources.find(project, source_ref)['id']}"
                        f" (its speakers: {known})")


def _title(project: Project, speaker: dict[str, Any]) -> str:
    """The title of a speaker's source, for history."""
    title: str = sources.find(project, speaker["source_id"])["title"]
    return title


def link(project: Project, source_ref: str | int, label: str, case_ref: str | int) -> dict[str, Any]:
    """Say that ``label`` in a source is the case ``case_ref`` (linking the source to it too)."""
    speaker = find(project, source_ref, label)
    case = cases.find(project, case_ref)
    summary = f"Linked speaker {speaker['label']} of {_title(project, speaker)} to case {case['name']}"
    with project.change("speaker.link", summary) as w:
        w.update("speakers", speaker["id"], {"case_id": case["id"], "role": SPEAKER, "decided": 1})
        _link_source(project, w, speaker["source_id"], case["id"])
    return find(project, speaker["source_id"], speaker["label"])


def unlink(project: Project, source_ref: str | int, label: str) -> dict[str, Any]:
    """Say that ``label`` stands for no case (its turns then count for no case)."""
    speaker = find(project, source_ref, label)
    if speaker["case_id"] is not None or not speaker["decided"]:
        summary = f"Unlinked speaker {speaker['label']} of {_title(project, speaker)}"
        with project.change("speaker.unlink", summary) as w:
            w.update("speakers", speaker["id"], {"case_id": None, "decided": 1})
    return find(project, speaker["source_id"], speaker["label"])


def set_role(project: Project, source_ref: str | int, label: str, role: str) -> dict[str, Any]:
    """Mark a label as the interviewer (whose turns count for no case) or as a speaker."""
    if role not in ROLES:
        raise InputError(f"a speaker's role is {' or '.join(ROLES)}, not {role!r}")
    speaker = find(project, source_ref, label)
    values: dict[str, Any] = {"role": role, "decided": 1}
    if role == INTERVIEWER:
        values["case_id"] = None
    if speaker["role"] != role or not speaker["decided"]:
        summary = f"Marked speaker {speaker['label']} of {_title(project, speaker)} as {role}"
        with project.change("speaker.role", summary) as w:
            w.update("speakers", speaker["id"], values)
    return find(project, speaker["source_id"], speaker["label"])


def context(project: Project, source_ids: list[int] | None = None) -> dict[int, SourceSpeakers]:
    """For each source (all, or those given): its turns, speakers and cases, for
    :meth:`~fieldcase.coding.speakers.SourceSpeakers.attribute`."""
    where, params = "", []
    if source_ids is not None:
        where, params = " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(source_ids)]
    turns = {r[0]: r[1] for r in project.conn.execute(f"SELECT id, turns FROM sources{where}", params)}
    speakers: dict[int, dict[str, Speaker]] = {}
    linked: dict[int, list[int]] = {}
    for source_id, label, role, case_id in project.conn.execute(
        f"SELECT source_id, label, role, case_id FROM speakers WHERE source_id IN (SELECT id FROM sources{where})",
        params,
    ):
        speakers.setdefault(source_id, {})[label] = Speaker(label, role, case_id)
    for source_id, case_id in project.conn.execute(
        f"SELECT source_id, case_id FROM source_cases WHERE source_id IN (SELECT id FROM sources{where})"
        " ORDER BY id", params,
    ):
        linked.setdefault(source_id, []).append(case_id)
    return {
        source_id: SourceSpeakers.stored(json.loads(stored or "[]"), speakers.get(source_id, {}),
                                         linked.get(source_id, []))
        for source_id, stored in turns.items()
    }


def set_all(project: Project, writer: ChangeWriter, source_id: int,
            given: dict[str, tuple[str, int | None, bool]]) -> list[str]:
    """Every speaker of a source as a file that lists them says: those in ``given`` (label →
    role, case id, decided by the researcher) as given, the rest plain speakers of no case
    for fieldcase to propose again. Returns the labels given that the source lacks."""
    detect(project, source_id, writer)  # a label of the source's turns has a row
    spoken = set(_labels(project.conn.execute("SELECT turns FROM sources WHERE id = ?", [source_id]).fetchone()[0]))
    rows = project.query("SELECT id, label, role, case_id, decided FROM speakers WHERE source_id = ?", [source_id])
    for row in rows:
        if row["label"] not in spoken:  # its turns were found again as the file's source kind says
            writer.delete("speakers", row["id"])
            continue
        role, case_id, decided = given.get(row["label"], (SPEAKER, None, False))
        if (row["role"], row["case_id"], row["decided"]) != (role, case_id, int(decided)):
            writer.update("speakers", row["id"], {"role": role, "case_id": case_id, "decided": int(decided)})
        if case_id is not None:
            _link_source(project, writer, source_id, case_id)
    return [label for label in given if label not in spoken]
