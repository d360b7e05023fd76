"""The pseudonym table: real names (people, places) and what every export prints instead.

An entry whose real name ends in a colon (``刘：``) is a speaker label: the surname or
given name someone is labelled by in transcripts. It is replaced only where it stands
alone (``刘：`` at a line start, ``（刘，`` in a citation, the speaker of a quote), never as
a character inside other words (刘海). Every other entry is replaced wherever it stands,
in every spelling, and a place also in its other language (``Y村`` covers ``Y village``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from fieldcase.errors import InputError, NotFoundError
from fieldcase.store.changes import now

if TYPE_CHECKING:
    from fieldcase.store.project import Project

COLONS = ("：", ":")


class Form(NamedTuple):
    """One form an export looks for: the words, what prints instead, whether it is a
    label (matched only standing alone), and the listed real name it comes from."""

    text: str
    pseudonym: str
    label: bool
    real: str


def label_of(real: str) -> str | None:
    """The speaker label a label entry stands for (``刘：`` → ``刘``), else None."""
    text = real.strip()
    if not text.endswith(COLONS):
        return None
    return text[:-1].strip() or None


def canonical(real: str, *, label: bool = False) -> str:
    """How a real name is stored: trimmed; a label with a full-width colon after Chinese
    (``刘：``) and a plain one after Latin letters (``Zhang:``)."""
    text = real.strip()
    stem = label_of(text)
    if stem is None and not label:
        return text
    stem = stem or text
    from fieldcase.text.spellings import is_han

    return stem + ("：" if any(is_han(c) for c in stem) else ":")


def add(project: Project, real: str, pseudonym: str, *, variant_of: str | None = None,
        label: bool = False) -> dict[str, Any]:
    """Record that ``real`` is printed as ``pseudonym`` (a variant of another entry, if
    given; a speaker label with ``label`` or a real name ending in a colon)."""
    stored = canonical(real or "", label=label)
    found = project.query("SELECT id FROM pseudonyms WHERE real = ?", [stored])
    real, pseudonym = _checked(project, stored, pseudonym, own_id=found[0]["id"] if found else None)
    parent = None
    if variant_of is not None:
        parent = find(project, variant_of)["id"]
    with project.change("pseudonym.add", f"Pseudonym for {real}") as w:
        if found:
            w.update("pseudonyms", found[0]["id"], {"pseudonym": pseudonym, "variant_of": parent})
        else:
            w.insert("pseudonyms", {"real": real, "pseudonym": pseudonym, "variant_of": parent,
                                    "created_at": now(), "created_by": project.user})
    return find(project, real)


def refusal(project: Project, real: str, pseudonym: str) -> str | None:
    """Why :func:`add` would refuse this entry, or None if it would take it."""
    found = project.query("SELECT id FROM pseudonyms WHERE real = ?", [real])
    try:
        _checked(project, real, pseudonym, own_id=found[0]["id"] if found else None)
    except InputError as err:
        return str(err)
    return None


def _checked(project: Project, real: str, pseudonym: str, *, own_id: int | None) -> tuple[str, str]:
    """A stored real name and a pseudonym made ready to store, or an error saying why not."""
    pseudonym = (pseudonym or "").strip().rstrip("".join(COLONS)).strip()
    if not pseudonym or not any(c.isalnum() for c in real):
        raise InputError("a pseudonym needs the real name and the name to print instead")
    if (label_of(real) or real) == pseudonym:
        raise InputError(f"{real!r} would stay as it is; give a different pseudonym")
    _refuse_clashes(project, real, pseudonym, own_id)
    return real, pseudonym


def _refuse_clashes(project: Project, real: str, pseudonym: str, own_id: int | None) -> None:
    """Refuse an entry exports could not tell apart from the others: a spelling of a name
    already listed, a pseudonym holding a listed real name, or a real name inside another
    entry's pseudonym."""
    from fieldcase.text.spellings import NameFinder

    def finder(found: list[Form]) -> NameFinder:
        return NameFinder([f.text for f in found if not f.label], standalone=[f.text for f in found if f.label])

    others = [r for r in project.query("SELECT id, real, pseudonym FROM pseudonyms") if r["id"] != own_id]
    listed = forms_of(others)
    real_of = {(f.text, f.label): f.real for f in listed}
    old = finder(listed)
    stem = label_of(real)
    spelled = finder([f for f in listed if f.text in (f.real, label_of(f.real))])  # a derived form may be overridden
    for hit in spelled.find(stem or real):
        if (hit.start, hit.end) == (0, len(stem or real)) and hit.standalone == (stem is not None):
            raise InputError(f"{real!r} is already covered as a spelling of {real_of[hit.name, hit.standalone]!r}")
    for hit in old.find(pseudonym):
        raise InputError(f"the pseudonym {pseudonym!r} holds the listed real name "
                         f"{real_of[hit.name, hit.standalone]!r}; exports could not tell them apart")
    new = finder(forms_of([{"real": real, "pseudonym": pseudonym}]))
    if new.find(pseudonym):
        raise InputError(f"the pseudonym {pseudonym!r} still shows the real name {real!r} (in some spelling)")
    for other in others:
        if new.find(other["pseudonym"]):
            raise InputError(f"{real!r} is in {other['real']!r}'s pseudonym {other['pseudonym']!r};"
                             " exports could not tell them apart")


def forms_of(rows: list[dict[str, Any]]) -> list[Form]:
    """Every form the entries ``rows`` (real, pseudonym) are looked for in: each real
    name, or its label, and a place's other-language forms."""
    from fieldcase.text.places import bare_stem, companions

    out = []
    for row in rows:
        stem = label_of(row["real"])
        if stem is not None:
            out.append(Form(stem, row["pseudonym"], True, row["real"]))
            continue
        out.append(Form(row["real"], row["pseudonym"], False, row["real"]))
        places = companions(row["real"], row["pseudonym"])
        out.extend(Form(form, fake, False, row["real"]) for form, fake in places)
        out.extend(Form(form, fake, False, row["real"]) for form, fake in bare_stem(row["real"], row["pseudonym"]))
        if not places and (latin := _in_pinyin(row["real"])):
            out.append(Form(latin, row["pseudonym"], False, row["real"]))
    return out


def _in_pinyin(name: str) -> str | None:
    """A Chinese personal name as it is written in Latin letters (刘霞 → Liu Xia), which
    memos and English texts use; None for any other name."""
    from fieldcase.text.spellings import is_han

    if not (2 <= len(name) <= 4 and all(is_han(c) for c in name)):
        return None
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name)
    return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"


def forms(project: Project) -> list[Form]:
    """Every form an export replaces (and ``--check-names`` looks for), the listed real
    names before the forms derived from them; kept while the project is unchanged, since
    one export asks for them several times and finding places reads every text."""
    kept = project.cache.get("pseudonym-forms")
    if kept is not None and kept[0] == project.state():
        return list(kept[1])
    found = _forms(project)
    project.cache["pseudonym-forms"] = (project.state(), found)
    return list(found)


def _forms(project: Project) -> list[Form]:
    found = forms_of(project.query("SELECT real, pseudonym FROM pseudonyms ORDER BY id"))
    found += speaker_forms(project, found)
    found += place_forms(project, found)
    return sorted(found, key=lambda f: f.text != f.real and f.text != label_of(f.real))


def place_forms(project: Project, listed: list[Form]) -> list[Form]:
    """The Chinese spellings, in the project's texts and notes, of places listed in pinyin:
    after ``pseudonym add "Xiamu Village" "S village"``, 夏木村 prints S村."""
    from fieldcase.text.places import _in_chinese, han_spellings

    places = [f for f in listed if not f.label and f.text == f.real and re.search(r"[A-Za-z]", f.text)]
    if not places:
        return []
    texts = [*source_texts(project), *free_texts(project)]
    known = {f.text for f in listed}
    out = []
    for f in places:
        for form in han_spellings(f.text, texts):
            stem, fake = form[:-1], _in_chinese(f.pseudonym)
            # the name alone (夏木人, 夏木的竹编) too, printed as the pseudonym's own stem
            out += [Form(t, p, False, f.real) for t, p in ((form, fake), (stem, fake[:-1] or fake))
                    if t not in known and len(t) >= 2]
        out += [Form(t, p, False, f.real) for t, p in place_stem(f.text, f.pseudonym) if t not in known]
    return list({f.text: f for f in out}.values())


def place_stem(real: str, pseudonym: str) -> list[tuple[str, str]]:
    """A place named in pinyin also stands alone (``Xiamu weavers``): the stem, if it reads as
    pinyin of two syllables or more, and what prints instead (the pseudonym's stem)."""
    from fieldcase.coding.key_names import is_pinyin
    from fieldcase.text.places import _parse

    parsed, fake = _parse(real), _parse(pseudonym)
    if parsed is None:
        return []
    stem = parsed[0]
    letters = re.sub(r"[^a-z]", "", stem.casefold())
    from fieldcase.text.spellings import is_han

    if len(letters) < 4 or not is_pinyin(letters) or any(is_han(c) for c in stem):
        return []
    return [(stem, fake[0] if fake else pseudonym)]


def source_texts(project: Project) -> list[str]:
    """Every source's text (from the search index's cache, kept in step with the store)."""
    return list(texts_by_source(project).values())


def texts_by_source(project: Project) -> dict[int, str]:
    """Every source's text by its id (from the search index's cache)."""
    from fieldcase.store import search_index

    search_index.sync(project)
    return search_index.texts(project, search_index.live_sources(project))


def speaker_cases(project: Project) -> dict[str, set[str]]:
    """Every speaker label linked to a case (as a speaker, not the interviewer), with the
    names of the cases it stands for."""
    out: dict[str, set[str]] = {}
    for label, case_name in project.conn.execute(
        "SELECT DISTINCT sp.label, c.name FROM speakers sp JOIN cases c ON c.id = sp.case_id WHERE sp.role = 'speaker'"
    ):
        out.setdefault(label, set()).add(case_name)
    return out


def free_texts(project: Project) -> list[str]:
    """Everything else an export may print that a researcher wrote: memos, notes, titles,
    attribute values, code names and definitions."""
    queries = (
        "SELECT title, body FROM memos", "SELECT memo, NULL FROM codings WHERE memo IS NOT NULL",
        "SELECT summary, NULL FROM framework_cells",
        "SELECT name, notes FROM cases", "SELECT name, notes FROM sites", "SELECT title, place FROM sources",
        "SELECT name_zh, name_en FROM codes", "SELECT description, example FROM codes",
        "SELECT inclusion, exclusion FROM codes", "SELECT value, NULL FROM case_attribute_values",
        "SELECT value, NULL FROM site_attribute_values", "SELECT value, NULL FROM source_attribute_values",
    )
    out: list[str] = []
    for sql in queries:
        for pair in project.conn.execute(sql):
            out.extend(v for v in pair if isinstance(v, str) and v)
    return out


def speaker_forms(project: Project, listed: list[Form]) -> list[Form]:
    """Speaker labels that stand for a case with a pseudonym, as labels of it: after
    ``pseudonym add 刘霞 L``, a transcript's ``刘：`` linked to case 刘霞 prints ``L：``.

    Role labels (答, 问, A) are left out, and so is a label that stands for cases with
    different pseudonyms in different sources (the researcher lists it, or links it).
    """
    from fieldcase.coding.speakers import is_answer_label
    from fieldcase.text.turns import is_interviewer

    fake_of = {f.text: f.pseudonym for f in listed if not f.label}
    # a case may be named by its pseudonym already (case H, after pseudonym add 张三 H)
    fake_of.update({f.pseudonym: f.pseudonym for f in listed if not f.label and f.pseudonym not in fake_of})
    known = {f.text for f in listed}
    seen: dict[str, tuple[set[str], str]] = {}
    for label, case_name in project.conn.execute(
        "SELECT DISTINCT sp.label, c.name FROM speakers sp JOIN cases c ON c.id = sp.case_id"
        " WHERE sp.role = 'speaker'"
    ):
        fake = fake_of.get(case_name)
        if fake is None or label in known or is_answer_label(label) or is_interviewer(label):
            continue
        seen.setdefault(label, (set(), case_name))[0].add(fake)
    return [Form(label, next(iter(fakes)), True, case_name)
            for label, (fakes, case_name) in seen.items() if len(fakes) == 1 and label != next(iter(fakes))]


def find(project: Project, real: str) -> dict[str, Any]:
    """The entry for a real name, or else for the speaker label it names (``刘`` finds ``刘：``)."""
    rows = project.query("SELECT * FROM pseudonyms WHERE real IN (?, ?) ORDER BY real = ? DESC",
                         [canonical(real), canonical(real, label=True), canonical(real)])
    if not rows:
        raise NotFoundError(f"{real!r} has no pseudonym; fieldcase pseudonym list shows them")
    return rows[0]


def remove(project: Project, real: str) -> None:
    """Drop an entry (and its variants)."""
    entry = find(project, real)
    with project.change("pseudonym.remove", f"Removed the pseudonym for {entry['real']}") as w:
        for variant in project.query("SELECT id FROM pseudonyms WHERE variant_of = ?", [entry["id"]]):
            w.delete("pseudonyms", variant["id"])
        w.delete("pseudonyms", entry["id"])


def list_all(project: Project) -> list[dict[str, Any]]:
    """Every entry, each followed by its variants; ``where`` says whether it is replaced
    anywhere or only as a speaker label."""
    rows = project.query(
        "SELECT p.*, v.real AS variant_of_real FROM pseudonyms p LEFT JOIN pseudonyms v ON v.id = p.variant_of"
        " ORDER BY coalesce(v.real, p.real), p.variant_of IS NOT NULL, p.real"
    )
    for row in rows:
        row["where"] = "label" if label_of(row["real"]) is not None else "anywhere"
    return rows


def mapping(project: Project) -> dict[str, str]:
    """``{real: pseudonym}`` for every entry and variant (labels with their colon)."""
    return {r["real"]: r["pseudonym"] for r in project.query("SELECT real, pseudonym FROM pseudonyms")}


def edit(project: Project, real: str, *, new_real: str | None = None, pseudonym: str | None = None) -> dict[str, Any]:
    """Correct an entry's real name or pseudonym in one change, checked as :func:`add`
    checks a new one (a label stays a label); its variants stay under it."""
    entry = find(project, real)
    stored = canonical(new_real if new_real is not None else entry["real"], label=label_of(entry["real"]) is not None)
    stored, fake = _checked(project, stored, pseudonym if pseudonym is not None else entry["pseudonym"],
                            own_id=entry["id"])
    if stored != entry["real"] and project.query("SELECT id FROM pseudonyms WHERE real = ?", [stored]):
        raise InputError(f"{stored!r} already has a pseudonym; edit that entry instead")
    with project.change("pseudonym.edit", f"Changed the pseudonym for {stored}") as w:
        w.update("pseudonyms", entry["id"], {"real": stored, "pseudonym": fake})
    return find(project, stored)
