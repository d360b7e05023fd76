"""Merging copies of a project: nothing lost, the same content either way, conflicts listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import INTERVIEW_TEXT
from fieldcase.exchange.merge import merge
from fieldcase.store import codes, codings, history, memos, sources
from fieldcase.store.merging import open_conflicts
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text
from fieldcase.text.normalize import normalize_text


@pytest.fixture
def copies(tmp_path: Path):
    """A base project with one coded interview, copied to two laptops (a, b)."""
    base = tmp_path / "base.fieldcase"
    project = init_project(base, user="lead")
    source = sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    project.close()
    paths = []
    for name, user in (("a", "zhao"), ("b", "qian")):
        path = tmp_path / f"{name}.fieldcase"
        shutil.copyfile(base, path)
        paths.append((path, user))
    opened = [open_project(p, user=u) for p, u in paths]
    yield opened
    for project in opened:
        project.close()


def content(project) -> dict[str, object]:
    """What a project holds, by lasting keys, without ids or stamps."""
    src = {r["id"]: r["uuid"] for r in project.query("SELECT id, uuid FROM sources")}
    code = {r["id"]: r["key"] for r in project.query("SELECT id, key FROM codes")}
    return {
        "sources": sorted((r["uuid"], r["title"], r["text_sha256"]) for r in project.query("SELECT * FROM sources")),
        "codes": sorted((r["key"], r["name_zh"]) for r in project.query("SELECT * FROM codes")),
        "codings": sorted((r["uuid"], src[r["source_id"]], code[r["code_id"]], r["start_offset"], r["end_offset"],
                           r["coder"], r["quote"], r["memo"]) for r in project.query("SELECT * FROM codings")),
        "memos": sorted((r["uuid"], r["title"], r["body"]) for r in project.query("SELECT * FROM memos")),
    }


def test_work_on_both_sides_comes_together_and_merging_again_adds_nothing(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    codings.add(a, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    codings.add(b, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    memos.add(b, "source", source, "two thirds of the village rent land out", title="rent")
    report = merge(a, b.path)
    assert report.added.get("codings") == 1 and not report.conflicts
    assert {r["quote"] for r in a.query("SELECT quote FROM codings")} == {"土地流转", "父母年纪也大了", "合作社"}
    again = merge(a, b.path)
    assert again.nothing, again
    merge(b, a.path)
    assert content(a) == content(b)


def test_a_text_edited_on_one_side_is_taken_and_the_other_sides_codings_move_with_it(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    new_text = "补充说明。" + INTERVIEW_TEXT
    replace_text(b, source, new_text)
    codings.add(a, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    merge(a, b.path)
    stored = sources.get(a, source)["text"]
    assert stored.startswith("补充说明。")
    for row in a.query("SELECT start_offset, end_offset, quote FROM codings"):
        assert stored[row["start_offset"]:row["end_offset"]] == row["quote"]
    assert {r["quote"] for r in a.query("SELECT quote FROM codings")} == {"土地流转", "父母年纪也大了"}


def test_a_text_edited_on_both_sides_in_the_same_place_is_a_conflict_and_theirs_is_kept(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    replace_text(a, source, "甲方补充。" + INTERVIEW_TEXT)
    replace_text(b, source, "乙方补充。" + INTERVIEW_TEXT)
    codings.add(b, source, "talent", *codings.locate_quote("乙方补充。" + INTERVIEW_TEXT, "父母年纪也大了"))
    report = merge(a, b.path)
    assert [c["what"] for c in report.conflicts] == ["text"] and report.merged_texts == 0
    assert sources.get(a, source)["text"].startswith("甲方补充。")
    theirs = a.query("SELECT text FROM text_versions WHERE text LIKE '%乙方补充%'")
    assert theirs, "their text is kept as a version"
    mine = sources.get(a, source)["text"]
    for row in a.query("SELECT start_offset, end_offset, quote FROM codings WHERE status = 'active'"):
        assert mine[row["start_offset"]:row["end_offset"]] == row["quote"]
    assert "父母年纪也大了" in {r["quote"] for r in a.query("SELECT quote FROM codings")}
    assert len(open_conflicts(a)) == 1
    assert merge(a, b.path).conflicts == []  # listed once


@pytest.mark.parametrize("first", ["a", "b"])
def test_corrections_in_different_places_on_both_sides_are_both_kept_and_every_coding_follows(copies, first):
    a, b = copies
    source = sources.all_ids(a)[0]
    # two transcript corrections, a character each, in different sentences (no spaces to split on)
    a_text = INTERVIEW_TEXT.replace("杭州", "温州")
    b_text = INTERVIEW_TEXT.replace("村民都来入股", "村民都来参股")
    replace_text(a, source, a_text)
    replace_text(b, source, b_text)
    codings.add(a, source, "talent", *codings.locate_quote(a_text, "温州的生意不好做"))
    codings.add(b, source, "talent", *codings.locate_quote(b_text, "村民都来参股"))
    mine, theirs = (a, b) if first == "a" else (b, a)
    report = merge(mine, theirs.path)
    assert report.conflicts == [] and report.merged_texts == 1
    both = normalize_text(INTERVIEW_TEXT.replace("杭州", "温州").replace("村民都来入股", "村民都来参股"))
    assert sources.get(mine, source)["text"] == both
    for row in mine.query("SELECT start_offset, end_offset, quote, status FROM codings"):
        assert row["status"] == "active" and both[row["start_offset"]:row["end_offset"]] == row["quote"]
    assert {r["quote"] for r in mine.query("SELECT quote FROM codings")} == {"土地流转", "温州的生意不好做", "村民都来参股"}
    assert mine.query("SELECT count(*) AS n FROM text_versions WHERE text = ?",
                      [sources.get(theirs, source)["text"]])[0]["n"] == 1  # their text is kept too
    merge(theirs, mine.path)
    assert sources.get(theirs, source)["text"] == both
    assert content(a) == content(b)
    assert merge(a, b.path).nothing and merge(b, a.path).nothing


def test_corrections_that_meet_stay_a_conflict_in_both_orders(copies, tmp_path):
    a, b = copies
    source = sources.all_ids(a)[0]
    replace_text(a, source, INTERVIEW_TEXT.replace("杭州", "温州"))
    replace_text(b, source, INTERVIEW_TEXT.replace("杭州", "苏州"))
    a_before = tmp_path / "a-before.fieldcase"
    for suffix in ("", "-wal"):  # (a's state before b comes into it)
        shutil.copyfile(f"{a.path}{suffix}", f"{a_before}{suffix}")
    one_way = merge(a, b.path)
    other_way = merge(b, a_before)
    for report in (one_way, other_way):
        assert [(c["what"], c["field"]) for c in report.conflicts] == [("text", "text_sha256")]
        assert report.merged_texts == 0
    assert "温州" in sources.get(a, source)["text"] and "苏州" in sources.get(b, source)["text"]  # mine stays


def test_a_name_changed_on_both_sides_is_a_conflict_and_on_one_side_is_taken(copies):
    a, b = copies
    codes.update(b, "land", {"name_zh": "土地资源"})
    merge(a, b.path)
    assert codes.find(a, "land")["name_zh"] == "土地资源"
    codes.update(a, "talent", {"name_zh": "人才甲"})
    codes.update(b, "talent", {"name_zh": "人才乙"})
    report = merge(a, b.path)
    assert [(c["field"], c["mine"], c["theirs"]) for c in report.conflicts] == [("name_zh", "人才甲", "人才乙")]
    assert codes.find(a, "talent")["name_zh"] == "人才甲"


def test_the_same_file_imported_on_two_laptops_is_one_source_with_both_sides_codings(tmp_path):
    text = "访谈者：你好。\n受访者：我们村的合作社办得好。"
    made = []
    for name in ("a", "b"):
        project = init_project(tmp_path / f"{name}.fieldcase", user=name)
        source = sources.add(project, {"title": f"访谈 {name}", "text": text, "kind": "interview"})
        codings.add(project, source, "land", *codings.locate_quote(text, "合作社" if name == "a" else "我们村"))
        made.append(project)
    a, b = made
    assert merge(a, b.path).other_project  # two projects made apart, not copies: said so
    assert len(sources.all_ids(a)) == 1
    assert {r["quote"] for r in a.query("SELECT quote FROM codings")} == {"合作社", "我们村"}


def test_a_merge_is_one_change_that_undo_takes_back_and_the_other_file_is_untouched(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    codings.add(b, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    before_other = Path(b.path).read_bytes()
    before = content(a)
    report = merge(a, b.path)
    assert report.backup and Path(report.backup).exists()
    with open_project(Path(report.backup)) as saved:
        assert content(saved) == before  # the file as it was before the merge
    assert content(a) != before
    history.undo(a)
    assert content(a) == before
    assert Path(b.path).read_bytes() == before_other


def test_a_merge_that_only_learns_what_the_other_copy_knows_writes_no_backup(copies):
    from fieldcase.store.backups import list_backups

    a, b = copies
    source = sources.all_ids(a)[0]
    codings.add(a, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    merge(b, a.path)  # b takes a's coding, in a merge of its own that a does not know
    made = list_backups(a.path)
    report = merge(a, b.path)
    assert report.groups == 1 and report.nothing and report.backup is None
    assert list_backups(a.path) == made
    assert merge(a, b.path).groups == 0  # …but a knows that merge now


def test_a_dry_run_changes_nothing(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    codings.add(b, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    before = content(a)
    report = merge(a, b.path, dry_run=True)
    assert report.added == {"codings": 1} and report.change_id is None
    assert content(a) == before


def test_a_code_deleted_on_one_side_but_used_on_the_other_stays_as_a_conflict(copies):
    a, b = copies
    source = sources.all_ids(a)[0]
    codes.delete(a, "talent")
    codings.add(b, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    report = merge(a, b.path)
    assert codes.find(a, "talent")
    assert any(c["what"] == "delete" for c in report.conflicts)
    assert "父母年纪也大了" in {r["quote"] for r in a.query("SELECT quote FROM codings")}


def test_a_delete_on_one_side_of_what_the_other_did_not_touch_is_taken(copies):
    a, b = copies
    coding = a.query("SELECT id FROM codings")[0]["id"]
    codings.remove(b, coding)
    report = merge(a, b.path)
    assert report.deleted == {"codings": 1}
    assert a.query("SELECT count(*) AS n FROM codings")[0]["n"] == 0


def test_conflicts_are_listed_and_settled_through_the_command_line(copies):
    import json

    from click.testing import CliRunner

    from fieldcase.cli import cli

    a, b = copies
    source = sources.all_ids(a)[0]
    replace_text(a, source, "甲方补充。" + INTERVIEW_TEXT)
    replace_text(b, source, "乙方补充。" + INTERVIEW_TEXT)
    codes.update(a, "talent", {"name_zh": "人才甲"})
    codes.update(b, "talent", {"name_zh": "人才乙"})
    a_path, b_path = str(a.path), str(b.path)
    a.close()
    run = CliRunner().invoke
    done = run(cli, ["merge", "-p", a_path, b_path, "--json", "--user", "zhao"])
    assert done.exit_code == 0, done.output
    assert {c["field"] for c in json.loads(done.output)["conflicts"]} == {"text_sha256", "name_zh"}
    listed = json.loads(run(cli, ["conflicts", "-p", a_path, "--json"]).output)
    by_field = {c["field"]: c for c in listed}
    assert by_field["name_zh"]["mine"] == "人才甲" and by_field["name_zh"]["theirs"] == "人才乙"
    versions = json.loads(run(cli, ["source", "versions", str(source), "-p", a_path, "--json"]).output)
    assert [v["current"] for v in versions].count(True) == 1 and versions[-1]["theirs"]
    assert all(v["kept"] for v in versions)
    settled = run(cli, ["conflicts", "resolve", str(by_field["text_sha256"]["id"]), "--keep", "theirs",
                        "-p", a_path, "--user", "zhao"])
    assert settled.exit_code == 0, settled.output
    again = run(cli, ["conflicts", "resolve", str(by_field["text_sha256"]["id"]), "--keep", "mine", "-p", a_path])
    assert again.exit_code == 1 and "settled already" in again.output
    run(cli, ["conflicts", "resolve", str(by_field["name_zh"]["id"]), "--keep", "theirs", "-p", a_path])
    project = open_project(a_path)
    try:
        text = sources.get(project, source)["text"]
        assert text.startswith("乙方补充。") and "甲方" not in text
        for row in project.query("SELECT start_offset, end_offset, quote FROM codings WHERE status = 'active'"):
            assert text[row["start_offset"]:row["end_offset"]] == row["quote"]
        assert codes.find(project, "talent")["name_zh"] == "人才乙"
        assert open_conflicts(project) == []
    finally:
        project.close()
    missing = run(cli, ["merge", "-p", a_path, a_path + ".nothing"])
    assert missing.exit_code == 1 and "no project there" in missing.output


def test_decisions_on_suggestions_come_across(copies):
    from fieldcase.analysis.suggest import suggest
    from fieldcase.store import suggestions

    a, b = copies
    suggest(a)
    suggest(b)
    offered = b.query("SELECT id FROM suggestions WHERE status = 'open' ORDER BY id")
    assert len(offered) >= 2, "the interview should give suggestions"
    rejected, accepted = offered[0]["id"], offered[1]["id"]
    suggestions.reject(b, rejected)
    coding = suggestions.accept(b, accepted)
    merge(a, b.path)
    decided = {r["status"] for r in a.query("SELECT status FROM suggestions WHERE status != 'open'")}
    assert decided == {"accepted", "rejected"}
    row = a.query("SELECT coding_id FROM suggestions WHERE status = 'accepted'")[0]
    made = b.query("SELECT uuid FROM codings WHERE id = ?", [coding["id"]])[0]["uuid"]
    assert a.query("SELECT uuid FROM codings WHERE id = ?", [row["coding_id"]])[0]["uuid"] == made


def test_sites_cases_attributes_links_pseudonyms_and_glossary_come_across(copies):
    from fieldcase.store import attributes, cases, pseudonyms, sites, words

    a, b = copies
    source = sources.all_ids(a)[0]
    site = sites.add(b, "夏木村", county="南丹县")
    case = cases.add(b, "刘霞", site=site["id"])
    attributes.set_values(b, "case", case["id"], {"birth year": "1986"})
    sources.link(b, source, ["刘霞"])
    pseudonyms.add(b, "刘霞", "L女士")
    words.add(b, "土地流转", note="land transfer")
    merge(a, b.path)
    here = cases.find(a, "刘霞")
    assert sites.find(a, "夏木村")["county"] == "南丹县" and here["site_id"] == sites.find(a, "夏木村")["id"]
    assert attributes.values_of(a, "case", here["id"])["birth year"] == 1986
    assert a.query("SELECT count(*) AS n FROM source_cases WHERE case_id = ?", [here["id"]])[0]["n"] == 1
    assert {r["real"]: r["pseudonym"] for r in a.query("SELECT real, pseudonym FROM pseudonyms")} == {"刘霞": "L女士"}
    assert [r["term"] for r in words.list_all(a)] == ["土地流转"]
    # a value changed on one side afterwards is taken; on both, it is a conflict
    attributes.set_values(b, "case", cases.find(b, "刘霞")["id"], {"birth year": "1987"})
    merge(a, b.path)
    assert attributes.values_of(a, "case", here["id"])["birth year"] == 1987
    from fieldcase.store.log_check import check as log_check
    from fieldcase.store.checks import Report

    assert list(log_check(a, Report(a.path))) == []


def test_three_copies_merged_in_a_ring_end_with_everyones_work(tmp_path, copies):
    a, b = copies
    c_path = tmp_path / "c.fieldcase"
    shutil.copyfile(tmp_path / "base.fieldcase", c_path)
    c = open_project(c_path, user="sun")
    source = sources.all_ids(a)[0]
    for project, quote in ((a, "父母年纪也大了"), (b, "合作社"), (c, "土地流转")):
        codings.add(project, source, "talent", *codings.locate_quote(INTERVIEW_TEXT, quote))
    merge(a, b.path)
    merge(b, c.path)
    merge(c, a.path)
    merge(a, c.path)
    merge(b, a.path)
    want = {"土地流转", "父母年纪也大了", "合作社"}
    for project in (a, b, c):
        assert {r["quote"] for r in project.query("SELECT quote FROM codings")} == want
        assert project.query("SELECT count(*) AS n FROM codings")[0]["n"] == 4
    assert all(merge(x, y.path).nothing for x in (a, b, c) for y in (a, b, c) if x is not y)
    c.close()


def test_a_purge_takes_the_conflicts_and_the_kept_texts_about_what_it_erases(copies):
    from fieldcase.store import cases, purge
    from fieldcase.store.source_purge import plan_source
    from fieldcase.store.withdrawal import plan_case

    a, b = copies
    source = sources.all_ids(a)[0]
    cases.add(a, "刘霞")
    merge(b, a.path)
    b2 = b
    cases.update(a, "刘霞", {"notes": "甲：刘霞说"})
    cases.update(b2, "刘霞", {"notes": "乙：刘霞讲"})
    replace_text(a, source, "甲方补充。" + INTERVIEW_TEXT)
    replace_text(b2, source, "乙方补充。" + INTERVIEW_TEXT)
    report = merge(a, b2.path)
    assert {c["what"] for c in report.conflicts} == {"text", "value"}
    purge.run(a, lambda p: plan_case(p, "刘霞"), backup=False)
    assert [c["table_name"] for c in open_conflicts(a)] == ["sources"]
    purge.run(a, lambda p: plan_source(p, source), backup=False)
    assert open_conflicts(a) == []
    assert a.query("SELECT count(*) AS n FROM text_versions WHERE text LIKE '%乙方补充%'")[0]["n"] == 0


def test_taking_their_delete_of_a_code_still_used_here_is_refused_and_deletes_nothing(copies):
    from click.testing import CliRunner

    from fieldcase.cli import cli

    a, b = copies
    source = sources.all_ids(a)[0]
    codes.delete(b, "talent.motive")
    codings.add(a, source, "talent.motive", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    report = merge(a, b.path)
    conflict = next(c for c in open_conflicts(a) if c["what"] == "delete")
    assert codes.find(a, "talent.motive")  # (its unused sub-codes went, as they did there)
    assert report.deleted.get("codings") is None
    a_path = str(a.path)
    a.close()
    done = CliRunner().invoke(cli, ["conflicts", "resolve", str(conflict["id"]), "--keep", "theirs", "-p", a_path])
    assert done.exit_code == 1 and "1 coding " in done.output and "nothing was changed" in done.output
    project = open_project(a_path)
    try:
        assert "父母年纪也大了" in {r["quote"] for r in project.query("SELECT quote FROM codings")}
    finally:
        project.close()


def test_a_text_edit_merged_both_ways_leaves_one_speaker_uuid_everywhere(tmp_path):
    """Taking a text edit finds the source's speakers again here, under new UUIDs: they take
    the UUIDs of the editor's at once, whichever is the least (when the taker's least was
    kept, the editor's merge that took it was rolled back as one that changed nothing, and
    the two kept two UUIDs). UUIDs are random: four rounds."""
    for round_ in range(4):
        base = tmp_path / f"base{round_}.fieldcase"
        with init_project(base, user="lead") as project:
            sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        a, b = tmp_path / f"a{round_}.fieldcase", tmp_path / f"b{round_}.fieldcase"
        shutil.copyfile(base, a)
        shutil.copyfile(base, b)
        with open_project(b, user="qian") as project:
            source = sources.all_ids(project)[0]
            replace_text(project, source, "（整理稿）" + sources.get(project, source)["text"])
        with open_project(a, user="zhao") as project:
            merge(project, b)
        with open_project(b, user="qian") as project:
            assert not merge(project, a).updated.get("speakers")
        held = []
        for path in (a, b):
            with open_project(path) as project:
                held.append(sorted((r["label"], r["uuid"]) for r in project.query("SELECT label, uuid FROM speakers")))
        assert held[0] == held[1] and held[0], (round_, held)


def test_a_change_taken_from_the_other_copy_keeps_who_made_it_and_when(copies):
    """A colleague's rename arrives stamped as theirs (a summary pulled says who wrote it), and
    two changes to one row on both sides leave the later one's stamps on both copies."""
    a, b = copies

    key = codes.find(a, "land")["key"]

    def stamps(project):
        row = project.query("SELECT modified_at, modified_by FROM codes WHERE key = ?", [key])[0]
        return row["modified_at"], row["modified_by"]

    codes.update(a, "land", {"name_zh": "土地流转（改）"})
    made = stamps(a)
    assert made[1] == "zhao"
    merge(b, a.path)
    assert stamps(b) == made  # not qian, who only merged it
    codes.update(b, "land", {"name_en": "Land, revised"})
    later = stamps(b)
    assert later[1] == "qian" and later[0] >= made[0]
    merge(a, b.path)
    assert stamps(a) == later == stamps(b)
    assert content(a) == content(b)
