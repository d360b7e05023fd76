"""Templates read a plain dict's fields, call their own macros and join lists on shorter
paths than the sandbox's (a summary does each for every quote): what they give must be
what the sandbox gives, escaping and all, and what the sandbox refuses stays refused."""

from __future__ import annotations

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from fieldcase.reports.template_limits import LimitedEnvironment, collect


def rendered(source: str, *, autoescape: bool = False, **context: object) -> str:
    """``source`` rendered by our environment, checked against Jinja's own sandbox."""
    env = LimitedEnvironment(undefined=StrictUndefined, autoescape=autoescape)
    ours = collect(env.from_string(source), dict(context))
    stock = SandboxedEnvironment(undefined=StrictUndefined, autoescape=autoescape)
    assert ours == stock.from_string(source).render(**context)
    return ours


class Row(dict):  # type: ignore[type-arg]
    """A dict of another type: read the sandbox's way."""


def test_a_dicts_fields_read_as_the_sandbox_reads_them():
    q = {"text": "说", "cases": ["H", "W"], "_note": "n", "keys": "k"}
    assert rendered("{{ q.text }}|{{ q['text'] }}|{{ q.cases | join('、') }}|{{ q._note }}", q=q) == "说|说|H、W|n"
    # a name of dict's own is the method, as in the sandbox, not the item
    assert rendered("{{ q.keys() | list | length }}", q=q) == "4"
    assert rendered("{{ q.text.upper() }}", q={"text": "ab"}) == "AB"
    assert rendered("{{ r.text }}", r=Row(text="of a subclass")) == "of a subclass"
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        rendered("{{ q.missing }}", q=q)


def test_private_attributes_stay_refused():
    with pytest.raises(SecurityError):
        rendered("{{ q.__class__.__mro__ }}", q={"__class__": "a key of that name"})
    with pytest.raises(SecurityError):
        rendered("{{ q.text.__class__.__subclasses__() }}", q={"text": "x"})


def test_macros_take_their_arguments_however_given():
    macros = ("{% macro m(a, b=2) %}{{ a }}{{ b }}{% endmacro %}"
              "{% macro each() %}{{ varargs | join(',') }}{{ kwargs | length }}{% endmacro %}"
              "{% macro box(x) %}[{{ caller() }}{{ x }}]{% endmacro %}")
    assert rendered(macros + "{{ m(1, 3) }}|{{ m(1) }}|{{ m(a=4) }}|{{ m(5, b=6) }}") == "13|12|42|56"
    assert rendered(macros + "{{ each(1, 2) }}|{{ each(k=1) }}") == "1,20|1"
    assert rendered(macros + "{% call box(1) %}in{% endcall %}") == "[in1]"
    with pytest.raises(TypeError, match="takes not more than 2 argument"):
        rendered(macros + "{{ m(1, 2, 3) }}")


def test_what_a_macro_or_join_makes_is_escaped_once_when_escaping():
    source = ("{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}"
              "{{ b('<i>') }}|{{ ['<a>', q] | join('&') }}|{{ [q] | join }}")
    assert rendered(source, autoescape=True, q="&") == "<b>&lt;i&gt;</b>|&lt;a&gt;&amp;&amp;|&amp;"
    assert rendered(source, autoescape=False, q="&") == "<b><i></b>|<a>&&|&"
