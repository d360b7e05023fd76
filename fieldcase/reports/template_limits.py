"""What rendering a template may cost: time, output, and the size of any value it makes.

Templates run in Jinja's sandbox (no private attributes, no unsafe calls, ranges of at
most 100,000). The sandbox does not stop a template that never ends or that makes one
enormous value, so :class:`LimitedEnvironment` adds:

- **time**: the compiler puts a tick at the start of every loop body, loop filter and macro,
  and a tick past the deadline stops the render at its line. Loops that write nothing are
  caught too (a render in a thread could not be stopped, and a process would have to be
  spawned for every export); what runs between two ticks is bounded by the size checks.
- **output**: :func:`collect` reads the render piece by piece and stops it past the limit.
- **size**: ``*``, ``**``, ``+``, ``%`` and ``~``, the string, list and dict methods that
  grow a value, and the filters that take a count are checked before they compute (see
  :mod:`fieldcase.reports.template_sizes`); ``lipsum`` is not offered.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from jinja2 import Template, nodes
from markupsafe import Markup
from jinja2.runtime import Macro
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment

from fieldcase.errors import CancelledError, InputError
from fieldcase.reports.cancelling import CANCEL
from fieldcase.reports import template_sizes as sizes

SECONDS_ENV = "FIELDCASE_TEMPLATE_SECONDS"
CHARS_ENV = "FIELDCASE_TEMPLATE_CHARS"


@dataclass(frozen=True)
class Limits:
    """How long a render may take, how much it may write, how large one value may be."""

    seconds: float = 30.0
    chars: int = 100_000_000
    value: int = 10_000_000


def limits_from_environment() -> Limits:
    """The default :class:`Limits`, with ``$FIELDCASE_TEMPLATE_SECONDS`` and
    ``$FIELDCASE_TEMPLATE_CHARS`` in place of the time and output limits when set."""
    base = Limits()
    seconds = _number(SECONDS_ENV, base.seconds)
    chars = int(_number(CHARS_ENV, base.chars))
    return Limits(seconds=seconds, chars=chars, value=min(base.value, chars))


def _number(variable: str, default: float) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        number = float(raw.replace("_", ""))
    except ValueError:
        number = math.nan
    if not number > 0 or math.isinf(number):
        raise InputError(f"${variable}: write a positive number, not {raw!r}")
    return number


class LimitError(Exception):
    """A render went past its time or output limit (an ``Exception``, so that Jinja gives
    it the template's name and line like any other error in a template)."""


class _TickingCodeGenerator(CodeGenerator):
    """Jinja's compiler, with a tick at the start of every frame it enters (each loop
    iteration, loop filter and macro call) and ``~`` checked for size."""

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        self.writeline("environment.tick()")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """``obj.name`` as :meth:`LimitedEnvironment.getattr` reads it, with a plain dict's
        item read in place (no call): a summary reads a dozen fields of every quote. The
        name is known here, so only a name that is none of dict's own is read in place."""
        name = node.attr
        if self.environment.is_async or name in _DICT_NAMES:
            super().visit_Getattr(node, frame)
            return
        # the object is evaluated once, into a name of the function being generated
        # (Jinja writes no comprehension, where an assignment expression could not stand)
        self.write(f"(_fc_obj[{name!r}] if type(_fc_obj := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {name!r} in _fc_obj else environment.getattr(_fc_obj, {name!r}))")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(", '~')")


class LimitedEnvironment(SandboxedEnvironment):
    """A sandbox whose renders end in time and stay small (see the module's docstring)."""

    code_generator_class = _TickingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or Limits()
        self.deadline = math.inf
        self.globals["range"] = self.range
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs in one call
        for name, precheck in _FILTER_CHECKS.items():
            self.filters[name] = _checked(self.filters[name], precheck, self.limits.value)
        self.filters["join"] = _checked_join(self.filters["join"], self.limits.value)

    def tick(self) -> None:
        """Stop the render once it has run past its time, or when the export is cancelled."""
        cancel = CANCEL.get()
        if cancel is not None and cancel.is_set():
            raise CancelledError("export cancelled; nothing was written")
        if time.monotonic() > self.deadline:
            raise LimitError(f"still running after {self.limits.seconds:g} seconds, the limit"
                             f" (${SECONDS_ENV} sets it)")

    def sized(self, value: Any, what: str) -> Any:
        """``value``, unless it is larger than a template may make."""
        return sizes.value(value, what, self.limits.value)

    def range(self, *args: int) -> range:
        """Python's ``range``, of at most :data:`MAX_RANGE` steps."""
        steps = range(*args)
        if len(steps) > MAX_RANGE:
            raise LimitError(f"range of {len(steps):,} steps; a template's ranges take at most {MAX_RANGE:,}")
        return steps

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sizes.binop(operator, left, right, self.limits.value)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if type(__obj) is Macro:  # the template's own macro: safe to call, its body checked as it runs
            # what Context.call does for a macro (it takes the eval context), without looking
            # up how to call it each time: a summary calls its citation macro once a quote
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                if (not kwargs and len(args) == __obj._argument_count and not __obj.caller
                        and not __obj.catch_kwargs and not __obj.catch_varargs):
                    # every argument given by position, none by name, no caller: what
                    # Macro.__call__ then does (a summary cites each quote this way)
                    made = __obj._func(*args)
                    return Markup(made) if __context.eval_ctx.autoescape else made
                return __obj(__context.eval_ctx, *args, **kwargs)
            except StopIteration:
                return __self.undefined("value was undefined because a callable raised a StopIteration exception")
        sizes.call(__obj, args, kwargs, __self.limits.value)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """The sandbox's ``obj.attribute``; for a plain dict (every row and quote a template
        is given) whose key is no name of dict's own, the item, as the sandbox would give it
        once ``getattr`` had failed (a summary reads hundreds of thousands of them)."""
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_DICT_NAMES = frozenset(dir(dict))  # what getattr finds on a dict (its methods, object's)


T = TypeVar("T")
_RENDERING: ContextVar[LimitedEnvironment | None] = ContextVar("template_rendering", default=None)


def uncounted(items: Iterable[T]) -> Iterator[T]:
    """``items``, the time taken to make each left out of the render's time limit, which is
    on the template's own work: a summary's quotes are read from the store as its template
    walks them, and at a real study's size that reading alone can take longer than the limit."""
    made = iter(items)
    while True:
        env = _RENDERING.get()
        started = time.monotonic()
        try:
            item = next(made)
        except StopIteration:
            return
        finally:
            if env is not None:
                env.deadline += time.monotonic() - started
        yield item


def collect(template: Template, context: dict[str, Any]) -> str:
    """Render ``template`` within its environment's limits (see :func:`pieces`) as one text."""
    return "".join(pieces(template, context))


_CHUNK = 256  # pieces joined into one before they are handed on


def pieces(template: Template, context: dict[str, Any]) -> Iterator[str]:
    """Render ``template`` within its environment's limits, piece by piece as written (a
    few hundred pieces joined at a time); past the output limit the error is thrown into
    the render, so that it names the line writing then."""
    env = template.environment
    assert isinstance(env, LimitedEnvironment)
    env.deadline = time.monotonic() + env.limits.seconds
    # what :func:`uncounted` extends (set back by value, not by token: the render may be
    # closed from another context)
    outer = _RENDERING.get()
    _RENDERING.set(env)
    try:
        yield from _limited(env, template, context)
    finally:
        _RENDERING.set(outer)


def _limited(env: LimitedEnvironment, template: Template, context: dict[str, Any]) -> Iterator[str]:
    size = 0
    # Template.generate is a generator function (typed as returning a plain Iterator).
    rendering = cast(Generator[str, None, None], template.generate(**context))
    chunk: list[str] = []
    for piece in rendering:
        size += len(piece)
        if size > env.limits.chars:
            rendering.throw(LimitError(f"more than {env.limits.chars:,} characters of output, the limit"
                                       f" (${CHARS_ENV} sets it)"))
        chunk.append(piece)
        if len(chunk) == _CHUNK:
            yield "".join(chunk)
            chunk.clear()
    if chunk:
        yield "".join(chunk)


def _checked(func: Callable[..., Any], precheck: Callable[[dict[str, Any], int], None],
             limit: int) -> Callable[..., Any]:
    """Filter ``func``, its arguments first given to ``precheck`` by name (the wrapper keeps
    the marks that tell Jinja what to pass it). Of a filter with an async variant, the plain
    one is taken: these renders are never async, and its arguments are the ones it names."""
    if getattr(func, "jinja_async_variant", False):
        # The plain filter, which Jinja's async_variant wraps with functools.wraps.
        func = getattr(func, "__wrapped__")
    params = list(inspect.signature(func, follow_wrapped=False).parameters.values())
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    defaults = {p.name: p.default for p in params if p.default is not p.empty}
    rest = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)

    @functools.wraps(func)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        named = defaults.copy()  # what inspect's bind gives, at a tenth of the cost
        named.update(zip(names, args))
        if kwargs:
            named.update(kwargs)
        if rest is not None:
            named[rest] = args[len(names):]
        precheck(named, limit)
        return func(*args, **kwargs)

    return filtered


def _checked_join(func: Callable[..., Any], limit: int) -> Callable[..., Any]:
    """The ``join`` filter, checked as :data:`_FILTER_CHECKS` would check it, without
    binding its arguments by name (a summary joins the cases of every quote)."""
    if getattr(func, "jinja_async_variant", False):
        func = getattr(func, "__wrapped__")

    @functools.wraps(func)
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        if attribute is None and isinstance(value, (list, tuple)):
            # one item (a quote's one case) makes nothing larger than itself: checked only if it is too large
            if len(value) > 1 or (value and isinstance(value[0], str) and len(value[0]) > limit):
                sizes.joined(str(d), value, limit)
            if not eval_ctx.autoescape:
                return str(d).join(map(str, value))  # what Jinja's join does when nothing is escaped
        return func(eval_ctx, value, d, attribute)

    return join


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _indent(a: dict[str, Any], limit: int) -> None:
    lines = str(a["s"]).count("\n") + 1
    sizes.check(len(str(a["s"])) + lines * _count(a["width"]), "indent", limit)


def _sum(a: dict[str, Any], limit: int) -> None:
    if not isinstance(a["start"], (int, float)):
        raise sizes.SizeError("sum adds numbers (join strings, or lists, with |join)")


_FILTER_CHECKS: dict[str, Callable[[dict[str, Any], int], None]] = {
    "center": lambda a, limit: sizes.check(_count(a["width"]), "center", limit),
    "indent": _indent,
    "batch": lambda a, limit: sizes.check(_count(a["linecount"]), "batch", limit),
    "slice": lambda a, limit: sizes.check(_count(a["slices"]), "slice", limit),
    "replace": lambda a, limit: sizes.replaced(str(a["s"]), str(a["old"]), str(a["new"]),
                                               a["count"] if a["count"] is not None else -1, limit),
    "format": lambda a, limit: sizes.percent_format(str(a["value"]), tuple(a["args"]), limit),
    "sum": _sum,
}
