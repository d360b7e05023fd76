"""`fieldcase code --from-csv`: coding in bulk from a table, in one change."""

from __future__ import annotations

import json

from conftest import INTERVIEW_TEXT, write


def setup(cli, tmp_path):
    assert cli("init", "--framework", "none").exit_code == 0
    assert cli("import", str(write(tmp_path / "h.txt", INTERVIEW_TEXT))).exit_code == 0
    cli("codes", "add", "--zh", "人才回流", "--en", "Talent return", "--key", "talent")
    cli("codes", "add", "--zh", "返乡动因", "--en", "Return motives", "--key", "talent.motive", "--parent", "talent")
    cli("codes", "add", "--zh", "土地要素", "--en", "Land", "--key", "land")


def table(tmp_path, text, name="codings.csv"):
    return str(write(tmp_path / name, text))


GOOD = (
    "source,code,start,end,quote,coder,memo\n"
    "1,land,,,先搞土地流转,li,first\n"
    "h,talent/返乡动因,0,3,,,\n"                  # by title, by a path of key and name
    "1,Talent return / Return motives,,,合作社,,\n"  # a path of English names
)


def codings(cli):
    return json.loads(cli("codings", "--json").output)


def test_good_rows_are_coded_in_one_change_and_undone_at_once(cli, tmp_path):
    setup(cli, tmp_path)
    before = len(json.loads(cli("history", "--json").output))
    result = cli("code", "--from-csv", table(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    assert "3 new codings coded, 0 already coded, 0 rows rejected" in result.output
    rows = sorted(codings(cli), key=lambda r: r["start"])
    assert [(r["code_key"], r["text"], r["coder"]) for r in rows] == [
        ("talent.motive", "访谈者", "tester"),
        ("land", "先搞土地流转", "li"),
        ("talent.motive", "合作社", "tester"),
    ]
    assert rows[1]["memo"] == "first"
    history = json.loads(cli("history", "--json").output)
    assert len(history) == before + 1 and "3 places from codings.csv" in history[0]["summary"]
    # a coding made in bulk is stored as one made by hand is: the context around it too
    single = json.loads(cli("codings", "--code", "land", "--json").output)[0]
    assert single["start"] == INTERVIEW_TEXT.index("先搞土地流转")
    again = cli("code", "--from-csv", table(tmp_path, GOOD))
    assert "0 new codings coded, 3 already coded" in again.output
    assert "Undid" in cli("undo").output  # the second run wrote nothing: undo takes the first back
    assert codings(cli) == []
    assert "Redid" in cli("redo").output
    assert len(codings(cli)) == 3


def test_bad_rows_each_get_one_line_and_the_good_ones_are_coded(cli, tmp_path):
    setup(cli, tmp_path)
    text = (
        "source,code,start,end,quote\n"
        "1,land,0,3,\n"                  # row 2: good
        "9,land,0,3,\n"                  # row 3: no such source
        "1,nothing,0,3,\n"               # row 4: no such code
        "1,land,5,9999,\n"               # row 5: outside the text
        "1,land,x,3,\n"                  # row 6: not a number
        "1,land,,,宅基地\n"               # row 7: quote not found
        "1,land,,,土地流转\n"             # row 8: quote found twice
        "1,land,,,\n"                    # row 9: neither offsets nor quote
        "1,nowhere/land,,,合作社\n"       # row 10: no such path
        ",land,0,3,\n"                   # row 11: no source
        "1,land,3,3,\n"                  # row 12: empty span
    )
    path = table(tmp_path, text)
    result = cli("code", "--from-csv", path)
    assert result.exit_code == 1  # as import does: rows were rejected (the good one is still coded)
    lines = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [f"row {n}" for n in range(3, 13)]
    assert all(line.startswith(f"{path}: row ") for line in lines)
    for number, problem in [(3, "no source '9'"), (4, "no code 'nothing'"), (5, "outside the source"),
                            (6, "start must be a whole number"), (7, "is not in the source"),
                            (8, "occurs 2 times"), (9, "give start and end, or a quote"),
                            (10, "no code at path"), (11, "source and code are both needed"),
                            (12, "outside the source")]:
        assert problem in lines[number - 3], (number, lines[number - 3])
    assert "1 new coding coded, 0 already coded, 10 rows rejected" in result.output
    assert [r["text"] for r in codings(cli)] == ["访谈者"]


def test_dry_run_and_json(cli, tmp_path):
    setup(cli, tmp_path)
    path = table(tmp_path, GOOD + "1,land,,,宅基地,,\n")
    dry = cli("code", "--from-csv", path, "--dry-run", "--json")
    assert dry.exit_code == 1  # a row would be rejected
    report = json.loads(dry.output)
    assert report["added"] == 3 and report["dry_run"] is True
    assert report["rejected"] == [{"row": 5, "problem": "the quote '宅基地' is not in the source"}]
    assert codings(cli) == []
    run = cli("code", "--from-csv", path, "--json")
    done = json.loads(run.output)
    assert run.exit_code == 1 and done["added"] == 3 and len(codings(cli)) == 3
    good = cli("code", "--from-csv", table(tmp_path, GOOD, "good.csv"), "--json")
    assert good.exit_code == 0 and json.loads(good.output)["existing"] == 3


def test_table_errors(cli, tmp_path):
    setup(cli, tmp_path)
    for args, message in [
        (("code", "--from-csv", table(tmp_path, "src,code\n1,land\n", "typo.csv")), "the columns must be"),
        (("code", "--from-csv", str(tmp_path / "missing.csv")), "cannot read"),
        (("code", "1", "land", "--from-csv", table(tmp_path, GOOD)), "give no SOURCE or CODE"),
        (("code", "1", "land", "--start", "0", "--end", "3", "--dry-run"), "--dry-run goes with --from-csv"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1 and message in result.stderr, (args, result.stderr)
    assert codings(cli) == []
