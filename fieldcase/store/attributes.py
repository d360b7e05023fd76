"""Typed attributes on sites, cases and sources (gender, birth year, consent date …)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

OWNERS = ("site", "case", "source")
VALUE_TYPES = ("text", "integer", "number", "date", "boolean", "choice")
# For each owner: the value table and its column naming the owner.
VALUE_TABLES = {
    "site": ("site_attribute_values", "site_id"),
    "case": ("case_attribute_values", "case_id"),
    "source": ("source_attribute_values", "source_id"),
}
_TRUE = {"true", "yes", "y", "1", "是", "有", "对"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def coerce(name: str, value_type: str, raw: Any, choices: list[str] | None = None) -> Any:
    """Turn a typed-in value into the stored value of ``value_type``, or explain why not."""
    if isinstance(raw, str):
        raw = raw.strip()
    try:
        if value_type == "integer":
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            return int(raw)
        if value_type == "number":
            return float(raw)
        if value_type == "boolean":
            if isinstance(raw, bool):
                return int(raw)
            word = str(raw).lower()
            if word in _TRUE:
                return 1
            if word in _FALSE:
                return 0
            raise ValueError
        if value_type == "date":
            text = raw.isoformat() if isinstance(raw, date) else str(raw)
            if not _DATE.match(text):
                raise ValueError
            if len(text) == 10:
                date.fromisoformat(text)
            return text
        if value_type == "choice":
            text = str(raw)
            if choices and text not in choices:
                raise InputError(f"{name}: {text!r} is not one of {', '.join(choices)}")
            return text
        return str(raw)
    except (ValueError, TypeError) as err:
        article = "an" if value_type[0] in "aeiou" else "a"
        hint = " (YYYY, YYYY-MM or YYYY-MM-DD)" if value_type == "date" else ""
        raise InputError(f"{name}: {raw!r} is not {article} {value_type}{hint}") from err


def infer_type(raw: Any) -> str:
    """Guess a type for a new attribute from its first value."""
    if isinstance(raw, bool):
        return "boolean"
    if isinstance(raw, int):
        return "integer"
    if isinstance(raw, float):
        return "number"
    if isinstance(raw, date):
        return "date"
    text = str(raw).strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return "integer"
    if re.fullmatch(r"-?\d+\.\d+", text):
        return "number"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "date"
    return "text"


def define(
    project: Project,
    owner: str,
    name: str,
    value_type: str,
    *,
    choices: list[str] | None = None,
    description: str | None = None,
    writer: ChangeWriter | None = None,
) -> dict[str, Any]:
    """Declare an attribute for sites, cases or sources; returns its row."""
    if owner not in OWNERS:
        raise InputError(f"attributes belong to one of {', '.join(OWNERS)}, not {owner!r}")
    if value_type not in VALUE_TYPES:
        raise InputError(f"{name}: unknown type {value_type!r}; use one of {', '.join(VALUE_TYPES)}")
    if value_type == "choice" and not choices:
        raise InputError(f"{name}: a choice attribute needs its choices")
    name = name.strip()
    if not name:
        raise InputError("an attribute needs a name")
    existing = project.query(
        "SELECT * FROM attributes WHERE applies_to = ? AND name = ? COLLATE NOCASE", [owner, name]
    )
    if existing:
        raise InputError(f"{owner} attribute {name!r} already exists")
    with project.writing(writer, "attribute.define", f"Defined {owner} attribute {name}") as w:
        attr_id = w.insert(
            "attributes",
            {
                "applies_to": owner,
                "name": name,
                "value_type": value_type,
                "choices": json.dumps(choices, ensure_ascii=False) if choices else None,
                "description": description,
            },
        )
    return project.query("SELECT * FROM attributes WHERE id = ?", [attr_id])[0]


def list_definitions(project: Project, owner: str | None = None) -> list[dict[str, Any]]:
    """Attribute definitions, with their choices decoded."""
    rows = project.query(
        "SELECT id, uuid, applies_to, name, value_type, choices, description FROM attributes"
        + (" WHERE applies_to = ?" if owner else "")
        + " ORDER BY applies_to, id",
        [owner] if owner else [],
    )
    for row in rows:
        row["choices"] = json.loads(row["choices"]) if row["choices"] else None
    return rows


def set_values(
    project: Project,
    owner: str,
    owner_id: int,
    values: dict[str, Any],
    *,
    writer: ChangeWriter | None = None,
) -> dict[str, Any]:
    """Set (or with an empty value, clear) attributes of one site, case or source.

    An attribute not yet defined is created with a type guessed from its value.
    Returns the stored values.
    """
    table, column = VALUE_TABLES[owner]
    stored: dict[str, Any] = {}
    with project.writing(writer, f"{owner}.set", f"Set {owner} {owner_id} attributes") as w:
        for name, raw in values.items():
            rows = project.query(
                "SELECT * FROM attributes WHERE applies_to = ? AND name = ? COLLATE NOCASE",
                [owner, name],
            )
            clear = raw is None or (isinstance(raw, str) and not raw.strip())
            if not rows:
                if clear:
                    continue
                attr = define(project, owner, name, infer_type(raw), writer=w)
            else:
                attr = rows[0]
            current = project.query(
                f"SELECT id FROM {table} WHERE attribute_id = ? AND {column} = ?",
                [attr["id"], owner_id],
            )
            if clear:
                if current:
                    w.delete(table, current[0]["id"])
                continue
            choices = json.loads(attr["choices"]) if attr["choices"] else None
            value = coerce(attr["name"], attr["value_type"], raw, choices)
            if current:
                w.update(table, current[0]["id"], {"value": value})
            else:
                w.insert(table, {"attribute_id": attr["id"], column: owner_id, "value": value})
            stored[attr["name"]] = value
    return stored


def values_of(project: Project, owner: str, owner_id: int) -> dict[str, Any]:
    """All attribute values of one site, case or source, by attribute name."""
    return values_for_all(project, owner, [owner_id]).get(owner_id, {})


def values_for_all(
    project: Project, owner: str, owner_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Attribute values of many owners at once: ``{owner_id: {name: value}}``."""
    table, column = VALUE_TABLES[owner]
    sql = (
        f"SELECT v.{column} AS owner_id, a.name, a.value_type, v.value FROM {table} v"
        " JOIN attributes a ON a.id = v.attribute_id"
    )
    params: list[Any] = []
    if owner_ids is not None:
        sql += f" WHERE v.{column} IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(owner_ids))
    result: dict[int, dict[str, Any]] = {}
    for row in project.query(sql + " ORDER BY a.id", params):
        value = bool(row["value"]) if row["value_type"] == "boolean" else row["value"]
        result.setdefault(row["owner_id"], {})[row["name"]] = value
    return result


def parse_assignments(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Read ``NAME=VALUE`` words typed on the command line."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"{pair!r}: write attributes as NAME=VALUE")
        values[name.strip()] = value
    return values
