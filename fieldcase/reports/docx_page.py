"""The page of a Word chapter: paper (A4 or US Letter), the margins of Chinese academic
print (2.54 cm top and bottom, 3.17 cm left and right), landscape sections for wide
tables, and the document's language.

A4 is the default: Chinese publishers and most others print on it. US Letter is used
when asked for (``--paper letter``), or for an English chapter when the user's locale
names a Letter country (``LC_PAPER``, ``LC_ALL`` or ``LANG`` such as ``en_US.UTF-8``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from fieldcase.errors import InputError

PAPERS = {"a4": (21.0, 29.7), "letter": (21.59, 27.94)}  # width, height in cm
MARGINS = {"top": 2.54, "bottom": 2.54, "left": 3.17, "right": 3.17}  # cm
_LETTER_COUNTRIES = ("US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR")
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}


def check_paper(paper: str | None) -> str | None:
    """``paper`` if it is one we know (or not given); else an error naming them."""
    if paper is not None and paper.lower() not in PAPERS:
        raise InputError(f"paper {paper!r}: give {' or '.join(PAPERS)}")
    return paper.lower() if paper else None


def choose_paper(paper: str | None, lang: str, environ: Mapping[str, str] | None = None) -> str:
    """The paper of a chapter in ``lang``: the one asked for, else A4, except Letter for
    an English chapter on a machine whose locale is of a Letter country."""
    asked = check_paper(paper)
    if asked:
        return asked
    env = os.environ if environ is None else environ
    locale = next((env[k] for k in ("LC_ALL", "LC_PAPER", "LANG") if env.get(k)), "")
    territory = locale.split(".")[0].partition("_")[2].upper()
    return "letter" if lang == "en" and territory in _LETTER_COUNTRIES else "a4"


def set_page(section: Any, paper: str, *, landscape: bool = False, margins: bool = True) -> None:
    """Give a section ``paper`` (upright or ``landscape``) and, with ``margins``, the
    margins of Chinese print (turned with the page)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    width, height = PAPERS[paper]
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(width), Cm(height)
    if margins:
        top, right, bottom, left = (MARGINS[k] for k in ("top", "right", "bottom", "left"))
        if landscape:
            top, right, bottom, left = left, top, right, bottom
        section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
        section.left_margin, section.right_margin = Cm(left), Cm(right)
        section.header_distance = section.footer_distance = Cm(1.5)


def landscape_section(document: Any, paper: str) -> Any:
    """Start a new landscape section (for a wide table) and return it."""
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    set_page(section, paper, landscape=True)
    return section


def text_width(section: Any) -> int:
    """How wide the text may run on a section's page (EMU): the page less its side margins."""
    return int((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))


def turn_page(document: Any) -> Any:
    """Start a new section whose page is the last one turned (portrait to landscape or
    back), so that a reference document's page stays its own; returns the new section."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    turn(section, landscape=section.orientation != WD_ORIENT.LANDSCAPE)
    return section


def turn(section: Any, *, landscape: bool = True) -> None:
    """Turn a section's page to landscape (or back upright), its margins turned with it."""
    from docx.enum.section import WD_ORIENT

    if (section.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    top, right, bottom, left = section.top_margin, section.right_margin, section.bottom_margin, section.left_margin
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = section.page_height, section.page_width
    if landscape:
        section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = left, top, right, bottom
    else:
        section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = right, bottom, left, top


def set_language(document: Any, lang: str) -> None:
    """Mark the document's text as Chinese or English (proofing, line breaking): the
    default run properties' ``w:lang``; Latin text stays English in a Chinese chapter."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), LANG_TAGS["zh"])
    language.set(qn("w:bidi"), "ar-SA")
    document.core_properties.language = LANG_TAGS[lang]
