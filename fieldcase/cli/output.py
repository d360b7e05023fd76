"""Printing results for people (aligned tables, wide-character aware) and scripts (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from fieldcase.text.width import display_width


def width(text: str) -> int:
    """Terminal columns taken by ``text``: CJK and other wide characters count two."""
    return display_width(text)


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to at most ``limit`` columns, marking the cut with an ellipsis."""
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def cell(value: Any) -> str:
    """A value as table text: lists joined, None blank, newlines flattened."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    return str(value).replace("\n", " ")


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, max_col: int = 40) -> None:
    """Print ``rows`` as an aligned table with a header line."""
    if not rows:
        click.echo("(none)")
        return
    texts = [[clip(cell(row.get(c)), max_col) for c in columns] for row in rows]
    widths = [max([width(c), *(width(t[i]) for t in texts)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    click.echo(line(columns))
    click.echo(line(["-" * w for w in widths]))
    for values in texts:
        click.echo(line(values))


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON, keeping Chinese readable."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
