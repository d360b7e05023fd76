"""The command line: every command has help, JSON output has the promised keys, errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import write
from fieldcase.cli import cli as root

INTERVIEW = "访谈者：您好。\nH：我2012年回来的。\n访谈者：为什么？\nH：家里老人。"


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(root)], ids=" ".join)
def test_every_command_has_help(path):
    command = dict(all_commands(root))[path]
    assert command.help and len(command.help.strip()) > 10
    result = CliRunner().invoke(root, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_python_dash_m_runs():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "fieldcase", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "fieldcase" in out.stdout


def test_init_site_case_flow_with_json(cli):
    assert cli("init").exit_code == 0
    added = json.loads(cli("site", "add", "X village", "--province", "Zhejiang", "--region", "east", "--json").output)
    assert added["name"] == "X village" and added["province"] == "Zhejiang"
    case = json.loads(
        cli("case", "add", "H", "--site", "X village", "--attr", "birth_year=1971", "--json").output
    )
    assert case["site"] == "X village" and case["attributes"] == {"birth_year": 1971}
    changed = json.loads(cli("case", "set", "H", "gender=male", "--kind", "person", "--json").output)
    assert changed["attributes"] == {"birth_year": 1971, "gender": "male"}
    listed = json.loads(cli("case", "list", "--json").output)
    assert [c["name"] for c in listed] == ["H"]
    sites = json.loads(cli("site", "list", "--json").output)
    assert sites[0]["cases"] == 1
    assert "X village" in cli("site", "list").output


def test_attr_commands(cli):
    cli("init")
    result = cli("attr", "add", "gender", "--on", "case", "--type", "choice", "--choices", "male,female")
    assert result.exit_code == 0
    defs = json.loads(cli("attr", "list", "--json").output)
    assert defs[0]["choices"] == ["male", "female"]
    cli("case", "add", "H")
    bad = cli("case", "set", "H", "gender=unknown")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "error: gender: 'unknown' is not one of male, female"


def test_import_json_sources_and_show(cli, tmp_path):
    cli("init")
    cli("site", "add", "X village")
    good = write(tmp_path / "h.txt", INTERVIEW, "gb18030")
    empty = write(tmp_path / "empty.txt", "")
    result = cli("import", str(good), str(empty), "--site", "X village", "--kind", "interview", "--json")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["imported", "error"]
    assert set(lines[0]) >= {"id", "title", "chars", "encoding", "turns", "status", "error"}
    assert lines[0]["encoding"] == "gb18030" and lines[0]["turns"] == 4
    assert result.stderr.strip() == f"error: {empty}: empty file"
    listed = json.loads(cli("sources", "--json").output)
    assert set(listed[0]) >= {"id", "title", "kind", "site", "cases", "date", "chars", "turns", "encoding"}
    assert listed[0]["site"] == "X village"
    shown = json.loads(cli("source", "show", str(lines[0]["id"]), "--json").output)
    assert shown["text"] == INTERVIEW and len(shown["turns"]) == 4
    assert shown["turns"][1]["speaker"] == "H"
    shown = cli("source", "show", "h").output
    assert "H：我2012年回来的。" in shown
    assert "None" not in shown and "place:" not in shown  # fields never filled in are left out
    cli("source", "set", "h", "--place", "X村村委会")
    assert "place: X村村委会" in cli("source", "show", "h").output


def test_import_duplicate_is_not_a_failure(cli, tmp_path):
    cli("init")
    path = write(tmp_path / "h.txt", INTERVIEW)
    assert cli("import", str(path)).exit_code == 0
    again = cli("import", str(path))
    assert again.exit_code == 0 and "duplicate" in again.output


def test_unknown_site_option_is_one_line_and_imports_nothing(cli, tmp_path):
    cli("init")
    result = cli("import", str(write(tmp_path / "h.txt", INTERVIEW)), "--site", "Nowhere")
    assert result.exit_code == 1
    assert result.stderr == "error: no site 'Nowhere'\n"
    assert json.loads(cli("sources", "--json").output) == []


def test_source_set_and_link(cli, tmp_path):
    cli("init")
    cli("site", "add", "X village")
    cli("case", "add", "H", "--site", "X village")
    cli("import", str(write(tmp_path / "h.txt", INTERVIEW)))
    result = cli("source", "set", "1", "--date", "2023年7月14日", "--consent", "口头", "recorder=Zoom H1", "--json")
    data = json.loads(result.output)
    assert data["date"] == "2023-07-14" and data["consent"] == "oral"
    assert data["attributes"] == {"recorder": "Zoom H1"}
    assert "concerns: H" in cli("source", "link", "1", "H").output
    assert "(no cases)" in cli("source", "link", "1", "H", "--unlink").output


def test_missing_project_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(root, ["sources", "-p", str(tmp_path / "none.fieldcase")])
    assert result.exit_code == 1
    assert "no project there; create one with: fieldcase init" in result.stderr


def test_demo_builds_and_summarises(cli, tmp_path):
    target = tmp_path / "demo.fieldcase"
    result = cli("demo", "-p", str(target), project=False)
    assert result.exit_code == 0, result.output
    assert "4 sites, 8 cases, 9 sources" in result.output
    assert cli("demo", "-p", str(target), "--force", "--json", project=False).exit_code == 0


def test_every_command_is_found_lazily_and_help_lists_them_all(cli):
    """The lazy command table names every command each cli module registers, and no other."""
    import importlib

    import click

    from fieldcase.cli.common import COMMAND_MODULES

    registered = {}
    for module in set(COMMAND_MODULES.values()):
        group = click.Group()
        importlib.import_module(f"fieldcase.cli.{module}").register(group)
        registered.update({name: module for name in group.commands})
    assert registered == COMMAND_MODULES
    out = cli("--help", project=False).output
    for name in COMMAND_MODULES:
        assert f"  {name} " in out


def test_templates_list_path_and_copy(cli, tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(config))
    assert "codebook.md.j2" in cli("templates", "list", project=False).output
    assert cli("templates", "path", project=False).output.strip() == str(config / "templates")
    assert "Copied" in cli("templates", "copy", "codebook.md", project=False).output
    assert (config / "templates" / "codebook.md.j2").read_text("utf-8").strip()
    again = cli("templates", "copy", "codebook.md", project=False)
    assert again.exit_code == 1 and "--force" in again.output
    assert "yes" in cli("templates", "list", project=False).output
    missing = cli("templates", "copy", "nothing", project=False)
    assert missing.exit_code == 1 and "no shipped template" in missing.output


def test_open_on_a_file_that_is_not_a_project_exits_with_failure(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.fieldcase"
    bad.write_text("junk", encoding="utf-8")
    fieldcase = str(Path(sys.executable).with_name("fieldcase"))
    done = subprocess.run([fieldcase, "open", "-p", str(bad)], stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.decode().endswith(f"error: {bad}: not a fieldcase project (not an SQLite database)\n")
    assert bad.read_text(encoding="utf-8") == "junk"


def test_a_folder_import_names_each_document_it_cannot_read(cli, tmp_path):
    cli("init")
    folder = tmp_path / "batch"
    write(folder / "h.txt", INTERVIEW)
    write(folder / "王阿姨访谈.doc", "\xd0\xcf")
    write(folder / "scan.pdf", "%PDF-1.4")
    write(folder / "~$王阿姨访谈.docx", "lock")
    result = cli("import", str(folder))
    assert result.exit_code == 1  # not everything the folder holds went in
    assert result.stderr.splitlines() == [
        f"not imported: {folder / 'scan.pdf'}: PDF: fieldcase cannot take text out of a PDF; export its text"
        " as .docx or .txt and import that (or paste it into a new source)",
        f"not imported: {folder / '王阿姨访谈.doc'}: old Word .doc format: save it as .docx or .txt and import that",
    ]
    assert result.stdout.splitlines()[-1] == (
        "1 imported, 2 not imported (a format fieldcase cannot read)")
    named = cli("import", str(folder / "王阿姨访谈.doc"))
    assert named.exit_code == 1 and "old Word .doc format: save it as .docx" in named.stderr
