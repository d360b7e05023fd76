"""What a purge of one source erases: the source and every row that ever hung on it (in its
table or only in the change log), its texts, drafts and kept edits, an in-vivo code made from
its words; or, for a purge of its past, what it was before and no longer is."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store import erasure, sources
from fieldcase.store.erasure import Keys, logged_values, rows_where
from fieldcase.store.purge import Plan, counts

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def source_keys(project: Project, source_id: int) -> Keys:
    """Every row that ever belonged to a source, in its table now or only in the log: the
    source, its codings, speakers, suggestions, case links, attribute values, and the
    memos on it and on its codings."""
    from fieldcase.store.db import foreign_keys

    keys: Keys = {"sources": {source_id}}
    for child, column, parent in foreign_keys(project.conn):
        if parent == "sources" and child != "word_cache":  # a deleted source's drafts are in the log too
            keys[child] = rows_where(project, child, column, [source_id])
    keys["memos"] = (rows_where(project, "memos", "target_id", [source_id], target_type="source")
                     | rows_where(project, "memos", "target_id", keys.get("codings", ()), target_type="coding"))
    keys["framework_links"] = rows_where(project, "framework_links", "coding_id", keys.get("codings", ()))
    return keys


def locate(project: Project, ref: str | int) -> tuple[int, str, bool]:
    """A source to purge as ``(id, title, stored)``: one in the project, or (by id) one that
    was deleted but that the log can still bring back."""
    try:
        row = sources.find(project, ref)
        return row["id"], row["title"], True
    except NotFoundError as err:
        text = str(ref).strip()
        if not text.isdigit():
            raise NotFoundError(f"{err}; a deleted source is purged by its id (fieldcase history names it)") from err
    source_id = int(text)
    states = project.conn.execute(
        "SELECT coalesce(json_extract(coalesce(before, after), '$.purged'), 0), group_id FROM changes"
        " WHERE table_name = 'sources' AND row_id = ? ORDER BY id DESC", [source_id]).fetchall()
    if not states:
        raise NotFoundError(f"no source {text!r}")
    if states[0][0]:
        raise InputError(f"source {source_id} was purged already (change #{states[0][1]})")
    titles = logged_values(project, "sources", source_id, "title")
    return source_id, titles[-1] if titles else "", False


def plan_source(project: Project, ref: str | int) -> Plan:
    """Everything a purge of one source erases."""
    from fieldcase.store import drafts

    source_id, title, stored = locate(project, ref)
    keys = source_keys(project, source_id)
    gone_codes, kept_codes = _in_vivo(project, keys.get("codings", set()))
    keys["codes"] = gone_codes
    hashes = erasure.text_hashes(project, source_id)
    texts = _past_texts(project, source_id, hashes)
    current = project.conn.execute("SELECT text, uuid FROM sources WHERE id = ?", [source_id]).fetchone()
    if current is not None:
        texts.append(current[0])
    texts += memo_texts(project, keys.get("memos", set()))
    uuid = current[1] if current else (logged_values(project, "sources", source_id, "uuid") or [""])[0]
    plan = Plan(f"source {source_id}", f"Purged source {source_id}", erase=keys, sources={source_id},
                hashes=hashes, files=drafts.kept_files(project, source_id), uuids=[uuid] if uuid else [],
                texts=texts, going={source_id}, kept=kept_codes)
    plan.words = named("source", source_id, logged_values(project, "sources", source_id, "title"))
    for code_id in gone_codes:
        for column in ("name_zh", "name_en", "key"):
            plan.words.update(named("code", code_id, logged_values(project, "codes", code_id, column)))
    plan.titles = [f"source {source_id} {title!r}" + ("" if stored else " (deleted, but undo could bring it back)")]
    plan.counts = {**counts(project, plan), "chars": len(current[0]) if current else 0}
    return plan


def plan_history(project: Project, ref: str | int) -> Plan:
    """Everything a purge of a source's past erases: the texts it had before, the log's copies
    of everything on it, its drafts, and what no longer matches its text (orphaned codings,
    speakers who no longer speak, stale suggestions); the source and its current work stay."""
    from fieldcase.store import drafts
    from fieldcase.store.codings import context

    source = sources.find(project, ref)
    source_id, text = source["id"], source["text"]
    keys = source_keys(project, source_id)
    labels = {t["speaker"] for t in sources.decode_turns(source["turns"])}
    going: Keys = {"codings": set(), "speakers": set(), "suggestions": set()}
    plan = Plan(f"the earlier versions of source {source_id}", f"Purged the earlier versions of source {source_id}",
                sources={source_id}, files=drafts.kept_files(project, source_id))
    for row in project.query("SELECT * FROM codings WHERE source_id = ?", [source_id]):
        if row["status"] == "orphaned":
            going["codings"].add(row["id"])
            continue
        fresh = context(text, row["start_offset"], row["end_offset"])
        if any(row[k] != v for k, v in fresh.items()):
            plan.rewrite.append(("codings", row["id"], fresh))
    going["speakers"] = {r[0] for r in project.conn.execute(
        "SELECT id, label FROM speakers WHERE source_id = ?", [source_id]) if r[1] not in labels}
    going["suggestions"] = {r[0] for r in project.conn.execute(
        "SELECT id FROM suggestions WHERE source_id = ?"
        " AND quote IS NOT substr(?, start_offset + 1, end_offset - start_offset)", [source_id, text])}
    going["memos"] = rows_where(project, "memos", "target_id", going["codings"], target_type="coding")
    going["framework_links"] = rows_where(project, "framework_links", "coding_id", going["codings"])
    plan.erase = going
    plan.forget = {t: ids - going.get(t, set()) for t, ids in keys.items()}
    plan.hashes = erasure.text_hashes(project, source_id) - {source["text_sha256"]}
    plan.texts = _past_texts(project, source_id, plan.hashes)
    plan.words = named("source", source_id, [t for t in logged_values(project, "sources", source_id, "title")
                                             if t != source["title"]])
    plan.titles = [f"source {source_id} {source['title']!r}"]
    plan.counts = counts(project, plan)
    return plan


def _past_texts(project: Project, source_id: int, hashes: set[str]) -> list[str]:
    """The kept texts of these hashes, and the source's unsaved edits."""
    texts = list(erasure.versions(project, hashes).values())
    return texts + [r[0] for r in project.conn.execute("SELECT text FROM drafts WHERE source_id = ?", [source_id])]


def memo_texts(project: Project, memo_ids: set[int]) -> list[str]:
    """The words of these memos, as stored now, to look for in backups with the texts."""
    return [r[0] for r in project.conn.execute(
        "SELECT coalesce(title, '') || ' ' || body FROM memos WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(memo_ids))])]


def named(noun: str, row_id: int, names: list[str]) -> dict[str, str]:
    """What stands for each name in the log's summaries: ``source 7`` for ``source 王五访谈``
    and for ``王五访谈`` alone."""
    out = {f"{noun} {name}": f"{noun} {row_id}" for name in names}
    out.update({name: f"{noun} {row_id}" for name in names})
    return out


def _in_vivo(project: Project, codings: set[int]) -> tuple[set[int], list[str]]:
    """Codes made in vivo from these codings' words: those used nowhere else go with them;
    the others stay, named in the list (their names are words of the source)."""
    made = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT k.row_id FROM changes k JOIN change_groups g ON g.id = k.group_id"
        " WHERE g.action = 'coding.in-vivo' AND k.table_name = 'codes' AND k.op = 'insert' AND k.group_id IN"
        " (SELECT group_id FROM changes WHERE table_name = 'codings' AND row_id IN (SELECT value FROM json_each(?)))",
        [json.dumps(sorted(codings))])]
    gone, kept = set(), []
    for code_id in made:
        uses = project.conn.execute(
            "SELECT (SELECT count(*) FROM codings WHERE code_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2)))"
            " + (SELECT count(*) FROM codes WHERE parent_id = ?1) + (SELECT count(*) FROM suggestions"
            " WHERE code_id = ?1) + (SELECT count(*) FROM memos WHERE target_type = 'code' AND target_id = ?1)",
            [code_id, json.dumps(sorted(codings))]).fetchone()[0]
        if uses:
            name = project.conn.execute("SELECT coalesce(name_zh, name_en) FROM codes WHERE id = ?", [code_id]).fetchone()[0]
            kept.append(f"the in-vivo code {name} was named from its words and is kept: it is used elsewhere "
                        f"(rename it: fieldcase codes rename {code_id} NEW-NAME)")
        else:
            gone.add(code_id)
    return gone, kept
