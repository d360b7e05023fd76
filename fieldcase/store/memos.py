"""Memos: the researcher's notes on the project, a site, case, source, code or coding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

TARGETS = ("project", "site", "case", "source", "code", "coding")


def resolve_target(project: Project, target_type: str, ref: str | int | None) -> int | None:
    """The id of the memo's target (``None`` for the project itself)."""
    if target_type not in TARGETS:
        raise InputError(f"memos attach to one of {', '.join(TARGETS)}, not {target_type!r}")
    if target_type == "project":
        return None
    if ref in (None, ""):
        raise InputError(f"say which {target_type} the memo is about")
    from fieldcase.store import cases, codes, codings, sites, sources

    finders = {
        "site": sites.find,
        "case": cases.find,
        "source": sources.find,
        "code": codes.find,
        "coding": codings.find,
    }
    target_id: int = finders[target_type](project, ref)["id"]
    return target_id


def target_name(project: Project, target_type: str, target_id: int | None) -> str:
    """What a memo is about, as history names it: ``the project``, ``code 城市推力``,
    ``source 刘霞访谈``, ``the coding of 城市推力 in 刘霞访谈``."""
    from fieldcase.store import codes, codings

    if target_type == "project" or target_id is None:
        return "the project"
    if target_type == "coding":
        return codings.describe(codings.get(project, target_id))
    if target_type == "code":
        return f"code {codes.name_of(codes.find(project, target_id))}"
    column = "title" if target_type == "source" else "name"
    rows = project.query(f"SELECT {column} AS name FROM {target_type}s WHERE id = ?", [target_id])
    return f"{target_type} {rows[0]['name']}" if rows else f"{target_type} {target_id}"


def add(
    project: Project, target_type: str, ref: str | int | None, body: str, *, title: str | None = None
) -> dict[str, Any]:
    """Write a memo about a target; returns it."""
    if not body or not body.strip():
        raise InputError("a memo needs some text")
    target_id = resolve_target(project, target_type, ref)
    row = {"target_type": target_type, "target_id": target_id, "title": title, "body": body}
    with project.change("memo.add", f"Memo on {target_name(project, target_type, target_id)}") as w:
        memo_id = w.insert("memos", row)
    return get(project, memo_id)


def get(project: Project, memo_id: int) -> dict[str, Any]:
    """One memo."""
    rows = project.query("SELECT * FROM memos WHERE id = ?", [memo_id])
    if not rows:
        raise NotFoundError(f"no memo {memo_id}")
    return rows[0]


def update(project: Project, memo_id: int, *, body: str | None = None, title: str | None = None) -> dict[str, Any]:
    """Change a memo's text or title."""
    memo = get(project, memo_id)
    changes = {k: v for k, v in {"body": body, "title": title}.items() if v is not None}
    if changes:
        about = target_name(project, memo["target_type"], memo["target_id"])
        with project.change("memo.update", f"Changed the memo on {about}") as w:
            w.update("memos", memo["id"], changes)
    return get(project, memo_id)


def delete(project: Project, memo_id: int) -> None:
    """Delete a memo."""
    memo = get(project, memo_id)
    about = target_name(project, memo["target_type"], memo["target_id"])
    with project.change("memo.delete", f"Deleted the memo on {about}") as w:
        w.delete("memos", memo["id"])


def list_all(
    project: Project, target_type: str | None = None, ref: str | int | None = None
) -> list[dict[str, Any]]:
    """Memos, newest last, optionally only those about one target (or one kind of target)."""
    if target_type is None:
        return project.query("SELECT * FROM memos ORDER BY created_at, id")
    if ref is None and target_type != "project":
        return project.query(
            "SELECT * FROM memos WHERE target_type = ? ORDER BY created_at, id", [target_type]
        )
    target_id = resolve_target(project, target_type, ref)
    return project.query(
        "SELECT * FROM memos WHERE target_type = ? AND target_id IS ? ORDER BY created_at, id",
        [target_type, target_id],
    )


def coding_notes(project: Project, coding: str | int | None = None) -> list[dict[str, Any]]:
    """The short memos written on codings (``m`` in the workspace, ``fieldcase coding memo``),
    shaped like memo rows (``id`` None, ``kind`` "coding memo"), for listing beside memos."""
    where, params = "c.memo IS NOT NULL AND c.memo != ''", []
    if coding is not None:
        where += " AND c.id = ?"
        params.append(int(coding))
    rows = project.query(
        "SELECT c.id AS target_id, c.memo AS body, c.modified_by AS created_by, c.modified_at AS created_at,"
        " k.key AS code_key FROM codings c JOIN codes k ON k.id = c.code_id"
        f" WHERE {where} ORDER BY c.modified_at, c.id",
        params,
    )
    return [{"id": None, "kind": "coding memo", "target_type": "coding", "target_id": r["target_id"],
             "title": f"on coding {r['target_id']} ({r['code_key']})", "body": r["body"],
             "created_by": r["created_by"], "created_at": r["created_at"]} for r in rows]
