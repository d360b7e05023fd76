"""How every table in a Word chapter is set, whoever writes it (the Markdown chapter's
tables, the framework matrix): its caption kept with it (``w:keepNext``), rows that do
not split across a page (``w:cantSplit``), the header row repeated on every page
(``w:tblHeader``), cells in a table paragraph style (no first-line indent, single
spacing, a smaller size), and columns sized from what they hold across the section's
full text width.

Column widths: each column gets at least its widest unbreakable piece (a Latin word, a
year, a short label such as ``受教育程度`` or ``Y女士`` kept whole; Chinese counted
double width), and the room left is shared after how long its texts run, so that a
label column stays narrow and a column of summaries takes the room.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from fieldcase.text.width import display_width

TWIPS_PER_CM = 1440 / 2.54
EMU_PER_TWIP = 635
LATIN_CM = 0.23  # a Latin letter or digit at a table's size (10.5 pt), bold, in a wide fallback font
HAN_CM = 0.40  # a Chinese character (10.5 pt is 0.37 cm), with a little to spare
PADDING_CM = 0.45  # a cell's left and right margins (0.19 cm each), and a little slack
BOLD = 1.15  # a Latin header is bold, and wider: LibreOffice broke "Gende/r" at the plain measure
LABEL = 16  # a cell this wide (half-width characters, 8 Chinese) or less is a label: kept whole
LONGEST_CM = 14.0  # a column's texts count this long at most when sharing the room
# a Latin word or number; a line may break after a hyphen or a slash, so each part is one
_WORD = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,'’():%]*[-/]?")


def measure(text: str) -> float:
    """How long ``text`` runs on one line in a table cell, in cm."""
    wide = display_width(text) - len(text)  # each double-width character counts one more
    return wide * HAN_CM + (len(text) - wide) * LATIN_CM


def unbreakable(text: str, label: int = 0) -> float:
    """How long (cm) the longest piece of ``text`` is that a line must not break: the
    whole text if it is a label no wider than ``label`` half-width characters, else its
    longest Latin word or number, and two Chinese characters at least."""
    text = text.strip()
    if not text:
        return 0.0
    if display_width(text) <= label and "\n" not in text:
        return measure(text)
    return max([2 * HAN_CM, *(measure(m.group()) for m in _WORD.finditer(text))])


def column_widths(texts: Sequence[Sequence[str]], room: int, label: int = LABEL, heads: int = 0) -> list[int]:
    """Widths in twips of the columns of a table whose cells hold ``texts`` (rows of
    columns, the header first), summing to ``room`` twips exactly.

    Each column wants, in turn: its words whole; its header whole too; its short cells
    whole (labels, ``label`` half-width characters at most: a name, a count); all its
    texts on one line (the longest counted up to :data:`LONGEST_CM`). The room goes to the first want of every column, then the next,
    each shared after how much more a column wants; what is left after the last goes to
    the longer columns, leaving the first ``heads`` (a row's labels) as they are."""
    columns = max((len(row) for row in texts), default=0)
    if not columns:
        return []
    tiers = _wants(texts, columns, label)
    if sum(tiers[0]) >= room:  # too many columns to keep every word whole: shrink them alike
        widths = [room * w / sum(tiers[0]) for w in tiers[0]]
    else:
        widths = tiers[-1]
        for lower, upper in zip(tiers, tiers[1:]):
            if sum(upper) >= room:
                share = (room - sum(lower)) / max(sum(upper) - sum(lower), 1)
                widths = [lo + (hi - lo) * share for lo, hi in zip(lower, upper, strict=True)]
                break
        else:  # everything fits on one line: the room left goes to the longer columns (not the heads)
            shares = [0.0 if c < heads else w for c, w in enumerate(widths)]
            shares = shares if sum(shares) else widths
            widths = [w + (room - sum(widths)) * share / sum(shares) for w, share in zip(widths, shares, strict=True)]
    out = [math.ceil(w) for w in widths]  # up: a header measured exactly still fits
    # the rounding off the column with the most room to spare over its header (the last of equals)
    out[max(range(columns), key=lambda c: (round(out[c] - tiers[1][c]), c))] += room - sum(out)
    return out


def _wants(texts: Sequence[Sequence[str]], columns: int, label: int = LABEL) -> list[list[float]]:
    """What each column wants (twips), tier by tier: its words whole, its header whole,
    its labels whole, all its texts on one line (see :func:`column_widths`)."""
    tiers: list[list[float]] = [[], [], [], []]
    for c in range(columns):
        cells = [row[c] for row in texts if c < len(row)]
        words = max([2 * HAN_CM, *(unbreakable(t) for t in cells)])
        header = max(words, unbreakable(cells[0], LABEL) * (BOLD if cells[0].isascii() else 1.0))
        labels = max([header, *(unbreakable(t, label) for t in cells[1:])])
        longest = max([labels, *(min(measure(t), LONGEST_CM) for t in cells)])
        for tier, want in zip(tiers, (words, header, labels, longest), strict=True):
            tier.append((PADDING_CM + want) * TWIPS_PER_CM)
    return tiers


def headers_fit(texts: Sequence[Sequence[str]], room_cm: float) -> bool:
    """Whether a table of ``texts`` (the header row first) fits ``room_cm`` with every word
    and every header whole."""
    columns = max((len(row) for row in texts), default=0)
    return not columns or sum(_wants(texts, columns)[1]) <= room_cm * TWIPS_PER_CM


def keep_with_next(paragraph: Any) -> None:
    """Keep a paragraph (a caption, a label) on the page of what follows it."""
    paragraph.paragraph_format.keep_with_next = True


def set_table(table: Any, styles: dict[str, Any], texts: Sequence[Sequence[str]], room: int,
              label: int = LABEL, heads: int = 0) -> None:
    """Set ``table`` as a chapter's tables are: rows kept whole, the first repeated as the
    header on every page, every cell's paragraphs in the table style, and columns sized
    from ``texts`` to fill ``room`` (EMU, the section's text width), a cell of ``label``
    half-width characters or fewer kept on one line, the first ``heads`` columns (labels of
    the rows) given no more than they need."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cell_style = styles["Compact"].style_id
    for number, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if number == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)
    for p in table._tbl.iter(qn("w:p")):
        p.style = cell_style
    widths = column_widths(texts, room // EMU_PER_TWIP, label, heads)
    table.autofit = False  # w:tblLayout fixed: the widths below, not the words, decide
    tblPr = table._tbl.tblPr
    width = tblPr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblPr.append(width)
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = twips * EMU_PER_TWIP  # the grid, which LibreOffice reads
    for row in table.rows:  # and each cell, which Word reads (row by row: column.cells reads the whole grid)
        for cell, twips in zip(row.cells, widths, strict=False):
            cell.width = twips * EMU_PER_TWIP
