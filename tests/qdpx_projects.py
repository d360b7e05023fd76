"""Projects for the REFI-QDA tests: the bundled sample with coding, memos and an extra source
of emoji and CJK Extension B characters, and helpers to read a written ``.qdpx`` back."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from fieldcase.store import codes, codings, memos, sets, sources, speakers
from fieldcase.store.project import Project
from fieldcase.text.normalize import normalize_text
from fieldcase.text.turns import find_turns

NS = {"q": "urn:QDA-XML:project:1.0"}
XSD = Path(__file__).resolve().parents[2] / "shared" / "refi" / "xsd" / "Project-mrt2019.xsd"
if not XSD.exists():  # a worktree beside /work/main, or the main checkout itself
    XSD = Path("/work/shared/refi/xsd/Project-mrt2019.xsd")

# Astral characters (emoji, CJK Extension B) count twice in UTF-16; line ends twice in NVivo.
WIDE_TEXT = normalize_text(
    "访谈者：你好😀，请介绍一下𠀋𠀍村的情况。\n"
    "H：我们村有👨‍👩‍👧 三代人住在一起，𪚥字很难写。\n"
    "访谈者：后来呢？\n"
    "H：后来办了合作社🍵，大家收入高了。"
)


def add_interview(project: Project, fields: dict[str, Any]) -> int:
    """An interview stored as fieldcase's importers store one: with its turns and speakers."""
    with project.change("source.add", "Added an interview") as w:
        source_id = sources.add(project, {"kind": "interview", **fields}, turns=find_turns(fields["text"]), writer=w)
        speakers.detect(project, source_id, w)
    return source_id


def enrich(project: Project) -> None:
    """Add to a project: a source of wide characters, codings by two coders over every
    source (some with a memo), and memos on the project, a site, a case, a source, a code
    and a coding."""
    source_id = add_interview(project, {"title": "宽字符访谈 😀", "text": WIDE_TEXT, "language": "zh",
                                        "date": "2024-05"})
    keys = [c["key"] for c in codes.tree(project, counts=False)] or [
        codes.add(project, key="k1", name_zh="代码", name_en="Code")["key"]]
    made = []
    for n, sid in enumerate(sources.all_ids(project)):
        text = sources.get(project, sid)["text"]
        step = max(len(text) // 7, 2)
        for i, start in enumerate(range(0, len(text) - 2, step)):
            end = min(start + step // 2 + 1, len(text))
            coder = "赵" if i % 2 else "tester"
            coding, _ = codings.add(project, sid, keys[(n + i) % len(keys)], start, end, coder=coder,
                                    memo="为什么？ why" if i % 3 == 0 else None)
            made.append(coding)
    wide = [c for c in made if c["source_id"] == source_id]
    text = WIDE_TEXT
    for word in ("😀", "𠀋𠀍村", "👨‍👩‍👧", "𪚥字", "合作社🍵"):
        at = text.index(word)
        made.append(codings.add(project, source_id, keys[0], at, at + len(word), coder="赵")[0])
    code_set = sets.add(project, "code", "核心代码 core", description="The codes of the first chapter.")
    sets.add_members(project, code_set, [c["id"] for c in codes.tree(project, counts=False)[:3]])
    source_set = sets.add(project, "source", "访谈 interviews")
    sets.add_members(project, source_set, [source_id, *sources.all_ids(project)[:2]])
    sets.add(project, "code", "empty for now")
    memos.add(project, "project", None, "The whole study: 研究设计。", title="Design")
    memos.add(project, "source", source_id, "Recorded with emoji 😀 in the transcript.")
    memos.add(project, "code", keys[0], "A code memo.\nTwo lines.", title="on the first code")
    memos.add(project, "coding", (wide or made)[0]["id"], "A memo on one coding.")
    site = project.query("SELECT id FROM sites ORDER BY id LIMIT 1")
    if site:
        memos.add(project, "site", site[0]["id"], "A site memo.")
        from fieldcase.store import sites

        sites.update(project, site[0]["id"], {"name_zh": "某村", "name_en": "Mou village"})  # display names
    case = project.query("SELECT id FROM cases ORDER BY id LIMIT 1")
    if case:
        memos.add(project, "case", case[0]["id"], "A case memo.", title="who")


def read_archive(path: Path) -> tuple[etree._Element, dict[str, bytes]]:
    """The parsed ``project.qde`` of a ``.qdpx`` and every entry's bytes by name."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return etree.fromstring(entries["project.qde"]), entries


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))
