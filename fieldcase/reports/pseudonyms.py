"""Applying pseudonyms at export time, and finding variants of a name for confirmation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# How people are named in village talk besides their full name.
PREFIXES = ("老", "小", "阿")
TITLES = ("书记", "支书", "主任", "村长", "镇长", "县长", "科长", "局长", "会计", "老板", "总", "经理",
          "师傅", "老师", "医生", "大伯", "伯", "叔", "婶", "姨", "阿姨", "哥", "姐", "嫂", "家")


def renamer(project: Project, *, enabled: bool = True) -> Callable[[str], str]:
    """A function replacing every real name in the table (and its variants) by its
    pseudonym, longest first; the identity with ``enabled=False`` or an empty table."""
    from fieldcase.store import pseudonyms

    table = pseudonyms.mapping(project) if enabled else {}
    if not table:
        return lambda text: text
    pattern = re.compile("|".join(_bounded(k) for k in sorted(table, key=len, reverse=True)))

    def rename(text: str) -> str:
        return pattern.sub(lambda m: table[m.group()], text) if text else text

    return rename


def _bounded(name: str) -> str:
    """A pattern for ``name``; a Latin name matches whole words only (Li, not in Like)."""
    pattern = re.escape(name)
    if name[:1].isascii() and name[:1].isalnum():
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if name[-1:].isascii() and name[-1:].isalnum():
        pattern += r"(?![A-Za-z0-9])"
    return pattern


def _is_han(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in text)


def variants(project: Project, real: str, *, limit: int = 20) -> list[dict[str, object]]:
    """Ways ``real`` may be written in the sources (老张, 张书记, 小军 for 张小军; Mr Zhang,
    Zhang for Zhang Wei), with how often each occurs and how like the name it is
    (rapidfuzz), best first. Names already in the table are left out."""
    from rapidfuzz import fuzz

    from fieldcase.store import pseudonyms
    from fieldcase.text.search import search

    known = set(pseudonyms.mapping(project))
    real = real.strip()
    candidates: Counter[str] = Counter()
    texts = {}
    if _is_han(real) and 2 <= len(real) <= 4:
        surname, given = real[0], real[1:]
        hits = search(project, f'"{surname}"', context=4).hits
        for hit in hits:
            texts.setdefault(hit.source_id, hit._text)  # noqa: SLF001 - the source text, shared
            text, at = texts[hit.source_id], hit.start
            before = text[at - 1 : at] if at else ""
            if before in PREFIXES:
                candidates[before + surname] += 1
            for title in TITLES:
                if text.startswith(title, at + 1):
                    candidates[surname + title] += 1
        if len(given) >= 2:
            for prefix in ("小", "阿", ""):
                form = prefix + given[-1] if prefix else given
                count = len(search(project, f'"{form}"').hits)
                if count:
                    candidates[form] += count
    else:
        from fieldcase.store import search_index

        search_index.sync(project)
        every = search_index.texts(project, search_index.live_sources(project)).values()
        parts = [p for p in re.split(r"\s+", real) if len(p) > 1]
        for part in parts:
            for form in (part, f"Mr {part}", f"Mr. {part}", f"Ms {part}", f"Mrs {part}"):
                pattern = re.compile(_bounded(form))
                count = sum(len(pattern.findall(text)) for text in every)
                if count:
                    candidates[form] += count
    entry = pseudonyms.mapping(project).get(real)
    rows = [
        {"variant": form, "count": count, "likeness": round(fuzz.partial_ratio(real, form), 1),
         "suggested": _suggest(real, entry, form) if entry else None}
        for form, count in candidates.items() if form != real and form not in known
    ]
    rows.sort(key=lambda r: (-r["likeness"], -r["count"]))
    return rows[:limit]


def _suggest(real: str, pseudonym: str, variant: str) -> str:
    """A pseudonym for a variant: the name's part in it replaced (老张 → 老H, 张书记 → H书记)."""
    if _is_han(real) and real[0] in variant:
        return variant.replace(real[0], pseudonym, 1)
    for part in real.split():
        if re.search(_bounded(part), variant):
            return re.sub(_bounded(part), pseudonym, variant)
    return pseudonym
