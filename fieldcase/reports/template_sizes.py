"""How big a value a template operation would make, judged before it is made.

A template is the user's own code: ``{{ 'x' * 10**10 }}`` or ``'x'|center(10**10)`` would
otherwise take gigabytes in one step, inside Python, where no time limit can stop it. Each
check here raises :class:`SizeError` when an operation would make a string, list or number
past the limit; everything else passes through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from typing import Any

MAX_BITS = 1 << 20  # the largest integer ``**`` may make: about 315,000 digits
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*:([^{}]*)(\{)?")
_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})
_GROWING = frozenset({"append", "add", "insert", "extend", "update", "setdefault"})


class SizeError(Exception):
    """An operation in a template would make a value larger than templates may make."""


def check(size: int, what: str, limit: int) -> None:
    """Refuse ``size`` (characters, items or padding) past ``limit``."""
    if size > limit:
        raise SizeError(f"{what} would make {size:,} characters or items; templates may make at most {limit:,}")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def binop(operator: str, left: Any, right: Any, limit: int) -> None:
    """Check ``left OPERATOR right`` (``*``, ``**``, ``+``, ``%``) before it is computed."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and _is_count(times):
                check(len(seq) * times, f"{type(seq).__name__} * {times:,}", limit)
    elif operator == "**" and _is_count(left) and _is_count(right) and abs(left) > 1 and right > 0:
        if right * abs(left).bit_length() > MAX_BITS:
            raise SizeError(f"{left} ** {right:,} is too large a number for a template")
    elif operator == "+" and isinstance(left, Sized) and isinstance(right, Sized) and not isinstance(left, dict):
        check(len(left) + len(right), "+", limit)
    elif operator == "%" and isinstance(left, str):
        percent_format(left, right if isinstance(right, tuple) else (right,), limit)


def percent_format(text: str, args: tuple[Any, ...], limit: int) -> None:
    """Check ``text % args``: no width or precision, written or given by ``*``, past the limit."""
    for width, precision in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number.isdigit():
                check(int(number), "a % format width", limit)
            elif number == "*":
                for arg in args:
                    if _is_count(arg):
                        check(arg, "a % format width", limit)


def call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int) -> None:
    """Check a method call that could make a large value: padding, replacing, joining and
    formatting a string, or growing a list, set or dict."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, (str, list, set, dict)):  # macros, functions, other methods
        return
    name = getattr(target, "__name__", "")
    counts = [a for a in (*args, *kwargs.values()) if _is_count(a)]
    if isinstance(owner, str):
        if name in _PADDING or name == "expandtabs":
            for width in counts:
                check(width * (len(owner) if name == "expandtabs" else 1), f"str.{name}({width:,})", limit)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            replaced(owner, args[0], args[1], args[2] if len(args) > 2 else -1, limit)
        elif name == "join" and args and isinstance(args[0], (list, tuple)):
            joined(owner, args[0], limit)
        elif name in ("format", "format_map"):
            brace_format(owner, counts, limit)
    elif isinstance(owner, (list, set, dict)) and name in _GROWING:
        more = sum(len(a) if isinstance(a, Sized) else 1 for a in args) or 1
        check(len(owner) + more, f"{type(owner).__name__}.{name}", limit)


def replaced(text: str, old: str, new: str, count: int, limit: int) -> None:
    """Check ``text.replace(old, new, count)``."""
    times = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        times = min(times, count)
    check(len(text) + times * (len(new) - len(old)), "replace", limit)


def joined(separator: str, items: list[Any] | tuple[Any, ...], limit: int) -> None:
    """Check ``separator.join(items)`` for items that are already strings."""
    size = len(separator) * max(len(items) - 1, 0) + sum(len(i) for i in items if isinstance(i, str))
    check(size, "join", limit)


def brace_format(text: str, counts: list[int], limit: int) -> None:
    """Check ``text.format(...)``: widths written in the specs, or given as arguments to
    nested fields (``{:{width}}``)."""
    for spec, nested in _FORMAT_SPEC.findall(text):
        for number in re.findall(r"\d+", spec):
            check(int(number), "a format width", limit)
        if nested:
            for count in counts:
                check(count, "a format width", limit)


def value(result: Any, what: str, limit: int) -> Any:
    """``result`` itself, if it is no larger than the limit (for what can only be measured
    once made, such as ``~``, whose parts are each within the limit already)."""
    if isinstance(result, Sized) and not isinstance(result, dict):
        check(len(result), what, limit)
    return result
