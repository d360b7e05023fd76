"""undo, redo, revert and history from the command line, with two people on one file."""

from __future__ import annotations

import json

from conftest import INTERVIEW_TEXT, write


def setup(cli, tmp_path):
    assert cli("init", "--framework", "none", "--user", "wang").exit_code == 0
    cli("import", str(write(tmp_path / "h.txt", INTERVIEW_TEXT)), "--user", "wang")
    cli("codes", "add", "Land", "--key", "land", "--user", "wang")


def test_undo_from_the_command_line_leaves_a_colleagues_pseudonym(cli, tmp_path):
    setup(cli, tmp_path)
    cli("pseudonym", "add", "张三", "H", "--user", "li")
    result = cli("undo", "--user", "wang")
    assert result.exit_code == 0 and "Undid: Added code Land" in result.output
    assert "张三" in cli("pseudonym", "list").output


def test_undo_refused_names_the_colleagues_change_and_how_to_go_on(cli, tmp_path):
    setup(cli, tmp_path)
    coding = cli("code", "1", "land", "--quote", "土地流转", "--user", "li").output.strip()
    result = cli("undo", "--user", "wang")  # wang's newest is the code li just used
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: cannot undo #2 (Added code Land): li's change #3 (Coded Land in h)")
    assert line.endswith("depends on what it made; li can undo it, or you can revert it first: "
                         "fieldcase revert 3 --of li")
    assert [c["id"] for c in json.loads(cli("codings", "--json").output)] == [int(coding)]


def test_revert_needs_the_right_author(cli, tmp_path):
    setup(cli, tmp_path)
    cli("code", "1", "land", "--quote", "土地流转", "--user", "li")
    wrong = cli("revert", "3", "--of", "wang", "--user", "wang")
    assert wrong.exit_code == 1
    assert wrong.stderr == "error: change #3 was made by li, not wang; to revert it say --of li\n"
    unnamed = cli("revert", "3", "--user", "wang")  # without --of: wang's own change, which #3 is not
    assert unnamed.exit_code == 1 and "to revert it say --of li" in unnamed.stderr
    done = cli("revert", "3", "--of", "li", "--user", "wang")
    assert done.exit_code == 0 and done.output.startswith("Reverted li's change #3: Coded Land in h")
    assert json.loads(cli("codings", "--json").output) == []
    assert "Undid: Reverted li's #3" in cli("undo", "--user", "wang").output
    assert len(json.loads(cli("codings", "--json").output)) == 1


def test_history_by_person_mine_and_everyone(cli, tmp_path, monkeypatch):
    setup(cli, tmp_path)
    cli("code", "1", "land", "--quote", "土地流转", "--user", "li")
    cli("undo", "--user", "li")
    everyone = json.loads(cli("history", "--json").output)
    assert [(r["user"], r["action"], r["state"]) for r in everyone[:3]] == [
        ("li", "undo", ""), ("li", "coding.add", "undone"), ("wang", "code.add", "")]
    assert {r["user"] for r in json.loads(cli("history", "--of", "li", "--json").output)} == {"li"}
    monkeypatch.setenv("FIELDCASE_USER", "wang")
    assert {r["user"] for r in json.loads(cli("history", "--mine", "--json").output)} == {"wang"}
    listing = cli("history", "--mine").output
    assert "Added code Land" in listing and "li" not in listing


def test_history_prints_times_in_the_computers_time_zone(cli, tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        setup(cli, tmp_path)
        out = cli("history").output
        logged = json.loads(cli("history", "--json").output)[0]["at"]
        from datetime import datetime

        local = datetime.fromisoformat(logged).astimezone().strftime("%Y-%m-%d %H:%M")
        assert "when (CST)" in out and local in out and logged not in out
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_revert_without_of_means_my_own_change_and_names_the_author_of_anothers(project, cli):
    """``--of`` defaults to the one reverting; a colleague's change is still refused until
    named, and the stored summary names the author for every reader (never "your")."""
    cli("site", "add", "X village", "--user", "wang")
    cli("site", "add", "Xiamu", "--user", "li")
    listed = json.loads(cli("history", "--json").output)
    mine = next(r["id"] for r in listed if r["user"] == "wang")
    theirs = next(r["id"] for r in listed if r["user"] == "li")
    refused = cli("revert", str(theirs), "--user", "wang")
    assert refused.exit_code == 1 and f"was made by li, not wang; to revert it say --of li" in refused.output
    done = cli("revert", str(mine), "--user", "wang")
    assert done.exit_code == 0 and f"Reverted wang's change #{mine}" in done.output
    summaries = [r["summary"] for r in json.loads(cli("history", "--json", "--user", "li").output)]
    assert summaries[0].startswith(f"Reverted wang's #{mine}:")
