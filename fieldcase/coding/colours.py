"""Code colours: the one form they are stored in, and a safe one to draw with.

A colour is stored as ``#RRGGBB``; :func:`check_color` is the gate every entry passes
(the command line, the workspace's forms, a ``.qdc``). A project file written by another
tool or edited by hand can still hold anything, so what draws a colour takes it through
:func:`drawable`, which falls back rather than let a bad value stop the workspace.
"""

from __future__ import annotations

import re

from fieldcase.errors import InputError

PALETTE = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7")
_HEX = re.compile(r"^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


def check_color(color: str) -> str:
    """A colour as ``#RRGGBB`` (from ``#rgb``, ``rrggbb`` …), or a one-line reason why not."""
    match = _HEX.match((color or "").strip())
    if match is None:
        raise InputError(f"colour {color!r}: write it as #RRGGBB, e.g. {PALETTE[0]}")
    digits = match.group(1)
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits)).upper()


def drawable(color: object, fallback: str = "white") -> str:
    """A stored colour as ``#RRGGBB`` to draw with, or ``fallback`` when it is missing or
    not a colour (never a style word such as ``blink`` or ``link …``)."""
    if not isinstance(color, str):
        return fallback
    try:
        return check_color(color)
    except InputError:
        return fallback
