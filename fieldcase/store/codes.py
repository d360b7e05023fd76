"""The codebook: a tree of codes with stable keys, bilingual names and keywords."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from fieldcase.coding.colours import PALETTE, check_color, drawable
from fieldcase.coding.keys import has_han, has_word, slug, valid_key
from fieldcase.errors import AmbiguousError, InputError, NotFoundError
from fieldcase.store import blinding, cells, drafts, removal, sets
from fieldcase.store.code_index import CodeIndex
from fieldcase.store.rows import CodeNode, CodeRecord
from fieldcase.text.english import count

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

EDITABLE = (
    "name_zh", "name_en", "description", "inclusion", "exclusion", "example", "color", "keywords",
)


def check_name(name: str | None) -> str | None:
    """A code name as stored: trimmed, ``None`` when blank; one of only punctuation is refused."""
    text = (name or "").strip()
    if not text:
        return None
    if not has_word(text):
        raise InputError(f"a code name needs letters or characters, not only {text!r}")
    return text


def name_of(code: Mapping[str, Any]) -> str:
    """How a code is named in a line of history or a message: its Chinese name, else its
    English name, else its key (``城市推力``)."""
    name: str = code.get("name_zh") or code.get("name_en") or code["key"]
    return name


def fresh_color(project: Project, parent_id: int | None) -> str:
    """A palette colour for a code that must stand apart in the reader (an in-vivo code):
    never its parent's, first one no sibling has, then the one least used in the codebook."""
    rows = project.query("SELECT id, parent_id, upper(color) AS color FROM codes")
    parent = next((r["color"] for r in rows if r["id"] == parent_id), None)
    siblings = [r["color"] for r in rows if r["parent_id"] == parent_id]
    everywhere = [r["color"] for r in rows]
    choices = [c for c in PALETTE if c != parent] or list(PALETTE)
    return min(choices, key=lambda c: (siblings.count(c), everywhere.count(c), PALETTE.index(c)))


def label(code: Mapping[str, Any]) -> str:
    """How a code is shown: ``返乡动因 Return motives`` (whichever names it has)."""
    return " ".join(n for n in (code.get("name_zh"), code.get("name_en")) if n)


def find(project: Project, ref: str | int) -> CodeRecord:
    """A code named by id, key, Chinese or English name, or UUID (prefix)."""
    text = str(ref).strip()
    if text.isdigit():
        rows = _records(project, "SELECT * FROM codes WHERE id = ?", [int(text)])
        if rows:
            return rows[0]
    for column in ("key", "name_zh", "name_en"):
        rows = _records(project, f"SELECT * FROM codes WHERE {column} = ? COLLATE NOCASE", [text])
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            keys = ", ".join(r["key"] for r in rows)
            raise AmbiguousError(f"{len(rows)} codes are named {text!r}; use a key: {keys}")
    if len(text) >= 8:
        rows = _records(project, "SELECT * FROM codes WHERE uuid LIKE ? || '%'", [text.lower()])
        if len(rows) == 1:
            return rows[0]
    raise NotFoundError(f"no code {text!r} (name it by key, Chinese or English name)")


def _records(project: Project, sql: str, params: list[Any]) -> list[CodeRecord]:
    """Rows of ``SELECT * FROM codes``, typed."""
    return cast("list[CodeRecord]", project.query(sql, params))


def add(
    project: Project,
    *,
    name: str | None = None,
    name_zh: str | None = None,
    name_en: str | None = None,
    key: str | None = None,
    parent: str | int | None = None,
    writer: ChangeWriter | None = None,
    known: CodeIndex | None = None,
    **fields: Any,
) -> CodeRecord:
    """Add a code; a single ``name`` goes to ``name_zh`` or ``name_en`` by its script.

    ``known`` is the codebook in memory when many codes are added in a row (it is kept up
    to date); without it the codebook is read once for this code.
    """
    if name:
        if has_han(name):
            name_zh = name_zh or name.strip()
        else:
            name_en = name_en or name.strip()
    name_zh, name_en = check_name(name_zh), check_name(name_en)
    if not (name_zh or name_en):
        raise InputError("a code needs a Chinese or an English name")
    parent_row = find(project, parent) if parent not in (None, "") else None
    parent_id = parent_row["id"] if parent_row else None
    known = known if known is not None else CodeIndex(project)
    known.check_room(f"code {name_zh or name_en}", parent_row)
    if key:
        if not valid_key(key):
            raise InputError(f"code key {key!r}: use ASCII letters, digits, '.', '_' or '-'")
        if known.key_taken(key):
            raise InputError(f"code key {key!r} is already used")
    else:
        base = slug(name_en or name_zh or "code")
        key = known.unique_key(f"{parent_row['key']}.{base}" if parent_row else base)
    unknown = set(fields) - set(EDITABLE) - {"origin", "uuid", "position"}
    if unknown:
        raise InputError(f"codes have no field {sorted(unknown)[0]!r}")
    position = fields.pop("position", None)
    if position is None:
        position = project.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
        ).fetchone()[0]
    keywords = fields.pop("keywords", None) or []
    color = fields.pop("color", None)
    if color:
        color = check_color(color)
    else:
        color = drawable(parent_row["color"] if parent_row else None, PALETTE[position % len(PALETTE)])
    row = {
        "key": key,
        "parent_id": parent_id,
        "position": position,
        "name_zh": name_zh,
        "name_en": name_en,
        "color": color,
        "keywords": json.dumps(keywords, ensure_ascii=False),
        **fields,
    }
    with project.writing(writer, "code.add", f"Added code {name_zh or name_en}") as w:
        code_id = w.insert("codes", row)
    added = find(project, code_id)
    known.note(added)
    return added


def update(project: Project, ref: str | int, fields: dict[str, Any]) -> CodeRecord:
    """Rename a code or change its description, criteria, example, colour or keywords.

    ``None`` leaves a field as it is; a blank text clears it (a code keeps one name).
    """
    code = find(project, ref)
    changes = {k: v for k, v in fields.items() if v is not None}
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"codes have no editable field {sorted(unknown)[0]!r}")
    for key in ("name_zh", "name_en"):
        if key in changes:
            changes[key] = check_name(changes[key])
    for key in ("description", "inclusion", "exclusion", "example"):
        if key in changes:
            changes[key] = changes[key].strip() or None  # blank clears it
    if "color" in changes:
        changes["color"] = check_color(changes["color"])
    if "keywords" in changes:
        changes["keywords"] = json.dumps(list(changes["keywords"]), ensure_ascii=False)
    stored: Mapping[str, Any] = code
    after = {**stored, **changes}
    if not (after["name_zh"] or after["name_en"]):
        raise InputError("a code must keep a Chinese or an English name")
    changes = {k: v for k, v in changes.items() if v != stored[k]}
    if changes:
        with project.change("code.update", f"Changed code {name_of(after)}") as w:
            w.update("codes", code["id"], changes)
    return find(project, code["id"])


def subtree(project: Project, code_id: int) -> list[int]:
    """The ids of a code and all its descendants."""
    rows = project.conn.execute(
        "WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT c.id FROM codes c JOIN t ON c.parent_id = t.id)"
        " SELECT id FROM t",
        [code_id],
    ).fetchall()
    return [r[0] for r in rows]


def height(project: Project, code_id: int) -> int:
    """How many levels a code and its descendants span (1 for a code with no children)."""
    return int(project.conn.execute(
        "WITH RECURSIVE t(id, level) AS (SELECT ?, 1 UNION ALL"
        " SELECT c.id, t.level + 1 FROM codes c JOIN t ON c.parent_id = t.id) SELECT max(level) FROM t",
        [code_id],
    ).fetchone()[0])


def move(project: Project, ref: str | int, parent: str | int | None) -> CodeRecord:
    """Put a code (with its children) under another parent, or at the top with ``None``."""
    code = find(project, ref)
    parent_row = find(project, parent) if parent not in (None, "") else None
    if parent_row and parent_row["id"] in subtree(project, code["id"]):
        raise InputError(f"cannot move {code['key']} under itself or its own descendant")
    parent_id = parent_row["id"] if parent_row else None
    CodeIndex(project).check_room(f"moving {code['key']}", parent_row, height(project, code["id"]))
    position = project.conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ? AND id != ?",
        [parent_id, code["id"]],
    ).fetchone()[0]
    where = f"under {name_of(parent_row)}" if parent_row else "to the top level"
    with project.change("code.move", f"Moved code {name_of(code)} {where}") as w:
        w.update("codes", code["id"], {"parent_id": parent_id, "position": position})
    return find(project, code["id"])


def reorder(project: Project, ref: str | int, position: int) -> CodeRecord:
    """Put a code at ``position`` (1 = first) among its siblings."""
    code = find(project, ref)
    siblings = [
        r["id"]
        for r in project.query(
            "SELECT id FROM codes WHERE parent_id IS ? ORDER BY position, id", [code["parent_id"]]
        )
    ]
    siblings.remove(code["id"])
    siblings.insert(max(0, min(position - 1, len(siblings))), code["id"])
    current = {r["id"]: r["position"] for r in project.query("SELECT id, position FROM codes")}
    with project.change("code.reorder", f"Put code {name_of(code)} at position {position}") as w:
        for index, code_id in enumerate(siblings):
            if current[code_id] != index:
                w.update("codes", code_id, {"position": index})
    return find(project, code["id"])


def impact(project: Project, ref: str | int) -> dict[str, int]:
    """What deleting a code would remove: codes (with descendants), codings, memos; and
    ``drafts``: the kept summary drafts of its cells with words never saved (they are kept:
    :func:`fieldcase.store.drafts.orphaned_cells`)."""
    ids = json.dumps(subtree(project, find(project, ref)["id"]))
    one = project.conn.execute
    codings = one(
        "SELECT count(*) FROM codings WHERE code_id IN (SELECT value FROM json_each(?))", [ids]
    ).fetchone()[0]
    memos = one(
        "SELECT count(*) FROM memos WHERE (target_type = 'code' AND target_id IN"
        " (SELECT value FROM json_each(?))) OR (target_type = 'coding' AND target_id IN"
        " (SELECT id FROM codings WHERE code_id IN (SELECT value FROM json_each(?))))",
        [ids, ids],
    ).fetchone()[0]
    unsaved = len(drafts.unsaved_under(project, code_ids=json.loads(ids)))
    return {"codes": len(json.loads(ids)), "codings": codings, "memos": memos, "drafts": unsaved}


def delete(project: Project, ref: str | int) -> dict[str, int]:
    """Delete a code, its descendants, their codings and memos; returns the counts."""
    code = find(project, ref)
    counts = impact(project, code["id"])
    ids = subtree(project, code["id"])
    summary = f"Deleted code {name_of(code)} ({count(counts['codings'], 'coding')})"
    with project.change("code.delete", summary) as w:
        for code_id in reversed(ids):  # children before parents
            removal.delete_work(project, w, "code_id", code_id)
            removal.delete_memos(project, w, "code", code_id)
            drafts.settle_cells(project, code_id)
            cells.code_goes(project, w, code_id)
            sets.delete_memberships(project, w, "code", code_id)
            w.delete("codes", code_id)
    return counts


def merge(project: Project, ref: str | int, into: str | int) -> dict[str, int]:
    """Merge code ``ref`` into ``into``: codings, children, memos and keywords move over.

    A coding that ``into`` already has on the same span by the same coder is
    collapsed into it (its memo appended). Accepted and rejected suggestions move too.
    ``ref`` is then deleted.
    """
    source, target = find(project, ref), find(project, into)
    if target["id"] in subtree(project, source["id"]):
        raise InputError(f"cannot merge {source['key']} into itself or its own descendant")
    stats = {"moved": 0, "collapsed": 0, "children": 0}
    summary = f"Merged code {name_of(source)} into {name_of(target)}"
    with project.change("code.merge", summary) as w:
        for coding in project.query("SELECT * FROM codings WHERE code_id = ?", [source["id"]]):
            twin = project.query(
                "SELECT * FROM codings WHERE code_id = ? AND source_id = ? AND start_offset = ?"
                " AND end_offset = ? AND coder = ? AND status = 'active'",
                [target["id"], coding["source_id"], coding["start_offset"], coding["end_offset"],
                 coding["coder"]],
            )
            if twin and coding["status"] == "active":
                if coding["memo"] and coding["memo"] != twin[0]["memo"]:
                    memo = "\n".join(m for m in (twin[0]["memo"], coding["memo"]) if m)
                    w.update("codings", twin[0]["id"], {"memo": memo})
                for memo_row in project.query(
                    "SELECT id FROM memos WHERE target_type = 'coding' AND target_id = ?", [coding["id"]]
                ):
                    w.update("memos", memo_row["id"], {"target_id": twin[0]["id"]})
                cells.coding_goes(project, w, coding["id"], into=twin[0]["id"])
                w.delete("codings", coding["id"])
                stats["collapsed"] += 1
            else:
                w.update("codings", coding["id"], {"code_id": target["id"]})
                stats["moved"] += 1
        next_position = project.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id = ?", [target["id"]]
        ).fetchone()[0]
        for child in project.query(
            "SELECT id FROM codes WHERE parent_id = ? ORDER BY position", [source["id"]]
        ):
            w.update("codes", child["id"], {"parent_id": target["id"], "position": next_position})
            next_position += 1
            stats["children"] += 1
        for memo_row in project.query(
            "SELECT id FROM memos WHERE target_type = 'code' AND target_id = ?", [source["id"]]
        ):
            w.update("memos", memo_row["id"], {"target_id": target["id"]})
        # Decisions on the merged code's suggestions move with its keywords, so rejected
        # words stay rejected; where the target has its own on the same span, that one stays.
        for decided in project.query(
            "SELECT id, source_id, start_offset, end_offset FROM suggestions WHERE code_id = ? AND status != 'open'",
            [source["id"]],
        ):
            taken = project.conn.execute(
                "SELECT id, status FROM suggestions WHERE code_id = ? AND source_id = ? AND start_offset = ?"
                " AND end_offset = ?",
                [target["id"], decided["source_id"], decided["start_offset"], decided["end_offset"]],
            ).fetchone()
            if taken is not None and taken[1] == "open":
                w.delete("suggestions", taken[0])  # an open one gives way to the decision
                taken = None
            if taken is None:
                w.update("suggestions", decided["id"], {"code_id": target["id"]})
            else:
                w.delete("suggestions", decided["id"])
        keywords = json.loads(target["keywords"])
        extra = [k for k in json.loads(source["keywords"]) if k not in keywords]
        if extra:
            w.update("codes", target["id"], {"keywords": json.dumps(keywords + extra, ensure_ascii=False)})
        drafts.settle_cells(project, source["id"], into=target["id"])
        cells.code_goes(project, w, source["id"], into=target["id"])
        sets.move_memberships(project, w, source["id"], target["id"])
        w.delete("codes", source["id"])
    return stats


def size(project: Project) -> int:
    """How many codes the codebook has."""
    return int(project.conn.execute("SELECT count(*) FROM codes").fetchone()[0])


def tree(project: Project, coders: Sequence[str] | None = None, *, counts: bool = True) -> list[CodeNode]:
    """All codes depth-first in order, with depth, path and counts of codings and sources
    (only ``coders``' codings, when given: a coder layer; all 0 with ``counts=False``,
    which reads no coding).

    ``total_codings`` includes the codings of descendants. (How many cases a code reaches
    depends on who speaks where: see :func:`fieldcase.store.codings.cases_per_code`.) The
    walk keeps its own stack, so no nesting is too deep for it.
    """
    coders = blinding.visible(project, coders)
    by_coder = "" if coders is None else " AND coder IN (SELECT value FROM json_each(?))"
    own = {
        r["code_id"]: r
        for r in project.query(
            "SELECT code_id, count(*) AS codings, count(DISTINCT source_id) AS sources"
            # "+code_id": not in the order of codings_code, whose rows send SQLite to every
            # coding's row (quote, context) for its status, but from the active codings'
            # partial index, which holds code, source and coder: a fifth of the time
            f" FROM codings WHERE status = 'active'{by_coder} GROUP BY +code_id",
            [] if coders is None else [json.dumps(list(coders))],
        )
    } if counts else {}
    children: dict[int | None, list[CodeRecord]] = {}
    for row in _records(project, "SELECT * FROM codes ORDER BY position, id", []):
        children.setdefault(row["parent_id"], []).append(row)
    ordered: list[CodeNode] = []
    parents: list[CodeNode | None] = []
    stack: list[tuple[CodeRecord, CodeNode | None]] = [(r, None) for r in reversed(children.get(None, []))]
    while stack:
        row, parent = stack.pop()
        node = _node(row, parent, own.get(row["id"], {}))
        ordered.append(node)
        parents.append(parent)
        stack.extend((child, node) for child in reversed(children.get(row["id"], [])))
    for node, parent in zip(reversed(ordered), reversed(parents)):  # children before parents
        if parent is not None:
            parent["total_codings"] += node["total_codings"]
    return ordered


def with_descendants(tree_rows: Sequence[CodeNode], items: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Each code's ``items`` (by key) together with those of all its sub-codes, for rows in
    :func:`tree` order: one pass from the deepest rows up, each handing its own to its parent."""
    gathered: dict[str, list[Any]] = {}
    for row in reversed(tree_rows):  # a code's descendants all come after it
        mine = gathered.setdefault(row["key"], [])
        mine.extend(items.get(row["key"], []))
        if row["parent_key"] is not None:
            gathered.setdefault(row["parent_key"], []).extend(mine)
    return gathered


def _node(row: CodeRecord, parent: CodeNode | None, counts: dict[str, int]) -> CodeNode:
    """One code as :func:`tree` lists it (``total_codings`` so far only its own)."""
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "key": row["key"],
        "parent_key": parent["key"] if parent else None,
        "depth": parent["depth"] + 1 if parent else 0,
        "path": [*parent["path"], row["key"]] if parent else [row["key"]],
        "name_zh": row["name_zh"],
        "name_en": row["name_en"],
        "color": row["color"],
        "description": row["description"],
        "inclusion": row["inclusion"],
        "exclusion": row["exclusion"],
        "example": row["example"],
        "keywords": json.loads(row["keywords"]),
        "origin": row["origin"],
        "codings": counts.get("codings", 0),
        "sources": counts.get("sources", 0),
        "total_codings": counts.get("codings", 0),
    }
