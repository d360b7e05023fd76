"""The ``mdquote`` filter: a quote as a Markdown block quote, whatever its lines begin with."""

from __future__ import annotations

import pytest

from fieldcase.reports.templating import markdown_quote


@pytest.mark.parametrize(("text", "quoted"), [
    ("我们村的合作社", "> 我们村的合作社"),
    ("# not a heading", "> \\# not a heading"),
    ("1. not a list", "> 1\\. not a list"),
    ("  - nor this", ">   \\- nor this"),
    ("> nor a quote", "> \\> nor a quote"),
    ("", ">"),
    ("   ", ">"),
    ("first\n\n# second\n2) third", "> first\n>\n> \\# second\n> 2\\) third"),
])
def test_every_line_is_quoted_and_a_line_that_would_start_a_block_stays_text(text, quoted):
    """One line (most quotes) takes the same path to the same text as several."""
    assert markdown_quote(text) == quoted
    assert markdown_quote(text + "\nend") == quoted + "\n> end"
