"""Exports that stream write what the whole-list code wrote, in the corner cases too."""

from __future__ import annotations

import json
import sys

from conftest import INTERVIEW_TEXT, write
from fieldcase.reports.sheets import write_stream, write_table
from fieldcase.store.coding_stream import BLANKS


def test_blanks_are_what_python_strips():
    assert BLANKS == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def test_a_stream_of_no_rows_or_some_rows_writes_as_a_list_does(tmp_path):
    rows = [{"a": 1, "b": "=x"}, {"a": 2, "b": "村"}]
    for suffix in ("csv",):
        for given in ([], rows):
            old, new = tmp_path / f"old.{suffix}", tmp_path / f"new.{suffix}"
            write_table(given, old)
            write_stream(iter(given), new)
            assert old.read_bytes() == new.read_bytes()


def test_all_hits_as_json_match_a_limited_search(cli, tmp_path):
    assert cli("init", "--framework", "none").exit_code == 0
    cli("import", str(write(tmp_path / "h.txt", INTERVIEW_TEXT)))
    cli("import", str(write(tmp_path / "w.txt", INTERVIEW_TEXT + "补充：土地\n")))
    cli("codes", "add", "Land", "--key", "land")
    cli("code", "1", "land", "--quote", "先搞土地流转")
    for query, scope in [("土地", []), ("土地 OR 村民", []), ("宅基地", []), ("土地", ["--code", "land"]),
                         ("土地 NOT 补充", ["--source", "2"])]:
        every = cli("search", query, "--json", "--limit", "0", *scope)
        limited = cli("search", query, "--json", "--limit", "100000", *scope)
        assert every.exit_code == 0 and every.output == limited.output, query


def test_all_hits_as_json_keep_line_separators_inside_strings(cli, tmp_path):
    """A title holding U+0085, U+2028 or U+2029 (which JSON leaves raw, and which
    str.splitlines counts as line ends) is written as the limited search writes it: no
    indent is slipped into the string."""
    assert cli("init", "--framework", "none").exit_code == 0
    title = "村\u2028访\u2029谈\x85一"
    cli("import", str(write(tmp_path / "odd.txt", "问：土地？\n答：土地流转。\n")), "--title", title)
    every = cli("search", "土地", "--json", "--limit", "0")
    limited = cli("search", "土地", "--json", "--limit", "100000")
    assert every.exit_code == 0 and every.output == limited.output
    hits = json.loads(every.output)["hits"]
    assert [hit["source_title"] for hit in hits] == [title, title]
