"""Finding and rendering templates: the user's folder first, then the shipped ones.

A user template overrides a shipped one of the same name; ``{% extends
"default:NAME" %}`` reaches the shipped original. Templates run sandboxed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from fieldcase.config import config_dir
from fieldcase.errors import InputError
from fieldcase.resources import shipped


def user_templates_dir() -> Path:
    """Where a user's own templates live (``templates/`` in the config folder)."""
    return config_dir() / "templates"


def environment() -> SandboxedEnvironment:
    """A sandboxed Jinja environment over the user's and the shipped templates."""
    shipped_loader = FileSystemLoader(str(shipped("templates")))
    loader = ChoiceLoader(
        [
            PrefixLoader({"default": shipped_loader}, delimiter=":"),
            FileSystemLoader(str(user_templates_dir())),
            shipped_loader,
        ]
    )
    env = SandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=lambda name: bool(name and name.endswith((".html.j2", ".html"))),
    )
    env.filters["mdquote"] = markdown_quote
    return env


_MD_BLOCK = re.compile(r"^(\s*)([#>*+-]|\d+[.)])(?=\s|$)")


def markdown_quote(text: str) -> str:
    """``text`` as a Markdown block quote, each line behind ``> ``; a line that would
    start a heading, list or quote is escaped so it stays text."""
    def escape(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)

    lines = [_MD_BLOCK.sub(escape, line) for line in str(text).split("\n")]
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def render(name: str, /, **context: Any) -> str:
    """Render template ``name`` (one in the templates folders, or a template file's path);
    a template error names the template, line and problem."""
    env = environment()
    given = Path(name).expanduser()
    if given.parent != Path(".") and given.is_file():  # --template ~/work/mycase.md.j2
        env.loader = ChoiceLoader([FileSystemLoader(str(given.parent)), env.loader])  # type: ignore[list-item]
        name = given.name
    elif given.parent != Path(".") or (not given.is_file() and "/" in name):
        raise InputError(f"template {name}: no such file")
    try:
        return env.get_template(name).render(**context)
    except TemplateError as err:
        where = getattr(err, "filename", None) or getattr(err, "name", None) or name
        line = getattr(err, "lineno", None)
        at = f", line {line}" if line else ""
        raise InputError(f"template {Path(where).name}{at}: {err.message or err}") from err


def template_names() -> list[str]:
    """The shipped templates' names."""
    return sorted(p.name for p in shipped("templates").iterdir() if p.is_file() and p.suffix == ".j2")


def shipped_template(name: str) -> Path:
    """The shipped template called ``name`` (``.j2`` may be left off)."""
    for candidate in (name, f"{name}.j2"):
        path = shipped("templates") / candidate
        if path.is_file():
            return path
    raise InputError(f"no shipped template {name!r}; fieldcase templates list shows them")
