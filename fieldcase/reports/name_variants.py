"""Proposing other ways a listed name is written, for the user to confirm: how people
are called in village talk (老张, 张书记, 小军), the speaker labels they go by in
transcripts (刘：, 刘总：), and a Chinese name in pinyin (Zhang San)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fieldcase.text.places import bare_stem, han_stem
from fieldcase.text.spellings import NameFinder, fold_name, is_han

if TYPE_CHECKING:
    from fieldcase.store.project import Project

# How people are named in village talk besides their full name.
PREFIXES = ("老", "小", "阿")
TITLES = ("书记", "支书", "主任", "村长", "镇长", "县长", "科长", "局长", "会计", "老板", "总", "经理",
          "师傅", "老师", "医生", "大伯", "伯", "伯伯", "叔", "叔叔", "婶", "姨", "阿姨", "哥", "大哥", "姐",
          "大姐", "嫂", "嫂子", "家", "公", "阿公", "婆", "阿婆", "爷", "爷爷", "奶奶", "大爷", "大妈", "大娘",
          "舅", "舅舅", "姑", "姑姑", "女士", "先生", "小姐")


@dataclass
class _Candidate:
    """A form found, how often, where (text, label) and whether it is a label alone."""

    count: int = 0
    where: set[str] = field(default_factory=set)
    label: bool = False


def variants(project: Project, real: str, *, limit: int = 20) -> list[dict[str, object]]:
    """Ways ``real`` is written in the sources: in the text (老张, 张书记, 小军 for 张小军;
    Zhang San for 张三; Mr Zhang for Zhang Wei), in speaker labels (刘总：; a surname
    or given name alone, 刘：, offered as a label to replace only where it stands alone)
    and among the aliases of the case it names,
    each with its count, where it was found, how like the name it is (rapidfuzz), and the
    pseudonym to print (once ``real`` has one). Forms already covered are left out.

    A form that may be someone else's is shown with a ``note`` saying whose, and no
    pseudonym is suggested for it: one that is another case's name or alias, another
    entry's name or pseudonym, or a speaker label linked to another case; one built from
    a part of the name that another listed person shares (老李 when 李明 is listed too); and,
    when ``real`` is a case with sources, one found only in sources not about it."""
    from rapidfuzz import fuzz

    from fieldcase.reports.pseudonyms import renamer
    from fieldcase.store import cases, pseudonyms, sources

    real = real.strip()
    table = pseudonyms.mapping(project)
    entry = table.get(pseudonyms.canonical(real))
    found: dict[str, _Candidate] = {}
    texts = _texts(project)
    stem = han_stem(real)
    if stem is not None:
        _note(found, stem, _count(texts, stem, real), "text")  # offered even before it is seen
    elif _is_han(real) and 2 <= len(real) <= 4:
        _han_forms(real, texts, found)
    else:
        _latin_forms(real, texts, found)
    _label_forms(real, sources.speaker_labels(project), found)
    every_case = cases.list_all(project)
    own = [c for c in every_case if c["name"] in (real, entry)]
    _alias_forms(real, own, found)
    others = _others(project, real, own, every_case)
    where = _Whereabouts.of(project, real, own)
    covered = renamer(project).finder
    rows = []
    for form, seen in found.items():
        stored = pseudonyms.canonical(form, label=seen.label)
        # the bare stem of a place is covered without asking, yet offered to be confirmed
        if stored in table or fold_name(form) == fold_name(real) or (
                not seen.label and form != stem and covered.covers(form)):
            continue
        note = others.claim(real, form, stem) or (None if "alias" in seen.where else where.stray(form, seen.label))
        suggested = (entry if seen.label else _suggest(real, entry, form)) if entry and note is None else None
        if suggested is not None and pseudonyms.refusal(project, stored, suggested) is not None:
            continue  # a proposal that could never be accepted is no help
        rows.append({
            "variant": stored, "count": seen.count, "where": ", ".join(sorted(seen.where)),
            "scope": "label" if seen.label else "anywhere",
            "likeness": round(fuzz.partial_ratio(real, form), 1),
            "suggested": suggested, "note": note,
        })
    rows.sort(key=lambda r: (r["note"] is not None, -r["likeness"], -r["count"]))  # type: ignore[operator]  # likeness and count are numbers in rows built just above
    return rows[:limit]


@dataclass
class _Others:
    """What belongs to people and cases other than the name asked about."""

    owner: dict[str, str] = field(default_factory=dict)  # a folded form → whose it is
    names: list[str] = field(default_factory=list)  # their names, for the parts they share

    def own(self, form: str, whose: str) -> None:
        self.owner.setdefault(fold_name(form), whose)

    def claim(self, real: str, form: str, stem: str | None) -> str | None:
        """Whose ``form`` may be besides ``real``'s, as a note, or None if only ``real``'s."""
        whose = self.owner.get(fold_name(form))
        if whose is not None:
            return f"another's: {whose}"
        if stem is not None:
            return None  # a place's stem is no person's surname
        part = _part(real, form)
        for other in self.names if part else ():
            if part in _parts(other):
                return f"ambiguous: {other} is also {part}"
        return None


def _others(project: Project, real: str, own: list[dict[str, object]],
            every_case: list[dict[str, object]]) -> _Others:
    """The names, aliases, pseudonyms and linked speaker labels of every other case and
    listed name (an entry's variants are its own)."""
    from fieldcase.store import pseudonyms

    others = _Others()
    own_names = {str(c["name"]) for c in own} | {real}
    for case in every_case:
        if case["name"] in own_names:
            continue
        others.own(str(case["name"]), f"the case {case['name']}")
        aliases = [str(a) for a in case["aliases"]]  # type: ignore[attr-defined]  # a case's aliases are a list (cases.list_all)
        for alias in aliases:
            others.own(alias, f"an alias of case {case['name']}")
        others.names += [str(case["name"]), *aliases]
    rows = pseudonyms.list_all(project)
    root = {r["real"]: r["variant_of_real"] or r["real"] for r in rows}
    mine = root.get(pseudonyms.canonical(real), pseudonyms.canonical(real))
    for row in rows:
        if root[row["real"]] == mine:
            continue
        listed = pseudonyms.label_of(row["real"]) or row["real"]
        others.own(listed, f"listed for {root[row['real']]}")
        others.own(row["pseudonym"], f"the pseudonym of {root[row['real']]}")
        if pseudonyms.label_of(row["real"]) is None:
            others.names.append(row["real"])
    for label, named in pseudonyms.speaker_cases(project).items():
        if named - own_names:
            others.own(label, f"a speaker label of case {', '.join(sorted(named - own_names))}")
    return others


def _parts(name: str) -> set[str]:
    """The parts of a personal name a variant is built on: surname and given name (and the
    given name's last character), or a Latin name's words."""
    if _is_han(name) and 2 <= len(name) <= 4 and han_stem(name) is None:
        return {name[0], name[1:], name[-1]}
    return {fold_name(p) for p in name.split() if len(p) > 1} if not any(is_han(c) for c in name) else set()


def _part(real: str, form: str) -> str | None:
    """The part of ``real`` that ``form`` is built on (李 of 老李 for 李玲), if any."""
    if _is_han(real):
        candidates = [real[0], real[1:], real[-1]]
    else:
        candidates = [fold_name(p) for p in real.split() if len(p) > 1]
    return next((p for p in candidates if p in _parts(real) and NameFinder([p]).find(form)), None)


@dataclass
class _Whereabouts:
    """The texts of the sources about the case a name stands for, and of the others."""

    real: str
    own_texts: list[str]
    other_texts: list[str]
    own_labels: dict[str, int]
    other_labels: dict[str, int]

    @classmethod
    def of(cls, project: Project, real: str, own: list[dict[str, object]]) -> _Whereabouts:
        from fieldcase.store import layers, pseudonyms, sources

        ids = {i for case in own for i in layers.sources_of_case(project, int(case["id"]))}  # type: ignore[call-overload]  # a case's id is an int (cases.list_all)
        texts = pseudonyms.texts_by_source(project) if ids else {}
        return cls(real, [t for i, t in texts.items() if i in ids], [t for i, t in texts.items() if i not in ids],
                   sources.speaker_labels(project, ids) if ids else {},
                   sources.speaker_labels(project, set(texts) - ids) if ids else {})

    def stray(self, form: str, label: bool) -> str | None:
        """A note when ``form`` stands only in sources not about the case (老李 in a village
        meeting, when 李玲's case is in another county): it may well be someone else."""
        if not self.own_texts:
            return None
        if label:
            here, there = self.own_labels.get(form, 0), self.other_labels.get(form, 0)
        else:
            here, there = _count(self.own_texts, form, self.real), _count(self.other_texts, form, self.real)
        if here or not there:
            return None
        return f"ambiguous: only in sources not about {self.real}"


def _is_han(text: str) -> bool:
    return bool(text) and all(is_han(c) for c in text)


def _texts(project: Project) -> list[str]:
    """The sources' texts and everything else a researcher wrote that exports print
    (memos, notes, titles, attribute values): a name in a memo needs its variants too."""
    from fieldcase.store import pseudonyms

    return [*pseudonyms.source_texts(project), *pseudonyms.free_texts(project)]


def _note(found: dict[str, _Candidate], form: str, count: int, where: str, *, label: bool = False) -> None:
    seen = found.setdefault(form, _Candidate())
    seen.count = max(seen.count, count)  # a label is in the text too
    seen.where.add(where)
    seen.label = seen.label or label


def _count(texts: list[str], form: str, real: str = "") -> int:
    """How often ``form`` stands in the texts, outside the full name (Li, not in Li Ling)."""
    finder, full = NameFinder([form]), NameFinder([real] if real else [])
    count = 0
    for text in texts:
        taken = [(h.start, h.end) for h in full.find(text)]
        count += sum(1 for h in finder.find(text) if not any(s < h.end and h.start < e for s, e in taken))
    return count


def _han_forms(real: str, texts: list[str], found: dict[str, _Candidate]) -> None:
    """老张 and 张书记 around the surname, 小军 and 军 of the given name, and the pinyin."""
    from pypinyin import lazy_pinyin

    surname, given = real[0], real[1:]
    forms: Counter[str] = Counter()
    finder = NameFinder([surname])
    for text in texts:
        for hit in finder.find(text):
            before = fold_name(text[hit.start - 1 : hit.start]) if hit.start else ""
            if before in PREFIXES:
                forms[before + surname] += 1
            after = fold_name(text[hit.end : hit.end + 2])
            for title in TITLES:
                if after.startswith(title):
                    forms[surname + title] += 1
    # 王阿姨, 张大伯: the rest of the name is a kinship word or title, not a given name
    is_title = given in TITLES or given.lstrip("".join(PREFIXES)) in TITLES
    for form in () if is_title else ("小" + given[-1], "阿" + given[-1]) + ((given,) if len(given) >= 2 else ()):
        forms[form] += _count(texts, form, real)
    forms[" ".join(s.capitalize() for s in lazy_pinyin(real))] += _count(texts, " ".join(lazy_pinyin(real)))
    for form, count in forms.items():
        if count:
            _note(found, form, count, "text")


def _latin_forms(real: str, texts: list[str], found: dict[str, _Candidate]) -> None:
    """Each part of a Latin name, alone and after Mr, Ms, Mrs."""
    from fieldcase.text.places import KINDS

    generic = {kind[0] for kind in KINDS} | {kind[2] for kind in KINDS}
    for part in (p for p in real.split() if len(p) > 1 and p.casefold() not in generic):
        for form in (part, f"Mr {part}", f"Mr. {part}", f"Ms {part}", f"Mrs {part}"):
            count = _count(texts, form, real)
            if count:
                _note(found, form, count, "text")


def _label_forms(real: str, labels: dict[str, int], found: dict[str, _Candidate]) -> None:
    """Speaker labels that name the person: a surname or given name alone (刘：, 霞：) as a
    label, and titled forms (刘总, 老刘, 霞姐) to replace anywhere."""
    if _is_han(real):
        alone = {real[0], real[1:]} | ({real[-1]} if len(real) >= 3 else set())
        parts = NameFinder([real[0], real[1:]])
    else:
        alone = {fold_name(p) for p in real.split()}
        parts = NameFinder(real.split())
    for label, turns in labels.items():
        if fold_name(label) in alone:
            _note(found, label, turns, "label", label=True)
        elif parts.find(label):
            _note(found, label, turns, "label")


def _alias_forms(real: str, named: list[dict[str, object]], found: dict[str, _Candidate]) -> None:
    """The other names a case goes by (its aliases) when the case is ``real`` or its pseudonym;
    an alias that is a surname or given name alone is a label."""
    alone = {real[0], real[1:]} if _is_han(real) else {fold_name(p) for p in real.split()}
    for case in named:
        for alias in case["aliases"]:  # type: ignore[attr-defined]  # a case's aliases are a list (cases.list_all)
            _note(found, alias, 0, "alias", label=fold_name(alias) in alone)


def _suggest(real: str, pseudonym: str, variant: str) -> str:
    """A pseudonym for a variant: the name's part in it replaced (老张 → 老H, 張书记 → H书记, 阿霞 → 阿L;
    夏木 of 夏木村 → 某 of 某村)."""
    stems = dict(bare_stem(real, pseudonym))
    if variant in stems:
        return stems[variant]
    if _is_han(real):
        for part in (real[0], real[1:], real[-1]):  # the surname, else the given name (阿霞 → 阿L)
            hits = NameFinder([part]).find(variant)
            if hits:
                return variant[: hits[0].start] + pseudonym + variant[hits[0].end :]
        return pseudonym
    for part in real.split():
        if NameFinder([part]).find(variant):
            return NameFinder([part]).replace(variant, lambda _: pseudonym)
    return pseudonym
