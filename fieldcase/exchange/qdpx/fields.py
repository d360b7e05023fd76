"""What fieldcase knows beyond the standard (a code's key and two names, a case's kind and
site, a source's date and interviewer …), carried where QDA-XML allows free text: a
``<Description>`` ending in a paragraph of ``Label: value`` lines.

Other tools show the paragraph as it reads; fieldcase reads back only the last paragraph,
so a description whose own text has such lines keeps them. A value that a line could
not hold as it is (a line break, blanks at either end, a leading quote) is written as a
JSON string; a list (keywords, aliases, choices) as ``a, b`` when that reads back the
same, else as a JSON array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fieldcase.exchange.qdc import code_name
from fieldcase.exchange.qdc import split_name  # the .qdc convention for two names

# The labels of each kind of thing, as written (code labels as a .qdc writes them).
CODE_LABELS = {"Include": "inclusion", "Exclude": "exclusion", "Example": "example", "Keywords": "keywords",
               "Key": "key", "Chinese name": "name_zh", "English name": "name_en"}
CASE_LABELS = {"Kind": "kind", "Site": "site", "Aliases": "aliases"}
SITE_LABELS = {"Kind": "kind", "County": "county", "Province": "province", "Region": "region",
               "Chinese name": "name_zh", "English name": "name_en"}
SITE_FIELDS = ("county", "province", "region", "name_zh", "name_en")  # a site's own fields carried
SOURCE_LABELS = {"Kind": "kind", "Date": "date", "Place": "place", "Interviewer": "interviewer",
                 "Language": "language", "Consent": "consent", "Site": "site", "Original file": "original_filename",
                 "Speakers": "speakers", "Speakers confirmed": "speakers_confirmed"}
VARIABLE_LABELS = {"Applies to": "applies_to", "Type": "value_type", "Choices": "choices"}
LISTS = frozenset({"keywords", "aliases", "choices", "speakers", "speakers_confirmed"})
SITE_KIND = "site"  # a site is written as a case of this kind

# A speaker as a ``Speakers:`` line lists it: ``刘 = 刘霞`` (the case it stands for),
# ``访谈者 (interviewer)``, ``王 (no case)``; a speaker label holds no `` = `` nor brackets.
_INTERVIEWER, _NO_CASE = " (interviewer)", " (no case)"
_LINE = re.compile(r"^([A-Z][A-Za-z ]*): (.*)$")


def _value(value: Any) -> str:
    """One value as a line holds it."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
        plain = ", ".join(items)
        return plain if items and [i.strip() for i in plain.split(",")] == items and not plain.startswith(('"', "[")) \
            else json.dumps(items, ensure_ascii=False)
    text = str(value)
    if text != text.strip() or "\n" in text or "\r" in text or text.startswith(('"', "[")) or not text:
        return json.dumps(text, ensure_ascii=False)
    return text


def labelled(text: str | None, fields: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """``text`` followed by a paragraph with a line for each field that has a value."""
    lines = [f"{label}: {_value(fields[name])}" for label, name in labels.items()
             if fields.get(name) not in (None, "", [], ())]
    return "\n\n".join(p for p in ((text or "").strip("\n"), "\n".join(lines)) if p)


def unlabelled(description: str, labels: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    """The fields of the last paragraph of ``description`` (when each of its lines is a
    known label) and the text before it."""
    head, _, last = description.rpartition("\n\n")
    found: dict[str, Any] = {}
    for line in last.split("\n"):
        match = _LINE.match(line)
        if not match or match.group(1) not in labels:
            return {}, description
        found[labels[match.group(1)]] = _read(labels[match.group(1)], match.group(2))
    return found, head


def _read(name: str, raw: str) -> Any:
    """A value as :func:`_value` wrote it."""
    if raw.startswith(('"', "[")):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    if name in LISTS:
        return [item.strip() for item in raw.split(",")]
    return raw


def code_description(code: Mapping[str, Any]) -> str:
    """A code's definition with its criteria, example, keywords and key, and its names
    when its one name in the file (``返乡动因 / Return motives``) would not split back."""
    fields = dict(code)
    if split_name(code_name(code)) == (code.get("name_zh"), code.get("name_en")):
        fields.pop("name_zh", None)
        fields.pop("name_en", None)
    return labelled(code.get("description"), fields, CODE_LABELS)


def code_fields(name: str, description: str) -> dict[str, Any]:
    """A code's fields from its name and description as :func:`code_description` wrote them."""
    found, text = unlabelled(description, CODE_LABELS)
    zh, en = split_name(name)
    out: dict[str, Any] = {"name_zh": zh, "name_en": en, **found, "description": text or None}
    return out


def read_fields(description: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """A case's, site's, source's or variable's fields, its free text as ``notes``."""
    found, text = unlabelled(description, labels)
    return {**found, "notes": text or None}


def speaker_item(label: str, role: str, case: str | None) -> str:
    """One speaker as a ``Speakers:`` line lists it (``case``: the name of its case)."""
    if role == "interviewer":
        return label + _INTERVIEWER
    return f"{label} = {case}" if case else label + _NO_CASE


def read_speaker(item: str) -> tuple[str, str, str | None] | None:
    """``(label, role, case name)`` of an item :func:`speaker_item` wrote; None: not one."""
    if " = " in item:
        label, case = item.split(" = ", 1)
        return (label, "speaker", case) if label and case else None
    for end, role in ((_INTERVIEWER, "interviewer"), (_NO_CASE, "speaker")):
        if item.endswith(end) and len(item) > len(end):
            return item[:-len(end)], role, None
    return None
