"""Importing REFI-QDA projects: every real sample, each selection's exact words computed here
from the producer's own positions (independently of fieldcase's conversion), synthetic
archives for the counting pitfalls, hostile archives, matching on a second import, sets."""

from __future__ import annotations

import io
import json
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from fieldcase.errors import InputError
from fieldcase.exchange.qdpx.import_project import import_qdpx
from fieldcase.store import codings, sets

SAMPLES = Path("/work/shared/refi/samples")
NS = "{urn:QDA-XML:project:1.0}"


def _fieldcase_form(words: str) -> str:
    """What fieldcase stores for these words: LF line ends, NFC (as the standard's text says)."""
    return unicodedata.normalize("NFC", words.replace("\r\n", "\n").replace("\r", "\n"))


def _expected_words(archive: Path) -> dict[str, str]:
    """Each coding GUID's words, sliced here from the producer's own positions: NVivo counts
    UTF-16 code units over the .txt as stored (BOM not counted)."""
    with zipfile.ZipFile(archive) as z:
        names = {n.lower(): n for n in z.namelist()}
        qde = next(n for n in z.namelist() if n.lower().endswith(".qde"))
        root = ET.fromstring(z.read(qde))
        out = {}
        for source in root.iter(f"{NS}TextSource"):
            path = source.get("plainTextPath").removeprefix("internal://")
            units = z.read(names[f"sources/{path}".lower()]).decode("utf-8-sig").encode("utf-16-le")
            for selection in source.iter(f"{NS}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                words = _fieldcase_form(units[2 * start: 2 * end].decode("utf-16-le"))
                for coding in selection.iter(f"{NS}Coding"):
                    out[coding.get("guid").lower()] = words
    return out


def _stored_words(project) -> dict[str, str]:
    rows = project.query("SELECT g.uuid, g.quote, substr(s.text, g.start_offset + 1, g.end_offset - g.start_offset)"
                         " AS cut FROM codings g JOIN sources s ON s.id = g.source_id")
    for row in rows:
        assert row["quote"] == row["cut"]
    return {r["uuid"]: r["quote"] for r in rows}


@pytest.mark.parametrize("name", ["oltas.qdpx", "OltasSzkepticizmus_17June.qdpx"])
def test_every_nvivo_selection_lands_on_the_producers_words(project, name) -> None:
    archive = SAMPLES / "nvivo12" / name
    expected = _expected_words(archive)
    report = import_qdpx(project, archive)
    stored = _stored_words(project)
    assert report.counting == "utf16"
    assert set(stored) == set(expected) and len(expected) in (97, 297)
    wrong = [(g, expected[g][:40], stored[g][:40]) for g in expected if stored[g] != expected[g]]
    assert not wrong, wrong[:3]
    assert any(ord(c) > 0xFFFF for w in stored.values() for c in w) or name != "oltas.qdpx"  # emoji in the sample


def test_nvivo_hierarchy_users_and_descriptions_are_kept(project) -> None:
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    top = project.query("SELECT id, description FROM codes WHERE name_en LIKE '1. Perceived Susceptibility%'")[0]
    children = project.query("SELECT name_en FROM codes WHERE parent_id = ?", [top["id"]])
    assert {r["name_en"] for r in children} == {"alacsony fogékonyság", "csoportszintű fogékonyság", "teljes tagadás"}
    assert top["description"].startswith("Az emberek akkor hajlandók cselekedni")
    assert {r["coder"] for r in project.query("SELECT DISTINCT coder FROM codings")} <= {"Gergo", "floriansipos"}


def test_nvivo_text_with_words_before_colons_has_no_speakers(project) -> None:
    """The Hungarian sample has ``Covid:``, ``Pfizer:`` and ``Dr. Fauci:`` opening ten of its
    15,000 lines each: a document, not an interview with them as speakers."""
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    assert project.query("SELECT kind, turns FROM sources") == [{"kind": "document", "turns": "[]"}]
    assert project.query("SELECT label FROM speakers") == []


def test_an_interview_from_another_tool_keeps_its_speakers(project, tmp_path) -> None:
    text = "\n".join(f"Interviewer: question {i}?\nMaria: answer {i}.\nCovid: {i}" if i == 3 else
                     f"Interviewer: question {i}?\nMaria: answer {i}." for i in range(12))
    source = (f'<TextSource guid="40000000-0000-0000-0000-000000000001" name="talk"><PlainTextContent>{text}'
              '</PlainTextContent></TextSource>')
    import_qdpx(project, _archive(tmp_path, _project_xml("QualCoder 3.5", source), {}))
    assert project.query("SELECT kind FROM sources") == [{"kind": "interview"}]
    assert sorted(r["label"] for r in project.query("SELECT label FROM speakers")) == ["Interviewer", "Maria"]


@pytest.mark.parametrize("name", ["TestProject.qdpx", "Project.qde"])
def test_atlas_project_without_texts_keeps_codes_notes_sets_and_lists_the_rest(project, name) -> None:
    report = import_qdpx(project, SAMPLES / "atlasti8_skyloom" / name)
    assert report.counting == "crlf-one"
    assert report.added == {"codes": 14, "memos": 2, "sets": 15}
    carried = "\n".join(report.not_carried)
    for expected in ("graph 'Netzwerk'", "1 link",
                     "PictureSource 'cornflakes-n-milk.jpg': 1 picture selection (2 codings)",
                     "VideoSource '1994 Diet Coke-Diet Coke Break.mp4': 2 video selections (1 coding)",
                     "source 'Mabel.txt': its text (internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt) is not in",
                     "set '<3': empty"):
        assert expected in carried
    feelings = sets.find(project, "code", "Feelings")
    assert len(sets.members(project, feelings["id"])) == 6
    memo = project.query("SELECT title, body, target_type FROM memos WHERE title = 'Research Plan'")[0]
    assert memo["target_type"] == "project" and memo["body"].startswith("This is a great project")
    assert sum("'1960s Coca Cola commercial - Audio.docx'" in line for line in report.not_carried) == 1


def test_atlas_notes_keep_who_wrote_them_and_when(project) -> None:
    import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "Project.qde")
    memos = project.query("SELECT title, created_by, created_at FROM memos ORDER BY title")
    # <Note creatingUser="AD68FBE7-…" creationDateTime="2018-03-27T19:38:46Z" name="Research Plan">, a user
    # the file names Friedrich Markgraf
    assert [(m["title"], m["created_by"], m["created_at"]) for m in memos] == [
        ("My favorite Coke ad", "Friedrich Markgraf", "2018-03-27T19:41:28.000Z"),
        ("Research Plan", "Friedrich Markgraf", "2018-03-27T19:38:46.000Z")]


def test_what_is_not_carried_is_one_line_per_place_and_kind(project, tmp_path) -> None:
    """Three selections with no code, two codings of a code the file lacks and five PDF
    regions of one source are three lines with their counts, not ten."""
    spans = "".join(f'<PlainTextSelection guid="10000000-0000-0000-0000-00000000001{i}" startPosition="{i}" '
                    f'endPosition="{i + 2}"/>' for i in range(3))
    spans += "".join(f'<PlainTextSelection guid="10000000-0000-0000-0000-00000000002{i}" startPosition="{i}" '
                     f'endPosition="{i + 3}"><Coding guid="20000000-0000-0000-0000-00000000002{i}"><CodeRef '
                     f'targetGUID="00000000-0000-0000-0000-0000000000ff"/></Coding></PlainTextSelection>'
                     for i in range(2))
    regions = "".join(f'<PDFSelection guid="10000000-0000-0000-0000-00000000003{i}" page="1" firstX="0" firstY="0" '
                      f'secondX="9" secondY="9"><Coding guid="20000000-0000-0000-0000-00000000003{i}"><CodeRef '
                      f'targetGUID="00000000-0000-0000-0000-000000000001"/></Coding></PDFSelection>' for i in range(5))
    sources = (f'<TextSource guid="40000000-0000-0000-0000-000000000001" name="talk"><PlainTextContent>some words '
               f'here</PlainTextContent>{spans}</TextSource>'
               f'<PDFSource guid="40000000-0000-0000-0000-000000000002" name="scan.pdf" path="internal://s.pdf">'
               f'{regions}</PDFSource>')
    report = import_qdpx(project, _archive(tmp_path, _project_xml("QualCoder 3.5", sources), {}))
    assert "source 'talk': 3 selections with no code applied (fieldcase keeps coded text)" in report.not_carried
    assert ("source 'talk': 2 codings of code 00000000-0000-0000-0000-0000000000ff, which the codebook lacks"
            in report.not_carried)
    assert "PDFSource 'scan.pdf': 5 PDF region selections (5 codings)" in report.not_carried
    assert len(report.not_carried) == len(set(report.not_carried)) == 4, report.not_carried  # + the PDF's text


def _archive(tmp_path: Path, qde: str, files: dict[str, bytes], name: str = "p.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for entry, data in files.items():
            z.writestr(entry, data)
    return path


def _project_xml(origin: str, sources: str, extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="{origin}">'
            '<Users><User guid="00000000-0000-0000-0000-0000000000aa" name="Li"/></Users>'
            '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="emoji" isCodable="true" color="#FF0000">'
            '<Code guid="00000000-0000-0000-0000-000000000002" name="ext-b" isCodable="true"/></Code>'
            '<Code guid="00000000-0000-0000-0000-000000000003" name="tail" isCodable="true"/></Codes></CodeBook>'
            f'<Sources>{sources}</Sources>{extra}</Project>')


TEXT = "Hi 😀 there\r\n𠀀 is CJK-B\r\nlast 😀𠀀 words\r\n"
TARGETS = ["😀 there", "𠀀 is CJK-B", "😀𠀀 words"]


def _positions(counting: str) -> list[tuple[int, int]]:
    """Where the targets lie in TEXT as each producer counts (computed from the raw text)."""
    out = []
    for words in TARGETS:
        start = TEXT.index(words)
        before, inside = TEXT[:start], words
        if counting == "utf16":
            out.append((len(before.encode("utf-16-le")) // 2, (len(before.encode("utf-16-le")) + len(inside.encode("utf-16-le"))) // 2))
        elif counting == "crlf-one":
            out.append((len(before.replace("\r\n", "\n")), len(before.replace("\r\n", "\n")) + len(inside)))
        elif counting == "utf16-crlf-one":  # Qt's editor: UTF-16 units, a line end as one
            units = len(before.replace("\r\n", "\n").encode("utf-16-le")) // 2
            out.append((units, units + len(inside.encode("utf-16-le")) // 2))
        else:
            out.append((start, start + len(inside)))
    return out


def _selections(spans: list[tuple[int, int]], user: str = "00000000-0000-0000-0000-0000000000aa") -> str:
    codes = ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
             "00000000-0000-0000-0000-000000000003"]
    return "".join(
        f'<PlainTextSelection guid="10000000-0000-0000-0000-00000000000{i}" startPosition="{s}" endPosition="{e}" '
        f'creatingUser="{user}"><Coding guid="20000000-0000-0000-0000-00000000000{i}"><CodeRef targetGUID="{codes[i]}"/>'
        f'</Coding><Coding guid="30000000-0000-0000-0000-00000000000{i}"><CodeRef targetGUID="{codes[(i + 1) % 3]}"/>'
        '</Coding></PlainTextSelection>' for i, (s, e) in enumerate(spans))


@pytest.mark.parametrize(("origin", "counting", "path", "bom"), [
    ("NVivo for Windows 12.6", "utf16", "internal://aa.txt", b"\xef\xbb\xbf"),
    ("ATLAS.ti 23.4.0", "crlf-one", "internal://aa.txt", b""),
    ("MAXQDA 24", "code-points", "relative://aa.txt", b""),
    ("QualCoder 3.5", "utf16-crlf-one", "aa.txt", b"\xef\xbb\xbf"),  # qc: no internal://, a BOM, CRLF for MAXQDA
])
def test_emoji_and_extension_b_with_crlf_land_exactly(project, tmp_path, origin, counting, path, bom) -> None:
    spans = _positions(counting)
    source = (f'<TextSource guid="40000000-0000-0000-0000-000000000001" name="s" plainTextPath="{path}">'
              f'{_selections(spans)}</TextSource>')
    archive = _archive(tmp_path, _project_xml(origin, source), {"Sources/aa.txt": bom + TEXT.encode("utf-8")})
    report = import_qdpx(project, archive)
    assert report.counting == counting
    stored = project.query("SELECT quote, coder FROM codings ORDER BY quote")
    assert sorted(r["quote"] for r in stored) == sorted(TARGETS * 2)
    assert {r["coder"] for r in stored} == {"Li"}
    assert project.query("SELECT text FROM sources")[0]["text"] == _fieldcase_form(TEXT).rstrip()


def test_inline_text_cases_variables_notes_and_sources_of_one_name(project, tmp_path) -> None:
    variables = ('<Variables><Variable guid="50000000-0000-0000-0000-000000000001" name="age" typeOfVariable="Integer"/>'
                 '<Variable guid="50000000-0000-0000-0000-000000000002" name="wave" typeOfVariable="Text"/></Variables>')
    value = ('<VariableValue><VariableRef targetGUID="50000000-0000-0000-0000-00000000000{v}"/>'
             '<{t}>{x}</{t}></VariableValue>')
    sources = "".join(
        f'<TextSource guid="40000000-0000-0000-0000-00000000000{i}" name="Interview">'
        f'<PlainTextContent>Text number {i} says hello.</PlainTextContent>'
        f'<PlainTextSelection guid="10000000-0000-0000-0000-0000000000{i}0" startPosition="5" endPosition="11">'
        f'<Coding guid="20000000-0000-0000-0000-0000000000{i}0"><CodeRef targetGUID="00000000-0000-0000-0000-000000000003"/>'
        f'</Coding><NoteRef targetGUID="60000000-0000-0000-0000-000000000001"/></PlainTextSelection>'
        f'<NoteRef targetGUID="60000000-0000-0000-0000-000000000002"/>'
        + value.format(v=2, t="TextValue", x=f"wave {i}") + '</TextSource>' for i in (1, 2))
    extra = ('<Notes><Note guid="60000000-0000-0000-0000-000000000001" name="on says"><PlainTextContent>why says?'
             '</PlainTextContent></Note><Note guid="60000000-0000-0000-0000-000000000002" name="on source">'
             '<PlainTextContent>a source memo</PlainTextContent></Note></Notes>'
             '<Sets><Set guid="70000000-0000-0000-0000-000000000001" name="both">'
             '<MemberCode targetGUID="00000000-0000-0000-0000-000000000003"/>'
             '<MemberSource targetGUID="40000000-0000-0000-0000-000000000002"/></Set></Sets>')
    qde = _project_xml("MAXQDA 24", sources).replace("<Sources>", variables + '<Cases><Case guid="80000000-0000-0000-'
                                                     '0000-000000000001" name="Ms Wang"><VariableValue><VariableRef '
                                                     'targetGUID="50000000-0000-0000-0000-000000000001"/><IntegerValue>'
                                                     '41</IntegerValue></VariableValue><SourceRef targetGUID="40000000-'
                                                     '0000-0000-0000-000000000002"/></Case></Cases><Sources>', 1)
    qde = qde.replace("</Project>", extra + "</Project>")
    archive = _archive(tmp_path, qde, {})
    report = import_qdpx(project, archive)
    assert report.added["sources"] == 2
    assert [r["title"] for r in project.query("SELECT title FROM sources")] == ["Interview", "Interview"]
    assert {r["quote"] for r in project.query("SELECT quote FROM codings")} == {"number"}
    case = project.query("SELECT c.id, v.value FROM cases c JOIN case_attribute_values v ON v.case_id = c.id")[0]
    assert case["value"] == 41
    linked = project.query("SELECT s.uuid FROM source_cases l JOIN sources s ON s.id = l.source_id")
    assert [r["uuid"] for r in linked] == ["40000000-0000-0000-0000-000000000002"]
    assert sorted(r["value"] for r in project.query("SELECT value FROM source_attribute_values")) == ["wave 1", "wave 2"]
    memos = project.query("SELECT target_type, body FROM memos ORDER BY target_type")
    assert [(m["target_type"], m["body"]) for m in memos] == [("coding", "why says?"), ("coding", "why says?"),
                                                              ("source", "a source memo"), ("source", "a source memo")]
    assert [r["kind"] for r in sets.list_all(project)] == ["code", "source"]
    before = _everything(project)
    again = import_qdpx(project, archive)
    assert "memos" not in again.added and again.added.get("codings", 0) == 0
    assert {k: v for k, v in _everything(project).items() if k != "change_groups"} == {
        k: v for k, v in before.items() if k != "change_groups"}


def _everything(project) -> dict[str, int]:
    tables = ("sources", "codes", "codings", "cases", "memos", "sets", "set_codes", "set_sources", "change_groups",
              "source_cases", "attributes")
    return {t: project.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in tables}


def test_importing_twice_matches_rather_than_duplicates(project) -> None:
    for name in ("oltas.qdpx", "OltasSzkepticizmus_17June.qdpx"):
        import_qdpx(project, SAMPLES / "nvivo12" / name)
    import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "TestProject.qdpx")
    before = _everything(project)
    again = import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    after = _everything(project)
    assert again.added == {} and again.matched["codings"] == 97
    assert {k: v for k, v in after.items() if k != "change_groups"} == {k: v for k, v in before.items()
                                                                        if k != "change_groups"}
    import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "Project.qde")
    assert _everything(project)["sets"] == before["sets"]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


XXE = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')


@pytest.mark.parametrize(("what", "entries", "says"), [
    ("traversal entry", {"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>", "../evil.txt": b"x"},
     "points outside the archive"),
    ("traversal reference", {"project.qde": _project_xml("QualCoder", '<TextSource guid="40000000-0000-0000-0000-'
                                                         '000000000001" name="s" plainTextPath="internal://../../etc/'
                                                         'passwd"/>').encode()}, "points outside the archive"),
    ("zip bomb", {"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'>" + b" " * 5_000_000
                  + b"</Project>"}, "zip bomb"),
    ("XXE", {"project.qde": XXE}, "DTD"),
    ("not XML", {"project.qde": b"<Project"}, "not well-formed"),
    ("no qde", {"sources/a.txt": b"x"}, "no .qde"),
])
def test_hostile_or_broken_archives_are_one_line_and_change_nothing(project, tmp_path, what, entries, says) -> None:
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    before = _everything(project)
    path = _zip(tmp_path / "bad.qdpx", entries)
    with pytest.raises(InputError) as caught:
        import_qdpx(project, path)
    message = str(caught.value)
    assert says in message and message.startswith(str(path)) and "\n" not in message
    assert _everything(project) == before


def test_too_many_entries_are_refused_before_listing(project, tmp_path) -> None:
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("project.qde", b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        for i in range(50_001):
            z.writestr(f"sources/{i}.txt", b"")
    with pytest.raises(InputError, match="entries"):
        import_qdpx(project, path)
    assert _everything(project)["change_groups"] == 0


def test_a_truncated_archive_is_one_line(project, tmp_path) -> None:
    data = (SAMPLES / "nvivo12" / "oltas.qdpx").read_bytes()
    path = tmp_path / "cut.qdpx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        import_qdpx(project, path)
    assert str(caught.value).startswith(str(path))
    assert _everything(project)["codes"] == 0


def test_sets_narrow_codings_search_and_sources(project, cli) -> None:
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    code = project.query("SELECT id, key FROM codes WHERE name_en = 'fenyegetés'")[0]
    assert cli("set", "add", "code", "threats", code["key"]).exit_code == 0
    assert cli("set", "add", "source", "wave1", "1").exit_code == 0
    listed = json.loads(cli("codings", "--code-set", "threats", "--json").output)
    expected = project.query("SELECT count(*) AS n FROM codings WHERE code_id = ?", [code["id"]])[0]["n"]
    assert len(listed) == expected > 0 and {r["code_key"] for r in listed} == {code["key"]}
    word = listed[0]["text"].split()[0]
    inside = cli("search", word, "--code-set", "threats")
    assert inside.exit_code == 0 and "0 hits" not in inside.output
    assert json.loads(cli("sources", "--source-set", "wave1", "--json").output)[0]["id"] == 1
    assert cli("set", "add", "source", "empty").exit_code == 0
    assert json.loads(cli("sources", "--source-set", "empty", "--json").output) == []
    assert cli("set", "remove", "code", "threats").exit_code == 0
    assert sets.list_all(project, "code") == []


def test_qdpx_import_command_prints_a_report_and_json(cli) -> None:
    assert cli("init", "--framework", "none").exit_code == 0
    shown = cli("qdpx", "import", str(SAMPLES / "atlasti8_skyloom" / "TestProject.qdpx"))
    assert shown.exit_code == 0 and "Not carried (29)" in shown.output and "graph 'Netzwerk'" in shown.output
    as_json = json.loads(cli("qdpx", "import", str(SAMPLES / "nvivo12" / "oltas.qdpx"), "--json").output)
    assert as_json["added"]["codings"] == 97 and as_json["counting"] == "utf16"


def test_qdpx_import_into_a_new_file_makes_the_project_and_a_bad_file_leaves_none(tmp_path) -> None:
    from click.testing import CliRunner

    from fieldcase.cli import cli as command
    from fieldcase.store.project import open_project

    runner = CliRunner()
    made = tmp_path / "from-nvivo.fieldcase"
    shown = runner.invoke(command, ["qdpx", "import", str(SAMPLES / "nvivo12" / "oltas.qdpx"), "-p", str(made)])
    assert shown.exit_code == 0 and f"Created project 'oltas' at {made}" in shown.output
    assert made.stat().st_mode & 0o077 == 0
    with open_project(made) as opened:
        assert opened.query("SELECT count(*) AS n FROM codings")[0]["n"] == 97
        keys = {row["key"] for row in opened.query("SELECT key FROM codes")}
        assert "talent" not in keys  # the imported codebook only, not the built-in framework
    broken = tmp_path / "broken.qdpx"
    broken.write_text("not a zip", "utf-8")
    refused = runner.invoke(command, ["qdpx", "import", str(broken), "-p", str(tmp_path / "never.fieldcase")])
    assert refused.exit_code == 1 and "broken.qdpx" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.qdpx", "from-nvivo.fieldcase"]
    # a project the other tool named is named so (NVivo's "Untitled" above is no name: the file's is used)
    named = tmp_path / "from-atlas.fieldcase"
    shown = runner.invoke(command, ["qdpx", "import", str(SAMPLES / "atlasti8_skyloom" / "TestProject.qdpx"),
                                    "-p", str(named)])
    with open_project(named) as opened:
        assert shown.exit_code == 0 and opened.info()["name"] not in ("from-atlas", "") and \
            f"Created project {opened.info()['name']!r}" in shown.output


def test_deleting_a_code_takes_it_out_of_its_sets_and_undo_puts_it_back(project, cli) -> None:
    import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "Project.qde")
    feelings = sets.find(project, "code", "Feelings")
    assert cli("codes", "delete", "serene", "--yes").exit_code == 0
    assert len(sets.members(project, feelings["id"])) == 5
    assert cli("undo").exit_code == 0
    assert len(sets.members(project, feelings["id"])) == 6
    assert codings.spans_of(project, 1) == set()


def test_a_word_only_source_comes_in_through_its_text_and_a_note_through_its_file(project, tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("村里的合作社很好。")
    document.add_paragraph("Second paragraph.")
    buffer = io.BytesIO()
    document.save(buffer)
    source = ('<TextSource guid="40000000-0000-0000-0000-000000000001" name="w.docx" richTextPath="internal://w.docx">'
              + _selections([(0, 2)]) + '</TextSource>')
    notes = ('<Notes><Note guid="60000000-0000-0000-0000-000000000001" name="n" plainTextPath="internal://n.txt"/>'
             '</Notes>')
    archive = _archive(tmp_path, _project_xml("MAXQDA 24", source, notes),
                       {"sources/w.docx": buffer.getvalue(), "sources/n.txt": "备忘录 memo".encode()})
    report = import_qdpx(project, archive)
    assert project.query("SELECT text FROM sources")[0]["text"] == "村里的合作社很好。\nSecond paragraph."
    assert any("from its Word file" in line for line in report.not_carried)
    assert project.query("SELECT count(*) AS n FROM codings")[0]["n"] == 0
    assert project.query("SELECT body FROM memos")[0]["body"] == "备忘录 memo"


def test_a_repeated_source_guid_and_a_purged_text_are_said_and_the_rest_comes_in(project, cli, tmp_path) -> None:
    sources = "".join(f'<TextSource guid="40000000-0000-0000-0000-000000000001" name="s{i}">'
                      f'<PlainTextContent>text {i} of the same GUID</PlainTextContent></TextSource>' for i in (1, 2))
    report = import_qdpx(project, _archive(tmp_path, _project_xml("QualCoder 3.5", sources), {}))
    assert report.added["sources"] == 2 and any("repeats the GUID" in w for w in report.warnings)
    assert cli("source", "purge", "s1", "--yes", "--no-backup").exit_code == 0
    again = import_qdpx(project, _archive(tmp_path, _project_xml("QualCoder 3.5", sources), {}, "again.qdpx"))
    assert any("was erased (purged)" in line for line in again.not_carried)
    assert [r["title"] for r in project.query("SELECT title FROM sources")] == ["s2"]


def test_a_coding_note_and_a_case_named_like_an_id(project, tmp_path) -> None:
    from fieldcase.store import cases as store_cases

    store_cases.add(project, "Someone else")  # case id 1: a case named "1" in the file is not it
    source = ('<TextSource guid="40000000-0000-0000-0000-000000000001" name="s"><PlainTextContent>some words here'
              '</PlainTextContent><PlainTextSelection guid="10000000-0000-0000-0000-000000000001" startPosition="5" '
              'endPosition="10"><Coding guid="20000000-0000-0000-0000-000000000001"><CodeRef targetGUID="00000000-'
              '0000-0000-0000-000000000003"/><NoteRef targetGUID="60000000-0000-0000-0000-000000000001"/></Coding>'
              '</PlainTextSelection></TextSource>')
    extra = ('<Notes><Note guid="60000000-0000-0000-0000-000000000001" name="why"><PlainTextContent>because'
             '</PlainTextContent></Note></Notes>')
    qde = _project_xml("QualCoder 3.5", source, extra).replace(
        "<Sources>", '<Cases><Case guid="80000000-0000-0000-0000-000000000001" name="1"><SourceRef targetGUID="'
        '40000000-0000-0000-0000-000000000001"/></Case></Cases><Sources>', 1)
    report = import_qdpx(project, _archive(tmp_path, qde, {}))
    assert report.added["cases"] == 1
    assert sorted(store_cases.names(project).values()) == ["1", "Someone else"]
    memo = project.query("SELECT m.body, g.quote FROM memos m JOIN codings g ON g.id = m.target_id"
                         " WHERE m.target_type = 'coding'")
    assert memo == [{"body": "because", "quote": "words"}]


def test_a_project_zipped_inside_its_folder_finds_its_texts(project, tmp_path) -> None:
    source = ('<TextSource guid="40000000-0000-0000-0000-000000000001" name="s" plainTextPath="internal://aa.txt">'
              f'{_selections(_positions("utf16-crlf-one"))}</TextSource>')
    path = _zip(tmp_path / "folder.qdpx", {"My Project/My Project.qde": _project_xml("QualCoder 3.5", source).encode(),
                                           "My Project/Sources/aa.txt": TEXT.encode()})
    import_qdpx(project, path)
    assert sorted(r["quote"] for r in project.query("SELECT quote FROM codings")) == sorted(TARGETS * 2)


def test_a_note_keeps_its_description_and_when_it_was_last_changed(project) -> None:
    """Fault 7: ATLAS.ti's "Research Plan" note has a text and a <Description>, and was
    changed after it was made (modifiedDateTime)."""
    import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "TestProject.qdpx")
    memo = project.query("SELECT body, created_at, modified_at FROM memos WHERE title = 'Research Plan'")[0]
    assert memo["body"].startswith("This is a great project") and memo["body"].endswith(
        "\n\nday to day log about this amazing project")
    assert (memo["created_at"], memo["modified_at"]) == ("2018-03-27T19:38:46.000Z", "2018-03-27T19:41:09.000Z")


def test_recordings_and_missing_transcripts_are_each_said_once_and_truly(project) -> None:
    """Fault 9: a video's transcripts whose texts are not in the archive are not said to be
    imported; each missing text is one line, without "0 selections"."""
    report = import_qdpx(project, SAMPLES / "atlasti8_skyloom" / "TestProject.qdpx")
    carried = "\n".join(report.not_carried)
    assert "VideoSource '1960s Coca Cola commercial.mp4': the recording itself" in report.not_carried
    assert "imported as text" not in carried and "0 selections" not in carried
    assert ("source '1960s Coca Cola commercial - Visual.docx': its text "
            "(internal://C8A57C71-D156-4A94-8407-2BD2FA57E2A4.txt) is not in the archive (not imported)") in carried
    assert carried.count("C8A57C71-D156-4A94-8407-2BD2FA57E2A4") == 1


def test_a_source_keeps_who_made_it_and_when(project, tmp_path) -> None:
    """Fault 8: a source's creatingUser and creationDateTime (MAXQDA writes them) are kept."""
    sources = ('<TextSource guid="40000000-0000-0000-0000-000000000001" name="talk" creatingUser='
               '"00000000-0000-0000-0000-0000000000aa" creationDateTime="2024-10-18T23:23:46Z">'
               '<PlainTextContent>Some words here.</PlainTextContent></TextSource>')
    import_qdpx(project, _archive(tmp_path, _project_xml("MAXQDA 24", sources), {}))
    row = project.query("SELECT created_by, created_at FROM sources WHERE title = 'talk'")[0]
    assert (row["created_by"], row["created_at"]) == ("Li", "2024-10-18T23:23:46.000Z")


def test_a_code_renamed_in_the_other_tool_is_said(project) -> None:
    """Fault 6: NVivo renamed code f5a72e23 between the two exports; matched by GUID, the
    rename is reported (the name here is kept)."""
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    report = import_qdpx(project, SAMPLES / "nvivo12" / "OltasSzkepticizmus_17June.qdpx")
    renamed = [line for line in report.not_carried if "named 'szabadság, szuverenitás' in the file" in line]
    assert renamed == ["code 'szabadság': named 'szabadság, szuverenitás' in the file (matched; the name here is "
                       "kept: `fieldcase codes rename` renames it)"]
    said = sum("in the file (matched" in line for line in report.not_carried)
    assert "code '7. Oltás típusa': named '1. Oltás típusa' in the file" in "\n".join(report.not_carried)
    assert 1 < said < report.matched["codes"]  # a code of the same name is not said


def test_a_codebook_given_as_a_project_points_to_codebook_import(project) -> None:
    """Fault 11: a .qdc is not a project; the error says which command imports it."""
    with pytest.raises(InputError) as raised:
        import_qdpx(project, SAMPLES / "requal_tests" / "atlasti23_valid.qdc")
    assert str(raised.value).endswith("atlasti23_valid.qdc: a REFI-QDA codebook (.qdc), not a project: "
                                      "`fieldcase codebook import` imports it")
    assert project.query("SELECT count(*) AS n FROM changes")[0]["n"] == 0
