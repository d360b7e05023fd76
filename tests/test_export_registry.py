"""One registry of export kinds: the CLI, the export dialog and the exports themselves agree
with it, and every kind is written in each of its formats under its default name."""

from __future__ import annotations

import click
import pytest
from textual.widgets import OptionList, Select

from conftest import INTERVIEW_TEXT, write
from fieldcase.cli.codebook import codebook_export
from fieldcase.cli.export import export as export_command
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports import registry
from fieldcase.reports.exporting import default_name, export
from fieldcase.store import cases, codings
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.export import OPTION_OF, ExportDialog

# The CLI option that sets each export option (fonts: two, one for each kind of text).
CLI_OPTIONS = {"case": {"case_"}, "site": {"site"}, "code": {"code"}, "kind": {"kind"}, "coder": {"coder"},
               "by": {"by"}, "template": {"template"}, "title": {"title"}, "reference_docx": {"reference_docx"},
               "fonts": {"body_font", "heading_font"}, "subtitle": {"subtitle"}, "author": {"author"},
               "lang": {"lang"}, "paper": {"paper"}, "toc": {"toc"}, "citations": {"citations"}}


def _params(command: click.Command) -> dict[str, click.Parameter]:
    return {p.name: p for p in command.params if p.name}


def _taken() -> set[str]:
    """Every option some kind of ``fieldcase export`` takes, in some format."""
    return {o for kind in registry.KINDS for fmt in kind.formats for o in kind.options(fmt)}


def test_the_cli_offers_what_the_registry_holds():
    params = _params(export_command)
    assert list(params["what"].type.choices) == [kind.name for kind in registry.KINDS]
    assert set(params["fmt"].type.choices) == {f for kind in registry.KINDS for f in kind.formats}
    for kind in registry.KINDS:
        assert f"{kind.formats[0]} for {kind.noun}" in params["fmt"].help
        assert f"{kind.help} ({', '.join(kind.formats)})" in export_command.help
    assert list(_params(codebook_export)["fmt"].type.choices) == list(registry.CODEBOOK.formats)
    assert all(CLI_OPTIONS[o] <= set(params) for o in _taken())


def test_the_dialog_has_a_field_for_every_option_an_export_takes():
    assert _taken() <= set(OPTION_OF.values()) <= registry.OPTIONS


def test_the_registry_refuses_an_unknown_kind_or_format(project, tmp_path):
    with pytest.raises(InputError, match="export one of summary, case, segments, matrix, framework, comparison, "
                                         "not 'chart'"):
        registry.find("chart")
    with pytest.raises(InputError, match=r"x\.csv: export summary as md or html"):
        export(project, "summary", "csv", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def _options(select: Select) -> list[str]:
    menu = select.query_one(OptionList)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


async def test_the_dialog_offers_each_kind_its_formats_and_fields(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        what, fmt = dialog.query_one("#what", Select), dialog.query_one("#format", Select)
        assert sorted(_options(what)) == sorted(registry.BY_NAME)
        for kind in registry.KINDS:
            what.value = kind.name
            await pilot.pause()
            assert sorted(_options(fmt)) == sorted(kind.formats) and fmt.value == kind.start_format
            for name in kind.formats:
                fmt.value = name
                await pilot.pause()
                enabled = {field for field in OPTION_OF if not dialog.query_one(f"#{field}").disabled}
                assert {OPTION_OF[field] for field in enabled} == kind.options(name) & set(OPTION_OF.values())


@pytest.fixture
def study(project_path, cli, tmp_path):
    """A small project: one interview of case H, two codings."""
    assert cli("init", "--framework", "builtin").exit_code == 0
    with open_project(project_path, user="tester") as project:
        cases.add(project, "H")
        (result,) = import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)], ImportOptions(cases=["H"]))
        source_id = result.id
        for key, quote in (("integration.land", "先搞土地流转"), ("talent.motive.push", "杭州的生意不好做")):
            codings.add(project, source_id, key, *codings.locate_quote(INTERVIEW_TEXT, quote))
    return project_path


@pytest.mark.parametrize("what,fmt", [(k.name, f) for k in registry.KINDS for f in k.formats])
def test_every_kind_is_written_in_each_format_under_its_default_name(study, cli, tmp_path, monkeypatch, what, fmt):
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = cli("export", what, "--format", fmt, "--case", "H")
    with open_project(study, user="tester") as project:
        name = default_name(project, what, fmt, case="H")
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {name}\n"
    beside = [name.removesuffix(".md") + "-chart.png"] if (what, fmt) == ("comparison", "md") else []
    assert sorted(p.name for p in folder.iterdir()) == sorted([name, *beside])  # a chapter's chart beside it
    assert (folder / name).stat().st_size > 0


def test_default_names_are_kept(study):
    with open_project(study, user="tester") as project:
        names = [default_name(project, k.name, k.formats[0], case="H", site="X") for k in registry.KINDS]
        assert names == ["study-summary.md", "study-case-H.docx", "study-segments.csv", "study-matrix.csv",
                         "study-framework-H.xlsx", "study-comparison-H.docx"]
        assert default_name(project, "case", "html", site="X village") == "study-case-X village.html"


@pytest.mark.parametrize("fmt", registry.CODEBOOK.formats)
def test_the_codebook_is_written_in_each_format(study, cli, tmp_path, fmt):
    out = tmp_path / f"codebook.{fmt}"
    result = cli("codebook", "export", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
