"""Finding and rendering templates: the user's folder first, then the shipped ones.

A user template overrides a shipped one of the same name; ``{% extends
"default:NAME" %}`` reaches the shipped original. Templates run sandboxed, within limits of
time, output and size (:mod:`fieldcase.reports.template_limits`), and whatever goes wrong in
one is reported in one line naming the template and its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import (ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError, TemplateNotFound,
                    TemplateSyntaxError)

from markupsafe import Markup

from fieldcase.config import config_dir
from fieldcase.errors import CancelledError, InputError
from fieldcase.reports.template_limits import LimitedEnvironment, Limits, limits_from_environment, pieces
from fieldcase.resources import shipped


def user_templates_dir() -> Path:
    """Where a user's own templates live (``templates/`` in the config folder)."""
    return config_dir() / "templates"


def environment(limits: Limits | None = None) -> LimitedEnvironment:
    """A sandboxed Jinja environment over the user's and the shipped templates, with
    ``limits`` (default: :func:`limits_from_environment`)."""
    shipped_loader = FileSystemLoader(str(shipped("templates")))
    loader = ChoiceLoader(
        [
            PrefixLoader({"default": shipped_loader}, delimiter=":"),
            FileSystemLoader(str(user_templates_dir())),
            shipped_loader,
        ]
    )
    env = LimitedEnvironment(
        limits=limits or limits_from_environment(),
        loader=loader,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=lambda name: bool(name and name.endswith((".html.j2", ".html"))),
    )
    env.filters["mdquote"] = markdown_quote
    env.filters["mdcell"] = markdown_cell
    env.filters["mdinline"] = markdown_inline
    return env


_MD_BLOCK = re.compile(r"^(\s*)([#>*+-]|\d+[.)])(?=\s|$)")


def markdown_quote(text: str) -> str:
    """``text`` as a Markdown block quote, each line behind ``> ``; a line that would
    start a heading, list or quote is escaped so it stays text."""
    text = str(text)
    if "\n" not in text:  # most quotes are one line
        line = _escaped(text)
        return "> " + line if line and not line.isspace() else ">"
    lines = [_escaped(line) for line in text.split("\n")]
    return "\n".join("> " + line if line and not line.isspace() else ">" for line in lines)


def _escaped(line: str) -> str:
    """``line`` with a mark at its start that Markdown would read as a block escaped (the
    pattern is tried at the start alone, where it can match)."""
    m = _MD_BLOCK.match(line)
    if m is None:
        return line
    mark = m.group(2)
    return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark) + line[m.end():]


def markdown_cell(text: object) -> str:
    """``text`` for one cell of a Markdown table: on one line, its ``|`` escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown_inline(text: object) -> Markup:
    """``text`` as HTML with its Markdown emphasis read (``**strong**`` → ``<strong>``), as
    the chapters made through Markdown show it; any HTML in it stays text."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).renderInline(str(text)))


def render(name: str, /, **context: Any) -> str:
    """Render template ``name`` (one in the templates folders, or a template file's path);
    any failure is one line naming the template, its line and the problem."""
    return "".join(render_pieces(name, **context))


def render_pieces(name: str, /, **context: Any) -> Iterator[str]:
    """:func:`render` piece by piece, as the template writes them: for writing a long
    document as it is made."""
    env = environment()
    given = Path(name).expanduser()
    if given.parent != Path(".") and given.is_file():  # --template ~/work/mycase.md.j2
        env.loader = ChoiceLoader([FileSystemLoader(str(given.parent)), env.loader])  # type: ignore[list-item]  # environment() always sets a loader
        name = given.name
    elif given.parent != Path(".") or (not given.is_file() and "/" in name):
        raise InputError(f"template {name}: no such file")
    try:
        yield from pieces(env.get_template(name), context)
    except CancelledError:
        raise
    except Exception as err:  # noqa: BLE001 - the user's template can raise anything; each is one line
        raise InputError(one_line(err, name)) from err


def one_line(err: Exception, name: str) -> str:
    """``template NAME, line N: problem`` for an error raised while compiling or rendering."""
    where, line = _where(err)
    at = f", line {line}" if line else ""
    return f"template {Path(where or name).name}{at}: {_problem(err)}"


def _where(err: Exception) -> tuple[str | None, int | None]:
    """The template and line an error was raised at: a syntax error says so; a runtime
    error's traceback holds Jinja's frames standing for template lines (the deepest wins)."""
    if isinstance(err, TemplateSyntaxError):
        return err.filename or err.name, err.lineno
    found: tuple[str | None, int | None] = (getattr(err, "filename", None) or getattr(err, "name", None), None)
    tb = err.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_globals.get("__file__"), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _problem(err: Exception) -> str:
    """What went wrong, in words a template's author can act on."""
    if isinstance(err, RecursionError):
        return "a macro calls itself without end (Python's recursion limit was reached)"
    if isinstance(err, MemoryError):
        return "out of memory"
    if isinstance(err, TemplateNotFound):
        return f"no template {err.name} (fieldcase templates list shows the shipped ones)"
    if isinstance(err, TemplateError):
        return err.message or type(err).__name__
    return str(err) or type(err).__name__


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
