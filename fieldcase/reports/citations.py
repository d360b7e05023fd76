"""How a chapter cites its material: each source by an interview code, who it is with and
the day (``H-20230714``, as the X village study cites its interviews), the same in every
chapter of a project; a quote by its speaker's case and that code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from string import ascii_lowercase
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError

if TYPE_CHECKING:
    from fieldcase.store.project import Project

CITATIONS = ("inline", "footnotes")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def check_citations(citations: str | None) -> str:
    """How quotes are cited: ``inline`` after the quote (the default) or in ``footnotes``."""
    if citations is None:
        return "inline"
    if citations not in CITATIONS:
        raise InputError(f"citations {citations!r}: give {' or '.join(CITATIONS)}")
    return citations


def source_codes(project: Project, rename: Callable[[str], str]) -> dict[int, str]:
    """Every source's interview code (:func:`interview_codes`), by source id."""
    from fieldcase.coding.speakers import INTERVIEWER
    from fieldcase.store import cases, sources, speakers

    names = cases.names(project)
    speaking = {source_id: [names[s.case_id] for s in found.speakers.values()
                            if s.role != INTERVIEWER and s.case_id in names]
                for source_id, found in speakers.context(project).items()}
    return interview_codes(({**s, "speaking": list(dict.fromkeys(speaking.get(s["id"], [])))}
                            for s in sources.list_all(project)), rename)


def interview_codes(listing: Iterable[Mapping[str, Any]], rename: Callable[[str], str]) -> dict[int, str]:
    """Each source's code by its id: who it is with under ``rename`` (the one case whose
    speaker speaks in it, else its one case, else its site), a hyphen and its date as
    YYYYMMDD; letters tell apart two sources that would share a code (``H-20230714a``)."""
    made: dict[int, str] = {}
    for source in listing:
        if source.get("kind") == "document":
            continue  # a document is cited by its title and date (cite_document), not by a person
        speaking = source.get("speaking") or []
        cases = speaking if len(speaking) == 1 else source.get("cases") or []
        label = cases[0] if len(cases) == 1 else source.get("site") or (cases[0] if cases else f"S{source['id']}")
        day = "".join(ch for ch in str(source.get("date") or "") if ch.isdigit())
        made[source["id"]] = f"{rename(label)}-{day}" if day else rename(label)
    shared = Counter(made.values())
    seen: Counter[str] = Counter()
    for source_id, code in made.items():
        if shared[code] > 1:
            seen[code] += 1
            n = seen[code]
            made[source_id] = code + (ascii_lowercase[n - 1] if n <= len(ascii_lowercase) else f"-{n}")
    return made


def cite_document(quote: dict[str, Any], lang: str) -> dict[str, Any]:
    """``quote`` cited as a document when it comes from one: by the document's title and date
    (文件：《title》，2024-09-01), not as the words of a person it mentions or belongs to."""
    if quote.get("kind") != "document":
        return quote
    day = str(quote.get("date") or "")
    if lang == "zh":
        ref = f"《{quote['source']}》" + (f"，{day}" if day else "")
    else:
        ref = f"“{quote['source']}”" + (f", {day}" if day else "")
    quote.update(speaker="", cases=[], ref=ref)
    return quote


def date_text(day: date, lang: str) -> str:
    """A date as a chapter's title block prints it: 2024年7月20日, 20 July 2024."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
