"""Control characters made visible, so stored words cannot steer the terminal they are shown on.

A title or transcript can hold ``ESC]0;…BEL`` (retitle the window), ``ESC[2J`` (clear the
screen), a bare CR that overwrites a line, or a C1 control (``\\x9b`` is CSI to some
terminals). Shown through :func:`visible_controls` each C0 control becomes its Unicode
control picture (``␛``, ``␇``, ``␍``), DEL ``␡`` and each C1 control ``�``: one harmless
character where the control stood, so nothing is hidden and the rest of a sequence prints
as plain text. Tab and newline stay, as the layout of a text.
"""

from __future__ import annotations

import re

_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
    # bidirectional embeddings, overrides and isolates: they reorder what follows on the line
    # (a title ``\u202etxt.exe`` shows as ``exe.txt``); the marks LRM and RLM stay
    **{code: 0xFFFD for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_pictures() -> dict[int, int]:
    """The visible sign of each control character (a copy: ``str.translate``'s table)."""
    return dict(_PICTURES)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab and newline."""
    return _CONTROL.search(text) is not None


def visible_controls(text: str) -> str:
    """``text`` with every control character but tab and newline shown as a visible sign."""
    return text.translate(_PICTURES) if has_controls(text) else text
