"""Printing results for people (aligned tables, wide-character aware) and scripts (JSON).

Everything a command prints passes through :class:`VisibleControls`: stored words reach
the terminal with their control characters shown, never obeyed (see
:mod:`fieldcase.text.controls`). ``--json`` output is exact data all the same: JSON
escapes the controls it would otherwise carry.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

import click

from fieldcase.text.controls import visible_controls
from fieldcase.text.width import display_width

_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


class VisibleControls:
    """A text stream that writes to ``inner`` with control characters made visible; it
    shows no binary ``buffer``, so click writes its text here too."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.inner.write(visible_controls(text))
        return len(text)

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes would pass unseen
            raise AttributeError(name)
        return getattr(self.inner, name)


@contextlib.contextmanager
def controls_shown() -> Iterator[None]:
    """While a command runs, what it prints on stdout and stderr shows controls visibly."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (VisibleControls(s) if s is not None else s for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


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


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, max_col: int = 40) -> None:
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
    """Print ``data`` as indented JSON, keeping Chinese readable; DEL and C1 controls,
    which JSON may carry raw, are escaped too, so the data stays exact."""
    click.echo(json_text(data, indent=2))


def json_text(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON that holds no raw control character (see :func:`print_json`)."""
    return raw_escaped(json.dumps(data, ensure_ascii=False, indent=indent, default=str))


def raw_escaped(text: str) -> str:
    """JSON ``text`` with its raw DEL and C1 controls escaped (see :func:`print_json`)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_STRING = json.encoder.encode_basestring  # (the C encoder's, when there is one)


def json_flat_lines(data: dict[str, Any], prefix: str) -> str:
    """``textwrap.indent(json.dumps(data, ensure_ascii=False, indent=2, default=str), prefix)``,
    raw controls left for :func:`raw_escaped`: for a dict of strings, whole numbers and
    ``None`` written directly (Python's JSON encoder indents a hundred times slower than
    its C one encodes), any other dict as that."""
    inner = prefix + "  "
    lines = []
    for key, value in data.items():
        kind = type(value)
        if kind is str:
            lines.append(f"{inner}{_STRING(key)}: {_STRING(value)}")
        elif kind is int:
            lines.append(f"{inner}{_STRING(key)}: {value}")
        elif value is None:
            lines.append(f"{inner}{_STRING(key)}: null")
        else:
            lines = []
            break
    if not lines:  # empty, or a value of another kind
        import textwrap

        return textwrap.indent(json.dumps(data, ensure_ascii=False, indent=2, default=str), prefix)
    return f"{prefix}{{\n" + ",\n".join(lines) + f"\n{prefix}}}"
