"""Who speaks in a source, and whose case a coded span belongs to.

A speaker label (``H``, ``王阿姨``, ``答``) may stand for a case. A coding that lies inside
one speaker turn belongs to that speaker's case; one across turns belongs to the cases of
the speakers whose turns it takes in (as NVivo counts a reference that meets several
speakers' case coverage); one that reaches outside every turn (a field note, a preamble)
belongs to the cases of its source. The interviewer's turns and the turns of a speaker not
linked to any case belong to no case.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from fieldcase.text.spellings import is_han
from fieldcase.text.turns import is_interviewer

INTERVIEWER = "interviewer"
SPEAKER = "speaker"
ROLES = (INTERVIEWER, SPEAKER)

# Why a coding counts for the cases it counts for.
BY_SPEAKER = "speaker"  # inside one turn of a speaker linked to a case
BY_SPEAKERS = "speakers"  # across turns: the cases of the speakers whose turns it takes in
BY_SOURCE = "source"  # reaching outside turns: the source's cases
BY_INTERVIEWER = "interviewer"  # inside one of the interviewer's turns: no case
BY_UNLINKED = "unlinked"  # inside the turn of a speaker linked to no case: no case

# Labels that name a role, not a person: the interviewee of a one-person interview.
_ANSWER_WORDS = frozenset({"答", "回答", "受访者", "被访者", "被访谈者", "a", "answer", "interviewee",
                           "respondent", "informant", "participant"})
# Words that make a case name a group of people: 张大伯 household → 张大伯.
_GROUP_SUFFIX = re.compile(
    r"(?:[\s\u3000]*(?:household|family|home|一家|家庭|家|户|夫妇))+$", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[,，、;；/]|\s+and\s+|\s*和\s*")


class CaseRef(NamedTuple):
    """A case as speaker linking sees it: its id, name, the other names it goes by, kind."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "person"


@dataclass(frozen=True)
class Speaker:
    """A label of one source, its role and the case it stands for (if any)."""

    label: str
    role: str = SPEAKER
    case_id: int | None = None


class Attribution(NamedTuple):
    """The cases a coded span counts for, why (one of the ``BY_*`` words), the label of its
    turn (inside one), and the label of its first turn when it runs across turns from
    inside that turn's words (a quote then reads ``王阿姨：…`` so that its first words have
    a speaker)."""

    case_ids: tuple[int, ...]
    basis: str
    speaker: str | None = None
    opened_by: str | None = None


def fold_name(text: str) -> str:
    """A name as compared for linking: width and case folded, spaces removed."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def is_answer_label(label: str) -> bool:
    """Whether a label names the interviewee's role (答, A, 受访者, 受訪者) rather than a person."""
    from fieldcase.text.fold import variant_table

    return fold_name(label).translate(variant_table()).rstrip("0123456789") in _ANSWER_WORDS


def names_of(case: CaseRef) -> set[str]:
    """Every folded name a case is known by: its name, aliases, and its name without a
    household word (张大伯 household, 王阿姨家 → 张大伯, 王阿姨)."""
    names = {fold_name(case.name)} | {fold_name(a) for a in case.aliases if a.strip()}
    bare = _GROUP_SUFFIX.sub("", case.name).strip()
    if bare and bare != case.name:
        names.add(fold_name(bare))
    names.discard("")
    return names


def interviewer_names(interviewer: str | None) -> set[str]:
    """Folded labels the header's interviewer may speak under: each name, and the surname
    alone of a Chinese name (赵明 → 赵明, 赵)."""
    names: set[str] = set()
    for part in _SEPARATORS.split(interviewer or ""):
        part = part.strip()
        if not part:
            continue
        names.add(fold_name(part))
        if 2 <= len(part) <= 4 and all(is_han(c) for c in part):
            names.add(part[0])
    return names


def propose(
    labels: Iterable[str],
    *,
    interviewer: str | None = None,
    source_cases: Sequence[CaseRef] = (),
    site_cases: Sequence[CaseRef] = (),
    other_cases: Sequence[CaseRef] = (),
    decided: Mapping[str, Speaker] | None = None,
) -> dict[str, Speaker]:
    """Roles and case links for the labels of a newly stored source.

    Interviewer words (问, 访谈者, Q) and the header's interviewer are the interviewer.
    A label equal to a name or alias of one of the source's cases links to it, else of
    exactly one case of the source's site, else of exactly one other case. A source linked to one case,
    with one interviewee left unlinked, links that label (答, A, the unnamed one) to it.
    ``decided`` labels keep what the researcher said and count as they stand.
    """
    asking = interviewer_names(interviewer)
    decided = decided or {}
    out: dict[str, Speaker] = {}
    for label in dict.fromkeys(labels):
        if label in decided:
            out[label] = decided[label]
            continue
        if is_interviewer(label) or fold_name(label) in asking:
            out[label] = Speaker(label, INTERVIEWER)
            continue
        out[label] = Speaker(label, SPEAKER, _match(label, source_cases, site_cases, other_cases))
    talking = [s for s in out.values() if s.role == SPEAKER]
    unlinked = [s for s in talking if s.case_id is None]
    linked_elsewhere = {s.case_id for s in talking if s.case_id is not None}
    people = [c for c in source_cases if c.kind == "person"]
    sole = source_cases[0] if len(source_cases) == 1 else people[0] if len(people) == 1 else None
    if sole is not None and len(talking) == 1 and unlinked and not linked_elsewhere \
            and unlinked[0].label not in decided:
        only = unlinked[0]
        out[only.label] = Speaker(only.label, SPEAKER, sole.id)
    return out


def _match(label: str, *groups: Sequence[CaseRef]) -> int | None:
    """The one case of the first group in which ``label`` names exactly one case."""
    folded = fold_name(label)
    for group in groups:
        hits = {c.id for c in group if folded in names_of(c)}
        if len(hits) == 1:
            return hits.pop()
        if hits:
            return None  # two cases go by this name: the researcher decides
    return None


def cited_speaker(label: str | None, basis: str, case_name: str | None) -> str:
    """Who a citation names as speaking: the speaker's case, the interviewer by role (never
    by name), or a label that names someone; nothing for 答, A and spans across turns."""
    if basis == BY_SPEAKER and case_name:
        return case_name
    if not label:
        return ""
    if basis == BY_INTERVIEWER:
        return _role_word(label)
    if is_answer_label(label) or is_interviewer(label):
        return ""
    return label


def _role_word(label: str) -> str:
    """The interviewer's role in the language of their label."""
    return "访谈者" if any(is_han(c) for c in label) else "Interviewer"


def shown_label(label: str, speaker: Speaker | None, case_name: str | None) -> str:
    """How a speaker label is printed inside a quote: the interviewer by role (问, Q, 赵 →
    访谈者), an answer label by the case it stands for (答 → H), a name as it is (王阿姨)."""
    if speaker is not None and speaker.role == INTERVIEWER:
        return _role_word(label)
    if case_name and is_answer_label(label):
        return case_name
    return label


class SourceSpeakers:
    """What attribution needs of one source: its turns, its speakers and its cases."""

    def __init__(self, turns: Sequence[Mapping[str, Any]], speakers: Mapping[str, Speaker],
                 case_ids: Sequence[int]) -> None:
        self._place([t["start"] for t in turns], [t["speech"] for t in turns], [t["speaker"] for t in turns],
                    speakers, case_ids)

    @classmethod
    def stored(cls, turns: Sequence[Sequence[Any]], speakers: Mapping[str, Speaker],
               case_ids: Sequence[int]) -> SourceSpeakers:
        """From turns as stored: ``[seq, speaker, start, speech, end, timestamp]`` lists."""
        made = cls.__new__(cls)
        # the columns in one pass (a source has hundreds of turns, an export reads every source's)
        _, labels, starts, speeches, *_ = zip(*turns) if turns else ((), (), (), ())
        made._place(starts, speeches, labels, speakers, case_ids)
        return made

    def _place(self, starts: Sequence[int], speeches: Sequence[int], labels: Sequence[str],
               speakers: Mapping[str, Speaker], case_ids: Sequence[int]) -> None:
        # held compactly (an export keeps every source's): offsets as machine integers, each
        # label one string however many turns it heads
        once: dict[str, str] = {}
        self.starts: Sequence[int] = array("q", starts)
        self.speeches: Sequence[int] = array("q", speeches)
        self.labels: Sequence[str] = tuple(map(once.setdefault, labels, labels))
        self.speakers = dict(speakers)
        self.case_ids = tuple(dict.fromkeys(case_ids))
        self._within: dict[str, Attribution] = {}  # a span inside a turn, by the turn's label

    def labels_within(self, start: int, end: int) -> list[tuple[int, int, Speaker]]:
        """The turns that begin inside ``[start, end)``: where their label starts, where
        their words start, and who speaks."""
        first = bisect_right(self.starts, start - 1)
        out = []
        for i in range(first, len(self.starts)):
            if self.starts[i] >= end:
                break
            label = self.labels[i]
            out.append((self.starts[i], self.speeches[i], self.speakers.get(label) or Speaker(label)))
        return out

    def attribute(self, start: int, end: int) -> Attribution:
        """The cases the span ``[start, end)`` counts for (``start`` and ``end`` at its words:
        the blank between turns belongs to no turn)."""
        starts = self.starts
        first = bisect_right(starts, start) - 1
        if first < 0:
            return Attribution(self.case_ids, BY_SOURCE)
        if first + 1 == len(starts) or end <= starts[first + 1]:  # inside one turn
            own = self.labels[first]
            inside = self._within.get(own)
            if inside is None:
                inside = self._within[own] = self._inside(own)
            return inside
        last = max(first, bisect_right(self.starts, max(start, end - 1)) - 1)
        looked_up = [self.speakers.get(self.labels[i]) for i in range(first, last + 1)]
        found = [s for s in looked_up if s is not None]
        label = self.labels[first] if first == last else None
        opened = self.labels[first] if first != last and start >= self.speeches[first] else None
        if len(found) < len(looked_up):  # a label never recorded: the source decides
            return Attribution(self.case_ids, BY_SOURCE, label, opened)
        case_ids = tuple(dict.fromkeys(s.case_id for s in found if s.case_id is not None and s.role == SPEAKER))
        if case_ids:
            return Attribution(case_ids, BY_SPEAKER if first == last else BY_SPEAKERS, label, opened)
        if all(s.role == INTERVIEWER for s in found):
            return Attribution((), BY_INTERVIEWER, label, opened)
        return Attribution((), BY_UNLINKED, label, opened)

    def _inside(self, label: str) -> Attribution:
        """What a span inside one turn of ``label`` counts for."""
        one = self.speakers.get(label)
        if one is None:
            return Attribution(self.case_ids, BY_SOURCE, label)
        if one.role == INTERVIEWER:
            return Attribution((), BY_INTERVIEWER, label)
        if one.case_id is None:
            return Attribution((), BY_UNLINKED, label)
        return Attribution((one.case_id,), BY_SPEAKER, label)
