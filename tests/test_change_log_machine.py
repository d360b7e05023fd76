"""The change log under random work by two people: undo and redo give back exact states,
and ``fieldcase check`` finds nothing after any step.

A Hypothesis state machine adds, removes, merges, edits, undoes and redoes, as ``tester``
and ``li`` on two connections to one file, and keeps a model of each change: the project's
rows before and after it, and whether it is in effect. Undo is checked against the rows
before the change it reverses whenever no change still in effect came after that change
(otherwise a colleague's later work may rightly stop it), and redo against the rows after.
Every logged kind of change has a rule (coding memos, moving, renaming and recolouring codes,
source and case edits, attributes, speakers, pseudonyms and the glossary among them), and a
work rule may at once undo and redo the change it made, so that each kind is stepped back
exactly; a write that logs nothing must change nothing. Each example starts from a prepared
project file, copied, so no example pays for a new one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from conftest import INTERVIEW_TEXT, write
from fieldcase.errors import FieldcaseError, InputError
from fieldcase.coding.colours import PALETTE
from fieldcase.store import attributes, cases, checks, codes, codings, history, memos, pseudonyms, sites, sources
from fieldcase.store import speakers, words
from fieldcase.store.project import Project, init_project, open_project
from fieldcase.store.texts import replace_text

USERS = ("tester", "li")
NAMES = ("X village", "Y village", "张大伯", "H", "合作社", "land", "土地")
# Everything a person makes; the change log (with the earlier texts it keeps), the search
# index and caches derived from texts aside.
UNDERIVED = ("attributes", "case_attribute_values", "cases", "codes", "codings", "drafts", "glossary", "memos",
             "pseudonyms", "site_attribute_values", "sites", "source_attribute_values", "source_cases",
             "sources", "speakers")
STAMPS = ("modified_at", "modified_by")

# What can be removed: which rows, and how.
REMOVALS: dict[str, tuple[str, Any]] = {
    "coding": ("SELECT id FROM codings WHERE status = 'active' ORDER BY id", codings.remove),
    "code": ("SELECT id FROM codes ORDER BY id", codes.delete),
    "memo": ("SELECT id FROM memos ORDER BY id", memos.delete),
    "source": ("SELECT id FROM sources ORDER BY id", sources.delete),
}

users = st.sampled_from(("tester", "tester", "tester", "li"))  # mostly one person: more exact steps back
names = st.sampled_from(NAMES)
picks = st.integers(0, 30)  # which of the current rows, modulo how many there are


def prepare(folder: Path) -> Path:
    """A project with two interviews, two codes, a coding, a memo, a pseudonym and a glossary
    term, made once and copied for each example (by someone else, so that neither person
    starts with anything to undo)."""
    from fieldcase.importers import import_paths

    path = folder / "template.fieldcase"
    with init_project(path, user="zhao", framework="none") as project:
        import_paths(project, [write(folder / "h.txt", INTERVIEW_TEXT),
                               write(folder / "z.txt", INTERVIEW_TEXT.replace("H：", "张：")[:90])])
        codes.add(project, key="land", name_zh="土地要素")
        codes.add(project, key="talent", name_en="Talent return")
        # one of each thing the rules edit or remove, so those rules start with something to work on
        codings.add(project, 1, "land", 30, 34, memo="土地")
        memos.add(project, "code", "land", "土地流转")
        pseudonyms.add(project, "张大伯", "A先生")
        words.add(project, "土地流转")
    return path


def rows(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row a person made, without modification stamps, in a stable order."""
    state = {}
    for table in UNDERIVED:
        found = project.query(f"SELECT * FROM {table}")
        state[table] = sorted((tuple(sorted((k, v) for k, v in r.items() if k not in STAMPS)) for r in found),
                              key=repr)
    return state


def work_rule(**given: Any) -> Callable[[Callable[..., None]], Any]:
    """A rule that does work; with ``back`` drawn true, the same person at once undoes it and
    redoes it, so that each kind of change is stepped back and forth exactly, not only when
    the random undo happens to come right after it."""

    def wrap(action: Callable[..., None]) -> Any:
        def run(self: ChangeLog, back: bool, **kwargs: Any) -> None:
            self.back = back
            try:
                action(self, **kwargs)
            finally:
                self.back = False

        run.__name__ = run.__qualname__ = action.__name__
        run.__doc__ = action.__doc__
        return rule(back=st.booleans(), **given)(run)

    return wrap


@dataclass
class Change:
    """One change in the model: whose, its group, the rows around it, and whether in effect."""

    user: str
    group: int
    before: dict[str, list[tuple[Any, ...]]]
    after: dict[str, list[tuple[Any, ...]]]
    in_effect: bool = True
    undone_by: int = 0  # the group of the undo that took it back, while undone


class ChangeLog(RuleBasedStateMachine):
    """Random work on one project file by two people, against a model of their changes."""

    def __init__(self, template: Path, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        shutil.copy(template, folder / "p.fieldcase")
        # no sync to disk at each commit: nothing here is about power cuts
        self.projects = {user: open_project(folder / "p.fieldcase", user=user, durable=False) for user in USERS}
        self.changes: list[Change] = []
        self.redoable: dict[str, list[Change]] = {user: [] for user in USERS}
        self.back = False  # set by a work rule: step the change just made back and forth

    def teardown(self) -> None:
        for project in self.projects.values():
            project.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()

    # -- reading the project ------------------------------------------------------------

    @property
    def any_project(self) -> Project:
        return self.projects["tester"]

    def newest_group(self) -> int:
        return self.any_project.conn.execute("SELECT coalesce(max(id), 0) FROM change_groups").fetchone()[0]

    def pick(self, sql: str, index: int) -> Any:
        """The ``index``-th (modulo) value of a one-column query, or None when there is none."""
        found = [r[0] for r in self.any_project.conn.execute(sql)]
        return found[index % len(found)] if found else None

    # -- doing work ---------------------------------------------------------------------

    def work(self, user: str, action: Any) -> None:
        """Do ``action`` as ``user``: a refusal leaves every row as it was; a change is modelled
        and ends that person's redo."""
        before, newest = rows(self.any_project), self.newest_group()
        try:
            action(self.projects[user])
        except FieldcaseError:
            assert rows(self.any_project) == before and self.newest_group() == newest
            event("work: refused")
            return
        if self.newest_group() == newest:  # nothing logged: nothing may have changed
            assert rows(self.any_project) == before, "a write left no trace in the change log"
            event("work: nothing to change")
            return
        event("work: a change")
        self.changes.append(Change(user, self.newest_group(), before, rows(self.any_project)))
        self.redoable[user] = []
        if self.back:
            event("work: stepped back and forth at once")
            self.undo_once(user)
            self.redo_once(user)

    @work_rule(user=users, name=names)
    def add_site(self, user: str, name: str) -> None:
        self.work(user, lambda p: sites.add(p, name))

    @work_rule(user=users, name=names, site=picks)
    def add_case(self, user: str, name: str, site: int) -> None:
        in_site = self.pick("SELECT id FROM sites ORDER BY id", site) if site % 2 else None
        self.work(user, lambda p: cases.add(p, name, site=in_site))

    @work_rule(user=users, name=names, parent=picks)
    def add_code(self, user: str, name: str, parent: int) -> None:
        under = self.pick("SELECT id FROM codes ORDER BY id", parent) if parent % 3 == 0 else None
        self.work(user, lambda p: codes.add(p, name=name, parent=under))

    @work_rule(user=users, source=picks, code=picks, start=st.integers(0, 80), length=st.integers(1, 20))
    def add_coding(self, user: str, source: int, code: int, start: int, length: int) -> None:
        source_id = self.pick("SELECT id FROM sources ORDER BY id", source)
        code_id = self.pick("SELECT id FROM codes ORDER BY id", code)
        if source_id is None or code_id is None:
            return
        self.work(user, lambda p: codings.add(p, source_id, code_id, start, start + length))

    @work_rule(user=users, kind=st.sampled_from(["code", "coding", "source", "case"]), which=picks, body=names)
    def add_memo(self, user: str, kind: str, which: int, body: str) -> None:
        target_id = self.pick(f"SELECT id FROM {kind}s ORDER BY id", which)
        if target_id is not None:
            self.work(user, lambda p: memos.add(p, kind, target_id, body))

    @work_rule(user=users, kind=st.sampled_from(sorted(REMOVALS)), which=picks)
    def remove(self, user: str, kind: str, which: int) -> None:
        query, removal = REMOVALS[kind]
        row_id = self.pick(query, which)
        if row_id is not None:
            self.work(user, lambda p: removal(p, row_id))

    @work_rule(user=users, one=picks, other=picks)
    def merge_codes(self, user: str, one: int, other: int) -> None:
        ref = self.pick("SELECT id FROM codes ORDER BY id", one)
        into = self.pick("SELECT id FROM codes ORDER BY id", other)
        if ref is not None and into is not None:
            self.work(user, lambda p: codes.merge(p, ref, into))

    @work_rule(user=users, which=picks, at=st.integers(0, 200), cut=st.integers(0, 12),
               put=st.text(alphabet="村民土地流转，。\n", max_size=6))
    def edit_text(self, user: str, which: int, at: int, cut: int, put: str) -> None:
        source_id = self.pick("SELECT id FROM sources ORDER BY id", which)
        if source_id is None:
            return
        text = sources.find(self.any_project, source_id)["text"]
        at %= len(text) + 1
        self.work(user, lambda p: replace_text(p, source_id, text[:at] + put + text[at + cut:]))

    # -- editing what is there ----------------------------------------------------------

    @work_rule(user=users, which=picks, memo=st.one_of(st.none(), names))
    def set_coding_memo(self, user: str, which: int, memo: str | None) -> None:
        coding_id = self.pick("SELECT id FROM codings ORDER BY id", which)
        if coding_id is not None:
            self.work(user, lambda p: codings.set_memo(p, coding_id, memo))

    @work_rule(user=users, which=picks, start=st.integers(0, 120), length=st.integers(1, 20))
    def reanchor_coding(self, user: str, which: int, start: int, length: int) -> None:
        coding_id = self.pick("SELECT id FROM codings ORDER BY id", which)
        if coding_id is not None:
            self.work(user, lambda p: codings.reanchor(p, coding_id, start, start + length))

    @work_rule(user=users, which=picks, parent=picks)
    def move_code(self, user: str, which: int, parent: int) -> None:
        code_id = self.pick("SELECT id FROM codes ORDER BY id", which)
        under = self.pick("SELECT id FROM codes ORDER BY id", parent) if parent % 4 else None
        if code_id is not None:
            self.work(user, lambda p: codes.move(p, code_id, under))

    @work_rule(user=users, which=picks, position=st.integers(1, 4))
    def reorder_code(self, user: str, which: int, position: int) -> None:
        code_id = self.pick("SELECT id FROM codes ORDER BY id", which)
        if code_id is not None:
            self.work(user, lambda p: codes.reorder(p, code_id, position))

    def edit_code(self, user: str, which: int, fields: dict[str, Any]) -> None:
        code_id = self.pick("SELECT id FROM codes ORDER BY id", which)
        if code_id is not None:
            self.work(user, lambda p: codes.update(p, code_id, fields))

    @work_rule(user=users, which=picks, language=st.sampled_from(["name_zh", "name_en"]), name=names)
    def rename_code(self, user: str, which: int, language: str, name: str) -> None:
        self.edit_code(user, which, {language: name})

    @work_rule(user=users, which=picks, colour=st.sampled_from(PALETTE[:4]))
    def recolour_code(self, user: str, which: int, colour: str) -> None:
        self.edit_code(user, which, {"color": colour})

    @work_rule(user=users, which=picks, field=st.sampled_from(["description", "keywords"]), value=names)
    def describe_code(self, user: str, which: int, field: str, value: str) -> None:
        self.edit_code(user, which, {field: [value] if field == "keywords" else value})

    @work_rule(user=users, which=picks, field=st.sampled_from(["title", "place", "kind", "date", "consent"]),
               value=st.sampled_from(["observation", "2024-05", "oral", "", *NAMES]))
    def update_source(self, user: str, which: int, field: str, value: str) -> None:
        source_id = self.pick("SELECT id FROM sources ORDER BY id", which)
        if source_id is not None:
            self.work(user, lambda p: sources.update(p, source_id, {field: value}))

    @work_rule(user=users, source=picks, case=picks, unlink=st.booleans())
    def link_source(self, user: str, source: int, case: int, unlink: bool) -> None:
        source_id = self.pick("SELECT id FROM sources ORDER BY id", source)
        case_id = self.pick("SELECT id FROM cases ORDER BY id", case)
        if source_id is not None and case_id is not None:
            self.work(user, lambda p: sources.link(p, source_id, [str(case_id)], unlink=unlink))

    @work_rule(user=users, which=picks, field=st.sampled_from(["name", "kind", "notes", "aliases"]), value=names)
    def update_case(self, user: str, which: int, field: str, value: str) -> None:
        case_id = self.pick("SELECT id FROM cases ORDER BY id", which)
        given: Any = {"kind": "household", "aliases": [value]}.get(field, value)
        if case_id is not None:
            self.work(user, lambda p: cases.update(p, case_id, {field: given}))

    @work_rule(user=users, which=picks, body=names)
    def update_memo(self, user: str, which: int, body: str) -> None:
        memo_id = self.pick("SELECT id FROM memos ORDER BY id", which)
        if memo_id is not None:
            self.work(user, lambda p: memos.update(p, memo_id, body=body))

    @work_rule(user=users, owner=st.sampled_from(["site", "case", "source"]), which=picks,
               name=st.sampled_from(["age", "村"]), value=st.sampled_from(["", "42", "土地", "7"]))
    def set_attribute(self, user: str, owner: str, which: int, name: str, value: str) -> None:
        owner_id = self.pick(f"SELECT id FROM {owner}s ORDER BY id", which)
        if owner_id is not None:
            self.work(user, lambda p: attributes.set_values(p, owner, owner_id, {name: value}))

    @work_rule(user=users, which=picks, case=picks, how=st.sampled_from(["link", "unlink", "interviewer", "speaker"]))
    def decide_speaker(self, user: str, which: int, case: int, how: str) -> None:
        found = [tuple(r) for r in self.any_project.conn.execute(
            "SELECT source_id, label FROM speakers ORDER BY id")]
        case_id = self.pick("SELECT id FROM cases ORDER BY id", case)
        if not found or (how == "link" and case_id is None):
            return
        source_id, label = found[which % len(found)]
        act = {"link": lambda p: speakers.link(p, source_id, label, case_id),
               "unlink": lambda p: speakers.unlink(p, source_id, label),
               "interviewer": lambda p: speakers.set_role(p, source_id, label, "interviewer"),
               "speaker": lambda p: speakers.set_role(p, source_id, label, "speaker")}[how]
        self.work(user, act)

    @work_rule(user=users, real=st.sampled_from(("张大伯", *NAMES)), pseudonym=st.sampled_from(["A村", "B先生", "C社"]),
               how=st.sampled_from(["add", "edit", "remove"]))
    def pseudonym(self, user: str, real: str, pseudonym: str, how: str) -> None:
        act = {"add": lambda p: pseudonyms.add(p, real, pseudonym),
               "edit": lambda p: pseudonyms.edit(p, real, pseudonym=pseudonym),
               "remove": lambda p: pseudonyms.remove(p, real)}[how]
        self.work(user, act)

    @work_rule(user=users, term=names, add=st.booleans())
    def glossary(self, user: str, term: str, add: bool) -> None:
        term = "土地流转" if term == "土地" else term
        self.work(user, lambda p: (words.add if add else words.remove)(p, term))

    # -- undo and redo ------------------------------------------------------------------

    def settled_since(self, group: int) -> bool:
        """Whether no change after ``group`` is still in effect: nothing can be in the way, so
        a step back from the rows the model expects must land exactly."""
        return not any(c.in_effect and c.group > group for c in self.changes)

    @rule(user=users, times=st.integers(1, 3))
    def undo(self, user: str, times: int) -> None:
        for _ in range(times):
            self.undo_once(user)

    @rule(user=users, times=st.integers(1, 3))
    def redo(self, user: str, times: int) -> None:
        for _ in range(times):
            self.redo_once(user)

    @rule(user=users, moves=st.lists(st.sampled_from(["undo", "redo"]), min_size=2, max_size=6))
    def step_back_and_forth(self, user: str, moves: list[str]) -> None:
        for move in moves:
            (self.undo_once if move == "undo" else self.redo_once)(user)

    def undo_once(self, user: str) -> None:
        """Undo as ``user``: the model names the change it must take back, and when nothing
        came after that change, the rows must be exactly those before it."""
        mine = [c for c in self.changes if c.user == user and c.in_effect]
        target = mine[-1] if mine else None
        if self.stepped(user, "undo", target, target and (target.group, target.after, target.before)):
            assert target is not None
            target.in_effect, target.undone_by = False, self.newest_group()
            self.redoable[user].append(target)

    def redo_once(self, user: str) -> None:
        """Redo as ``user``: the change most recently undone comes back, exactly when nothing
        came after the undo."""
        target = self.redoable[user][-1] if self.redoable[user] else None
        if self.stepped(user, "redo", target, target and (target.undone_by, target.before, target.after)):
            assert target is not None
            target.in_effect, target.undone_by = True, 0
            self.redoable[user].pop()

    def stepped(self, user: str, verb: str, target: Change | None, expected: Any) -> bool:
        """Undo or redo (``verb``) as ``user``; whether it was done. Without a ``target`` it
        must be refused; with one, ``expected`` is (the group after which nothing may be in
        effect, the rows it must start from, the rows it must end with) for an exact step."""
        now = rows(self.any_project)
        step = history.undo if verb == "undo" else history.redo
        if target is None:
            try:
                step(self.projects[user])
            except InputError as err:
                assert f"nothing to {verb}" in str(err)
            else:
                raise AssertionError(f"{verb} did something the model says it cannot")
            assert rows(self.any_project) == now
            return False
        since, start, end = expected
        exact = self.settled_since(since) and now == start
        try:
            done = step(self.projects[user])
        except InputError:
            assert not exact, f"{verb} refused although nothing came after what it steps back from"
            assert rows(self.any_project) == now
            event(f"{verb}: refused for a colleague's later work")
            return False
        event(f"{verb}: " + ("exact" if exact else "past a colleague's later work"))
        assert done["id"] == target.group
        if exact:
            assert rows(self.any_project) == end
        return True

    # -- what always holds --------------------------------------------------------------

    @invariant()
    def check_finds_nothing(self) -> None:
        report = checks.run(self.any_project)
        assert report.clean, [f.line() for f in report.findings]


def test_undo_and_redo_give_back_exact_states_under_random_work(tmp_path_factory):
    template = prepare(tmp_path_factory.mktemp("template"))
    folder = tmp_path_factory.mktemp("machine")
    run_state_machine_as_test(
        lambda: ChangeLog(template, folder),
        # 25 steps an example, a seventh of the profile's examples: some 15 s, more under "stress"
        settings=settings(max_examples=max(10, settings().max_examples // 7), stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )
