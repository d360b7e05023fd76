"""Attribute types and values as QDA-XML variables hold them."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

# fieldcase's attribute types as ``typeOfVariable`` (a choice is text; its choices go in the description).
VARIABLE_TYPES = {"text": "Text", "choice": "Text", "integer": "Integer", "number": "Float", "date": "Date",
                  "boolean": "Boolean"}


def variable_value(value_type: str, value: Any) -> tuple[str, str] | None:
    """The element and text of one stored value (``("IntegerValue", "3")``); a date of a
    year or month alone, which ``xsd:date`` cannot hold, as text. None: no value."""
    if value is None:
        return None
    if value_type == "integer":
        return "IntegerValue", str(int(value))
    if value_type == "number":
        number = float(value)
        if not math.isfinite(number):
            return "TextValue", str(number)
        return "FloatValue", format(Decimal(repr(number)), "f")
    if value_type == "boolean":
        return "BooleanValue", "true" if value else "false"
    if value_type == "date" and len(str(value)) == 10:
        return "DateValue", str(value)
    return "TextValue", str(value)
