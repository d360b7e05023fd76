"""The codebook tree: add, rename, move, reorder, merge, delete, counts."""

from __future__ import annotations

import pytest

from conftest import count
from fieldcase.errors import AmbiguousError, InputError, NotFoundError
from fieldcase.store import codes, codings


def keys(project):
    return [(n["key"], n["depth"]) for n in codes.tree(project)]


def test_add_with_one_or_two_names_and_generated_keys(project):
    codes.add(project, name="新乡贤")
    codes.add(project, name="Return motives")
    codes.add(project, name="Push", parent="return-motives")
    codes.add(project, name_zh="土地", name_en="Land", key="integration.land")
    assert keys(project) == [
        ("xinxiangxian", 0),
        ("return-motives", 0),
        ("return-motives.push", 1),
        ("integration.land", 0),
    ]
    assert codes.find(project, "新乡贤")["name_en"] is None
    assert codes.find(project, "land")["key"] == "integration.land"
    assert codes.find(project, "土地")["name_en"] == "Land"


def test_bad_keys_and_duplicates_are_refused(project):
    codes.add(project, name="Land", key="land")
    with pytest.raises(InputError, match="already used"):
        codes.add(project, name="Other", key="land")
    with pytest.raises(InputError, match="ASCII"):
        codes.add(project, name="x", key="土地")
    with pytest.raises(InputError, match="needs a Chinese or an English name"):
        codes.add(project)
    assert codes.add(project, name="Land")["key"] == "land-2"
    assert codes.find(project, "Land")["key"] == "land"  # a key wins over names
    codes.add(project, name="土地", key="a")
    codes.add(project, name="土地", key="b")
    with pytest.raises(AmbiguousError, match="2 codes are named '土地'; use a key: a, b"):
        codes.find(project, "土地")
    with pytest.raises(NotFoundError):
        codes.find(project, "nothing")


def test_rename_keeps_key(project):
    codes.add(project, name="Land", key="land")
    row = codes.update(project, "land", {"name_zh": "土地要素"})
    assert (row["key"], row["name_zh"], row["name_en"]) == ("land", "土地要素", "Land")
    with pytest.raises(InputError, match="must keep"):
        codes.update(project, "land", {"name_zh": "", "name_en": ""})


def test_move_and_reorder(project):
    for name in ("A", "B", "C"):
        codes.add(project, name=name)
    codes.move(project, "c", "a")
    assert keys(project) == [("a", 0), ("c", 1), ("b", 0)]
    with pytest.raises(InputError, match="under itself"):
        codes.move(project, "a", "c")
    codes.reorder(project, "b", 1)
    assert keys(project) == [("b", 0), ("a", 0), ("c", 1)]
    codes.move(project, "c", None)
    assert keys(project) == [("b", 0), ("a", 0), ("c", 0)]


def test_merge_moves_codings_children_memos_and_collapses_duplicates(coded):
    project, source = coded
    from fieldcase.store import memos

    codes.add(project, name="Land use", key="landuse", keywords=["宅基地"])
    codes.add(project, name="Leases", parent="landuse")
    same_span = codings.locate_quote(codings.sources.find(project, source)["text"], "土地流转")
    codings.add(project, source, "land", *same_span, memo="first")
    codings.add(project, source, "landuse", *same_span, memo="second")
    codings.add(project, source, "landuse", 0, 3)
    memos.add(project, "code", "landuse", "a memo on the merged code")
    stats = codes.merge(project, "landuse", "land")
    assert stats == {"moved": 1, "collapsed": 1, "children": 1}
    land = codes.find(project, "land")
    assert land["keywords"] == '["土地流转", "宅基地"]'
    rows = codings.query(project, code="land")
    assert len(rows) == 2 and rows[1]["memo"] == "first\nsecond"
    assert memos.list_all(project, "code", "land")[0]["body"] == "a memo on the merged code"
    assert [n["key"] for n in codes.tree(project) if n["parent_key"] == "land"] == ["landuse.leases"]
    with pytest.raises(NotFoundError):
        codes.find(project, "landuse")


def test_delete_reports_and_removes_subtree_codings_and_memos(coded):
    project, source = coded
    from fieldcase.store import memos

    coding, _ = codings.add(project, source, "talent.motive", 0, 5)
    memos.add(project, "coding", coding["id"], "why here")
    memos.add(project, "code", "talent", "about the dimension")
    assert codes.impact(project, "talent") == {"codes": 2, "codings": 1, "memos": 2, "drafts": 0}
    assert codes.delete(project, "talent") == {"codes": 2, "codings": 1, "memos": 2, "drafts": 0}
    assert count(project, "codings") == 0 and count(project, "memos") == 0
    assert keys(project) == [("land", 0)]


def test_tree_counts_codings_sources_and_cases(coded):
    project, source = coded
    from fieldcase.store import cases, sources

    cases.add(project, "H")
    sources.link(project, source, ["H"])
    codings.add(project, source, "talent.motive", 0, 5)
    codings.add(project, source, "talent.motive", 10, 20)
    codings.add(project, source, "talent", 10, 20)
    nodes = {n["key"]: n for n in codes.tree(project)}
    assert (nodes["talent.motive"]["codings"], nodes["talent.motive"]["sources"]) == (2, 1)
    # [0, 5) is the interviewer's turn, [10, 20) runs into H's: the codes reach H once
    reached = codings.cases_per_code(project)
    assert reached[nodes["talent.motive"]["id"]] == 1 and nodes["land"]["id"] not in reached
    assert nodes["talent"]["codings"] == 1 and nodes["talent"]["total_codings"] == 3
    assert nodes["land"]["codings"] == 0


def test_names_of_only_punctuation_and_bad_colours_are_refused_blank_fields_cleared(project):
    with pytest.raises(InputError, match="not only '，'"):
        codes.add(project, name="，")
    code = codes.add(project, name="Networks", color="#abc", description="ties")
    assert code["color"] == "#AABBCC"
    with pytest.raises(InputError, match="#RRGGBB"):
        codes.update(project, "networks", {"color": "blue-ish"})
    with pytest.raises(InputError, match="not only"):
        codes.update(project, "networks", {"name_zh": "、。"})
    changed = codes.update(project, "networks", {"name_zh": " 关系网 ", "description": "  ", "color": "59a14f"})
    assert (changed["name_zh"], changed["description"], changed["color"]) == ("关系网", None, "#59A14F")
    with pytest.raises(InputError, match="keep a Chinese or an English name"):
        codes.update(project, "networks", {"name_zh": "", "name_en": ""})
    groups = count(project, "change_groups")
    codes.update(project, "networks", {"name_en": "Networks"})  # nothing changes: nothing logged
    assert count(project, "change_groups") == groups
