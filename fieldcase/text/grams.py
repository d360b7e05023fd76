"""The search index's terms: overlapping character pairs, so any substring can be found.

Each run of letters and digits in the folded text becomes its overlapping pairs plus its
last character alone ("abcd" → ab bc cd d). A query run of two or more characters is then
the phrase of its pairs, and one character is a prefix search; both are exact, at any
length and in any script. Characters are written as four base-36 digits, so SQLite's
``ascii`` tokenizer sees only plain tokens whatever the script or Unicode version.
"""

from __future__ import annotations

import re
from collections.abc import Callable

RUN = re.compile(r"[^\W_]+")  # letters and digits, the same test for text and queries
WIDTH = 4
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class _Codes(dict[int, str]):
    """``str.translate`` table writing each character as its four base-36 digits."""

    def __missing__(self, code: int) -> str:
        digits = ""
        n = code
        for _ in range(WIDTH):
            n, d = divmod(n, 36)
            digits = _DIGITS[d] + digits
        self[code] = digits
        return digits


_CODES = _Codes()


def encode(run: str) -> str:
    """A run of characters as fixed-width codes."""
    return run.translate(_CODES)


def run_tokens(run: str) -> list[str]:
    """Index terms of one run: its overlapping pairs, then its last character."""
    coded = encode(run)
    pair = 2 * WIDTH
    return [coded[i : i + pair] for i in range(0, len(coded) - WIDTH, WIDTH)] + [coded[-WIDTH:]]


class _Doubled(dict[int, str]):
    """``str.translate`` table for :func:`index_terms`: a letter or digit becomes its code,
    a space and its code again; any other character a bar, which parts runs."""

    def __missing__(self, code: int) -> str:
        coded = _CODES[code]
        self[code] = out = f"{coded} {coded}" if RUN.fullmatch(chr(code)) else "|"
        return out


_DOUBLED = _Doubled()
_RUN_HEAD = re.compile(r"\|\|*[0-9a-z]{%d} " % WIDTH)  # a gap and the extra term after it


def index_terms(folded: str) -> str:
    """The space-separated index terms of a folded text.

    Written without a loop in Python: each character of a run written as "code code"
    spells the run's pairs and last character with one term too many before them ("abc"
    → "A AB BC C"), and any other character as a bar; so the bars before each run and the
    extra term after them become one space.
    """
    doubled = ("|" + folded).translate(_DOUBLED).rstrip("|")
    return _RUN_HEAD.sub(" ", doubled)[1:]


def variant_expression(folded_term: str, variant_class: Callable[[str], str]) -> str | None:
    """An FTS5 expression finding every text that may hold the term with any character
    replaced by one of its variants: a superset, to be checked."""
    parts = []
    for run in RUN.findall(folded_term):
        if len(run) == 1:
            parts.append("(" + " OR ".join(f'"{encode(c)}"*' for c in variant_class(run)) + ")")
            continue
        for a, b in zip(run, run[1:]):
            pairs = [encode(x) + encode(y) for x in variant_class(a) for y in variant_class(b)]
            parts.append("(" + " OR ".join(f'"{p}"' for p in pairs) + ")")
    return " AND ".join(parts) if parts else None


def match_expression(folded_term: str) -> tuple[str | None, bool]:
    """An FTS5 MATCH expression for a folded search term, and whether it is exact.

    Exact means the index finds precisely the texts holding the term; otherwise (a term
    with spaces or punctuation inside) it finds a superset to check. ``None``: the term
    has no letters or digits, so every text must be checked.
    """
    runs = RUN.findall(folded_term)
    if not runs:
        return None, False
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(f'"{encode(run)}"*')
        else:
            parts.append('"' + " ".join(run_tokens(run)[:-1]) + '"')
    return " AND ".join(parts), len(runs) == 1 and runs[0] == folded_term
