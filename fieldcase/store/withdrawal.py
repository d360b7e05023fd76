"""Purging a case when the person (household, enterprise …) it stands for withdraws.

What goes: the case with its names, aliases, notes and attribute values, the memos on it, its
links to sources, and every source linked to it alone (each purged as ``source purge`` does).
A source it shares with other cases (a group interview) stays: the person's speaker labels
there are linked to no case, and every place in what stays that still names them (by name,
alias, speaker label or any spelling a pseudonym covers) is reported, for the researcher to
edit and then purge the earlier versions of. A pseudonym entry for one of their names goes
too, unless something that stays still names them: exports must keep hiding that name.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from fieldcase.store import cases, purge, source_purge, sources
from fieldcase.store.erasure import Keys, logged_values, rows_where
from fieldcase.store.pseudonyms import canonical, forms_of, label_of
from fieldcase.store.purge import Plan

if TYPE_CHECKING:
    from fieldcase.store.project import Project
    from fieldcase.store.pseudonyms import Form

# Where else a name may stand: (table, what to call a row, SQL giving (id, name, text)).
_PLACES = (
    ("memos", "memo", "SELECT id, target_type, coalesce(title, '') || ' ' || body FROM memos"),
    ("codings", "coding", "SELECT id, 'memo', memo FROM codings WHERE memo IS NOT NULL"),
    ("framework_cells", "summary", "SELECT id, 'summary', summary FROM framework_cells"),
    ("cases", "case", "SELECT id, name, name || ' ' || aliases || ' ' || coalesce(notes, '') FROM cases"),
    ("codes", "code", "SELECT id, key, coalesce(name_zh, '') || ' ' || coalesce(name_en, '') || ' ' ||"
     " coalesce(description, '') || ' ' || coalesce(inclusion, '') || ' ' || coalesce(exclusion, '') || ' ' ||"
     " coalesce(example, '') FROM codes"),
)


def plan_case(project: Project, ref: str | int) -> Plan:
    """Everything a purge of one case erases, and what it leaves that still names them."""
    case = cases.find(project, ref)
    case_id = case["id"]
    alone = _sources_of_it_alone(project, case_id)
    what = f"case {case_id}" + (f" and source{'s' * (len(alone) > 1)} {', '.join(map(str, alone))}" if alone else "")
    plan = Plan(what, f"Purged {what}", uuids=[case["uuid"]])
    plan.erase = {
        "cases": {case_id},
        "case_attribute_values": rows_where(project, "case_attribute_values", "case_id", [case_id]),
        "source_cases": rows_where(project, "source_cases", "case_id", [case_id]),
        "memos": rows_where(project, "memos", "target_id", [case_id], target_type="case"),
        "framework_cells": rows_where(project, "framework_cells", "case_id", [case_id]),
    }
    plan.erase["framework_links"] = rows_where(project, "framework_links", "cell_id", plan.erase["framework_cells"])
    plan.titles = [f"case {case_id} {case['name']!r}"]
    plan.texts = source_purge.memo_texts(project, plan.erase["memos"]) + [
        r[0] for r in project.conn.execute("SELECT summary FROM framework_cells WHERE case_id = ?", [case_id])]
    for source_id in alone:
        plan.join(source_purge.plan_source(project, source_id))
    shared = project.query("SELECT id, source_id, label FROM speakers WHERE case_id = ? AND source_id NOT IN"
                           " (SELECT value FROM json_each(?))", [case_id, json.dumps(alone)])
    plan.rewrite += [("speakers", s["id"], {"case_id": None, "decided": 1}) for s in shared]
    plan.scrub = {"speakers": rows_where(project, "speakers", "case_id", [case_id])}
    names = _names(project, case_id)
    labels = sorted({s["label"] for s in shared})
    entries = _entries(project, names, labels, case["name"])
    forms = forms_of(entries)
    found = mentions(project, [*names, *(f.text for f in forms if not f.label)],
                     [*labels, *(f.text for f in forms if f.label)], plan.erase)
    needed = _needed(entries, forms, found)
    going = [e["real"] for e in entries if e["real"] not in needed]
    reals = [*going, *names, *(canonical(label, label=True) for label in labels)]
    plan.erase["pseudonyms"] = rows_where(project, "pseudonyms", "real", reals) - {
        e["id"] for e in entries if e["real"] in needed}
    plan.words.update(source_purge.named("case", case_id, [*names, *going]))
    plan.kept += _report(project, found, shared, entries, needed)
    chars = plan.counts.get("chars", 0)
    plan.counts = {**purge.counts(project, plan), "chars": chars}
    return plan


def _sources_of_it_alone(project: Project, case_id: int) -> list[int]:
    """The sources linked to this case and to no other: those stored, and those deleted
    whose links, as the log keeps them for undo, named it alone."""
    alone = {r[0] for r in project.conn.execute(
        "SELECT source_id FROM source_cases GROUP BY source_id HAVING count(*) = 1 AND max(case_id) = ?", [case_id])}
    stored = {r[0] for r in project.conn.execute("SELECT id FROM sources")}
    for link in rows_where(project, "source_cases", "case_id", [case_id]):
        for source_id in set(logged_values(project, "source_cases", link, "source_id")) - stored:
            links = rows_where(project, "source_cases", "source_id", [source_id])
            if {c for other in links for c in logged_values(project, "source_cases", other, "case_id")} == {case_id}:
                alone.add(source_id)
    return sorted(alone)


def _names(project: Project, case_id: int) -> list[str]:
    """Every name and alias the case has had."""
    names = logged_values(project, "cases", case_id, "name")
    for aliases in logged_values(project, "cases", case_id, "aliases"):
        names += json.loads(aliases or "[]")
    return list(dict.fromkeys(n for n in names if n.strip()))


def _entries(project: Project, names: list[str], labels: list[str], case_name: str) -> list[dict[str, Any]]:
    """Pseudonym entries for the person: for one of their names or labels, or printing the
    case's own name (``张三 → H`` for case H), and the variants of those."""
    own = {n.casefold() for n in names} | {label.casefold() for label in labels}
    rows = project.query("SELECT id, real, pseudonym, variant_of FROM pseudonyms ORDER BY id")
    chosen = {r["id"] for r in rows if (label_of(r["real"]) or r["real"]).casefold() in own
              or r["pseudonym"].casefold() == case_name.casefold()}
    chosen |= {r["id"] for r in rows if r["variant_of"] in chosen}
    return [r for r in rows if r["id"] in chosen]


def _needed(entries: list[dict[str, Any]], forms: list[Form], found: dict[str, Counter[str]]) -> set[str]:
    """The real names of the entries to keep: an entry with its variants stays whole when
    any of their forms still stands somewhere."""
    standing = {name for hits in found.values() for name in hits}
    group = {e["real"]: e["variant_of"] or e["id"] for e in entries}
    kept_groups = {group[f.real] for f in forms if f.text in standing and f.real in group}
    return {real for real, g in group.items() if g in kept_groups}


def mentions(project: Project, names: list[str], labels: list[str], erased: Keys) -> dict[str, Counter[str]]:
    """Where ``names`` (anywhere, in any spelling) and ``labels`` (speaker labels, standing
    alone) stand in what a purge keeps: each place (``source 9 '座谈会'``, ``memo 4 (code)`` …)
    with how often each listed name was found there."""
    from fieldcase.text.spellings import NameFinder

    finder = NameFinder(names, standalone=[label for label in labels if label not in names])
    found: dict[str, Counter[str]] = {}

    def look(where: str, text: str | None) -> None:
        hits = Counter(h.name for h in finder.find(text or ""))
        if hits:
            found.setdefault(where, Counter()).update(hits)

    for source_id, title, text in project.conn.execute("SELECT id, title, text FROM sources ORDER BY id"):
        if source_id not in erased.get("sources", ()):
            look(f"source {source_id} {title!r}", f"{title}\n{text}")
    for table, kind, sql in _PLACES:
        for row_id, name, text in project.conn.execute(sql):
            if row_id not in erased.get(table, ()):
                look(f"{kind} {row_id} ({name})", text)
    return found


def _report(project: Project, found: dict[str, Counter[str]], shared: list[dict[str, Any]],
            entries: list[dict[str, Any]], needed: set[str]) -> list[str]:
    """Lines naming what stays that still names the person, and the pseudonyms kept for it."""
    turns: Counter[tuple[int, str]] = Counter()
    for speaker in shared:
        spoken = sum(t["speaker"] == speaker["label"] for t in sources.turns_of(project, speaker["source_id"]))
        turns[speaker["source_id"], speaker["label"]] += spoken
    lines = [f"{where} still names them: " + ", ".join(f"{w} ×{n}" for w, n in hits.most_common())
             for where, hits in found.items()]
    lines += [f"source {source_id}: {label} speaks in {n} turns (now linked to no case)"
              for (source_id, label), n in turns.items() if n]
    lines += [f"the pseudonym {e['real']} → {e['pseudonym']} is kept while those places name them"
              for e in entries if e["real"] in needed]
    return lines
