"""The coding commands, as a researcher types them."""

from __future__ import annotations

import json

from conftest import INTERVIEW_TEXT, write


def setup(cli, tmp_path, framework="none"):
    assert cli("init", "--framework", framework).exit_code == 0
    cli("import", str(write(tmp_path / "h.txt", INTERVIEW_TEXT)))


def test_codes_add_tree_and_code_by_quote_turn_offsets(cli, tmp_path):
    setup(cli, tmp_path)
    assert cli("codes", "add", "--zh", "土地要素", "--en", "Land", "--key", "land", "--keywords", "土地流转，宅基地").exit_code == 0
    cli("codes", "add", "Return motives", "--key", "motive")
    cli("codes", "add", "家庭", "--parent", "motive")
    tree = json.loads(cli("codes", "--json").output)
    assert [(n["key"], n["depth"]) for n in tree] == [("land", 0), ("motive", 0), ("motive.jiating", 1)]
    assert tree[0]["keywords"] == ["土地流转", "宅基地"]
    first = cli("code", "1", "土地要素", "--quote", "土地流转", "--nth", "2", "--memo", "second mention")
    assert first.exit_code == 0 and first.output.strip().isdigit()
    assert cli("code", "1", "Return motives", "--turn", "2").exit_code == 0
    assert cli("code", "1", "家庭", "--start", "0", "--end", "3", "--coder", "li").exit_code == 0
    rows = json.loads(cli("codings", "--code", "motive", "--descendants", "--json").output)
    assert [r["text"] for r in rows] == ["访谈者", "2012年。那时候杭州的生意不好做，父母年纪也大了。"]
    assert json.loads(cli("codings", "--coder", "li", "--json").output)[0]["code_key"] == "motive.jiating"
    listing = cli("codes").output
    assert "土地要素 Land" in listing and "  家庭" in listing


def test_code_errors_are_one_line(cli, tmp_path):
    setup(cli, tmp_path)
    cli("codes", "add", "Land", "--key", "land")
    for args, message in [
        (("code", "1", "land"), "say what to code"),
        (("code", "1", "land", "--start", "5"), "--start and --end go together"),
        (("code", "1", "land", "--start", "5", "--end", "9999"), "outside source 1"),
        (("code", "1", "nothing", "--start", "0", "--end", "3"), "no code 'nothing'"),
        (("code", "9", "land", "--start", "0", "--end", "3"), "no source '9'"),
        (("code", "1", "land", "--quote", "宅基地"), "occurs nowhere"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_in_vivo_uncode_undo_history(cli, tmp_path):
    setup(cli, tmp_path)
    coding_id = cli("code", "1", "--quote", "村民都来入股", "--in-vivo").output.strip()
    assert json.loads(cli("codes", "--json").output)[0]["name_zh"] == "村民都来入股"
    assert "Removed coding" in cli("uncode", coding_id).output
    assert "Undid: Uncoded" in cli("undo").output
    assert len(json.loads(cli("codings", "--json").output)) == 1
    history = json.loads(cli("history", "--json").output)
    assert history[0]["action"] == "undo" and history[1]["undone"]
    assert "Redid" in cli("redo").output


def test_codes_rename_move_reorder_merge_delete(cli, tmp_path):
    setup(cli, tmp_path)
    for key in ("a", "b", "c"):
        cli("codes", "add", key.upper(), "--key", key)
    assert "now 甲 A" in cli("codes", "rename", "a", "甲").output
    assert cli("codes", "move", "c", "--under", "a").exit_code == 0
    assert cli("codes", "move", "c").exit_code == 1
    assert cli("codes", "reorder", "b", "1").exit_code == 0
    assert cli("codes", "set", "b", "--color", "#112233", "--description", "Bee").exit_code == 0
    cli("code", "1", "b", "--start", "0", "--end", "3")
    assert "Merged: 1 coding moved, 0 duplicates collapsed, 0 child codes moved" in cli("codes", "merge", "b", "a").output
    refused = cli("codes", "delete", "a", input="n\n")
    assert "removes 2 codes, 1 coding and 0 memos." in refused.output and "Nothing deleted" in refused.output
    assert "Deleted" in cli("codes", "delete", "a", "--yes").output
    assert json.loads(cli("codes", "--json").output) == []


def test_memos_and_source_edit(cli, tmp_path):
    setup(cli, tmp_path)
    cli("codes", "add", "Land", "--key", "land")
    coding_id = cli("code", "1", "land", "--quote", "先搞土地流转").output.strip()
    assert cli("memo", "add", "Why land first?", "--coding", coding_id).exit_code == 0
    assert cli("memo", "add", "Project plan", "--title", "Plan").exit_code == 0
    assert cli("coding", "memo", coding_id, "short").exit_code == 0
    memos = json.loads(cli("memo", "list", "--json").output)
    assert {m["target_type"] for m in memos} == {"coding", "project"}
    on_coding = json.loads(cli("memo", "list", "--coding", coding_id, "--json").output)
    assert [m["body"] for m in on_coding] == ["Why land first?", "short"]  # the short memo is listed too
    assert on_coding[1]["kind"] == "coding memo" and "short" in cli("memo", "list").output
    fixed = write(tmp_path / "fixed.txt", INTERVIEW_TEXT.replace("先搞土地流转，", ""), "gb18030")
    result = cli("source", "edit", "1", "--from-file", str(fixed))
    assert result.exit_code == 0 and "1 orphaned" in result.stdout
    assert f"coding {coding_id} (land) lost all its words" in result.stderr
    orphans = json.loads(cli("codings", "--orphaned", "--json").output)
    assert orphans[0]["text"] == "先搞土地流转"
    assert cli("coding", "reanchor", coding_id, "--quote", "土地流转").exit_code == 0
    assert json.loads(cli("codings", "--json").output)[0]["status"] == "active"


def test_codebook_export_import_and_markdown(cli, tmp_path):
    setup(cli, tmp_path)
    cli("codes", "add", "--zh", "土地要素", "--en", "Land", "--key", "land", "--description", "Land as a factor.",
        "--inclusion", "Land transfer talk.", "--example", "先搞土地流转")
    out = tmp_path / "book.qdc"
    assert "Wrote 1 code to" in cli("codebook", "export", str(out)).output
    assert "matched 1" in cli("codebook", "import", str(out)).output
    md = tmp_path / "book.md"
    cli("codebook", "export", str(md))
    text = md.read_text("utf-8")
    assert "## 土地要素 Land (`land`)" in text and "**Use when:** Land transfer talk." in text
    assert "“先搞土地流转”" in text
    bad = write(tmp_path / "bad.qdc", "<CodeBook")
    result = cli("codebook", "import", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {bad}: not well-formed XML")


def test_in_vivo_takes_a_name_and_refuses_punctuation(cli, tmp_path):
    setup(cli, tmp_path)
    cli("code", "1", "--quote", "村民都来入股", "--in-vivo")
    cli("code", "1", "--quote", "，村民", "--in-vivo", "--name", "村民入股", "--parent", "村民都来入股")
    assert [c["name_zh"] for c in json.loads(cli("codes", "--json").output)] == ["村民都来入股", "村民入股"]
    assert "not only '，'" in cli("code", "1", "--quote", "，", "--in-vivo", "--name", "，").stderr
