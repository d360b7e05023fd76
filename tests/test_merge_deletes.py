"""A delete on one side of what the other side changed or used settles the same whichever
way the merge runs: the same content, and a conflict of the same kind about the same row."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import INTERVIEW_TEXT
from test_merge import content

from fieldcase.exchange.merge import merge
from fieldcase.store import codes, codings, memos, sources
from fieldcase.store.merging import open_conflicts
from fieldcase.store.project import Project, init_project, open_project
from fieldcase.store.texts import replace_text

Work = Callable[[Project, int], None]


def _coding(project: Project, quote: str) -> int:
    return next(r["id"] for r in project.query("SELECT id, quote FROM codings") if r["quote"] == quote)


def _code_gone(p: Project, s: int) -> None:
    codes.delete(p, "land")


def _code_renamed(p: Project, s: int) -> None:
    codes.update(p, "land", {"name_zh": "土地问题"})


def _code_used(p: Project, s: int) -> None:
    codings.add(p, s, "land", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))


def _child_code(p: Project, s: int) -> None:
    codes.add(p, key="land.rent", name_zh="租地", parent="land")


def _coding_gone(p: Project, s: int) -> None:
    codings.remove(p, _coding(p, "土地流转"))


def _coding_noted(p: Project, s: int) -> None:
    codings.set_memo(p, _coding(p, "土地流转"), "流转的面积？")


def _coding_memo(p: Project, s: int) -> None:
    memos.add(p, "coding", _coding(p, "土地流转"), "who decided", title="on the coding")


def _source_gone(p: Project, s: int) -> None:
    sources.delete(p, s)


def _source_coded(p: Project, s: int) -> None:
    codings.add(p, s, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))


def _source_edited(p: Project, s: int) -> None:
    replace_text(p, s, "补充。" + INTERVIEW_TEXT)


def _source_renamed(p: Project, s: int) -> None:
    sources.update(p, s, {"title": "刘霞访谈（二）"})


def _memo_gone(p: Project, s: int) -> None:
    memos.delete(p, next(r["id"] for r in p.query("SELECT id FROM memos WHERE title = 'base memo'")))


def _memo_edited(p: Project, s: int) -> None:
    memos.update(p, next(r["id"] for r in p.query("SELECT id FROM memos WHERE title = 'base memo'")), body="改过")


PAIRS = {
    "code deleted / renamed": (_code_gone, _code_renamed),
    "code deleted / used": (_code_gone, _code_used),
    "code deleted / child added": (_code_gone, _child_code),
    "coding deleted / noted": (_coding_gone, _coding_noted),
    "coding deleted / memo written on it": (_coding_gone, _coding_memo),
    "source deleted / coded": (_source_gone, _source_coded),
    "source deleted / text edited": (_source_gone, _source_edited),
    "source deleted / retitled": (_source_gone, _source_renamed),
    "memo deleted / edited": (_memo_gone, _memo_edited),
}


def _copy(path: Path, to: Path) -> None:
    for suffix in ("", "-wal"):
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", f"{to}{suffix}")


def _conflicts(project: Project) -> list[tuple[str, str, str, str]]:
    return sorted((c["table_name"], c["row_uuid"], c["field"], c["what"]) for c in open_conflicts(project))


@pytest.mark.parametrize("pair", PAIRS)
def test_a_delete_against_a_change_settles_the_same_in_both_orders(tmp_path, pair):
    deleting, changing = PAIRS[pair]
    base = init_project(tmp_path / "base.fieldcase", user="lead")
    source = sources.add(base, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    codings.add(base, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    memos.add(base, "source", source, "base body", title="base memo")
    base.close()
    for name in ("a", "b"):
        shutil.copyfile(tmp_path / "base.fieldcase", tmp_path / f"{name}.fieldcase")
    with open_project(tmp_path / "a.fieldcase", user="zhao") as a:
        deleting(a, source)
    with open_project(tmp_path / "b.fieldcase", user="qian") as b:
        changing(b, source)
    _copy(tmp_path / "a.fieldcase", tmp_path / "a2.fieldcase")
    _copy(tmp_path / "b.fieldcase", tmp_path / "b2.fieldcase")
    with open_project(tmp_path / "a.fieldcase", user="zhao") as a, \
            open_project(tmp_path / "b2.fieldcase", user="qian") as b2:
        into_a = merge(a, tmp_path / "b.fieldcase")
        into_b = merge(b2, tmp_path / "a2.fieldcase")
        assert content(a) == content(b2)
        assert _conflicts(a) == _conflicts(b2)
        for report in (into_a, into_b):
            assert report.conflicts and {c["what"] for c in report.conflicts} == {"delete"}
        # seen from the other side, mine and theirs swap
        def by_row(project: Project) -> list[dict]:
            return sorted(open_conflicts(project), key=lambda c: (c["table_name"], c["row_uuid"]))

        for one, other in zip(by_row(a), by_row(b2)):
            assert (one["mine"], one["theirs"]) == (other["theirs"], other["mine"])
            assert one["mine"] == '"deleted"' and one["theirs"] in ('"changed"', '"used"')


def test_keeping_the_delete_settles_the_same_from_either_side(tmp_path):
    from fieldcase.exchange.conflicts import settle

    base = init_project(tmp_path / "base.fieldcase", user="lead")
    codes.add(base, key="rent", name_zh="租地")
    base.close()
    for name in ("a", "b"):
        shutil.copyfile(tmp_path / "base.fieldcase", tmp_path / f"{name}.fieldcase")
    with open_project(tmp_path / "a.fieldcase", user="zhao") as a:
        codes.delete(a, "rent")
    with open_project(tmp_path / "b.fieldcase", user="qian") as b:
        codes.update(b, "rent", {"name_zh": "土地出租"})
    _copy(tmp_path / "a.fieldcase", tmp_path / "a2.fieldcase")
    with open_project(tmp_path / "a.fieldcase", user="zhao") as a, \
            open_project(tmp_path / "b.fieldcase", user="qian") as b:
        merge(a, tmp_path / "b.fieldcase")
        merge(b, tmp_path / "a2.fieldcase")
        assert content(a) == content(b) and "rent" in {k for k, _ in content(a)["codes"]}
        settle(a, open_conflicts(a)[0]["id"], "mine")  # a deleted it
        settle(b, open_conflicts(b)[0]["id"], "theirs")  # …which b's theirs is
        assert content(a) == content(b) and "rent" not in {k for k, _ in content(a)["codes"]}
