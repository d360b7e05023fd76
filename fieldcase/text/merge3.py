"""Three-way merge of two edits of one text: the changes each side made to the text both
had (the base), put together when they touch different characters.

Each side's edits are a character diff against the base (fine enough for Chinese, which has
no spaces to split words on). Edits of the two sides that overlap, or insert at the same
place as the other side's edit (their order would be a guess), are a conflict: the merge
gives none. The same edit made on both sides counts once. The result does not depend on
which side is called ``mine``.
"""

from __future__ import annotations

Edit = tuple[int, int, str]  # base[start:end] becomes the string


def edits(base: str, text: str, *, timeout: float = 5.0) -> list[Edit]:
    """The character edits that turn ``base`` into ``text``, in base order."""
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = timeout
    out: list[Edit] = []
    at = 0
    for op, chunk in differ.diff_main(base, text, False):
        if op == 0:
            at += len(chunk)
            continue
        start, end, put = (out.pop() if out and out[-1][1] == at else (at, at, ""))
        if op < 0:
            end, at = end + len(chunk), at + len(chunk)
        else:
            put += chunk
        out.append((start, end, put))
    return out


def _clash(a: Edit, b: Edit) -> bool:
    """Whether two edits of different sides touch the same characters or place."""
    if max(a[0], b[0]) < min(a[1], b[1]):
        return True  # they change some of the same characters
    return (a[0] == a[1] and b[0] <= a[0] <= b[1]) or (b[0] == b[1] and a[0] <= b[0] <= a[1])


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """The text with both sides' edits of ``base``, or None when they conflict."""
    ours, others = edits(base, mine), edits(base, theirs)
    alike = set(ours) & set(others)  # made alike on both sides: once
    tagged = sorted([(e, 0) for e in ours if e not in alike] + [(e, 1) for e in others if e not in alike]
                    + [(e, 2) for e in alike])
    # Edits of one side never meet; an edit that meets another side's meets the one of
    # those seen so far that reaches furthest (ties: the latest).
    furthest: dict[int, Edit] = {}
    for edit, side in tagged:
        if any(_clash(edit, seen) for other, seen in furthest.items() if other != side):
            return None
        if side not in furthest or edit[1] >= furthest[side][1]:
            furthest[side] = edit
    pieces, at = [], 0
    for (start, end, put), _ in tagged:
        pieces.append(base[at:start])
        pieces.append(put)
        at = end
    pieces.append(base[at:])
    return "".join(pieces)
