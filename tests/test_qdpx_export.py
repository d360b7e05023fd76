"""Writing a project as REFI-QDA: the schema, positions as each target counts them, stable
GUIDs, scope, private files, and pseudonyms that leave no real name anywhere in the archive."""

from __future__ import annotations

import html
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from qdpx_projects import NS, enrich, read_archive, schema

from fieldcase.coding.scope import Scope
from fieldcase.exchange.qdpx.renaming import Moved
from fieldcase.reports.exporting import export_qdpx
from fieldcase.store import pseudonyms
from fieldcase.store.project import open_project
from fieldcase.text.refi_targets import TARGETS, target

TARGET_NAMES = list(TARGETS)


@pytest.fixture
def rich(sample: Path) -> Path:
    with open_project(sample, user="tester") as project:
        enrich(project)
    return sample


def slice_as(target_name: str, file_bytes: bytes, start: int, end: int) -> str:
    """The words at ``[start, end)`` of a written .txt, counted as the target counts them,
    computed without fieldcase's own conversion; line ends read back as ``\\n``."""
    text = file_bytes.decode("utf-8-sig")
    if target_name == "nvivo":  # UTF-16 code units over the text as stored, CRLF as two
        units = text.encode("utf-16-le")
        return units[2 * start : 2 * end].decode("utf-16-le").replace("\r\n", "\n")
    if target_name == "qualcoder":  # UTF-16 code units over the \n text (as Qt's editor counts)
        assert "\r" not in text
        units = text.encode("utf-16-le")
        return units[2 * start : 2 * end].decode("utf-16-le")
    if target_name == "atlas":  # CRLF stored, counted as one
        assert "\r\n" in text
        return text.replace("\r\n", "\n")[start:end]
    return text[start:end]


def expected_quotes(path: Path) -> dict[str, str]:
    """Each active coding's words as the project stores them, by the coding's UUID."""
    with open_project(path, user="tester") as project:
        return {r["uuid"]: r["quote"] for r in project.query("SELECT uuid, quote FROM codings WHERE status = 'active'")}


@pytest.mark.parametrize("name", TARGET_NAMES)
def test_every_target_is_valid_and_each_selection_holds_its_words(rich: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.qdpx"
    with open_project(rich, user="tester") as project:
        report = export_qdpx(project, out, target=name)
    root, entries = read_archive(out)
    xsd = schema()
    assert xsd.validate(root), xsd.error_log
    quotes = expected_quotes(rich)
    assert report.codings == len(quotes) > 40
    checked = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        guid = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{guid}.txt"
        body = entries[f"sources/{guid}.txt"]
        assert body.startswith(b"\xef\xbb\xbf") == (name in ("nvivo", "qualcoder"))
        for selection in source.iterfind("q:PlainTextSelection", NS):
            coding = selection.find("q:Coding", NS).get("guid")
            words = slice_as(name, body, int(selection.get("startPosition")), int(selection.get("endPosition")))
            assert words == quotes[coding], (name, selection.get("startPosition"))
            checked += 1
    assert checked == len(quotes)
    sets = {s.get("name"): s for s in root.iterfind("q:Sets/q:Set", NS)}
    assert len(sets["核心代码 core"].findall("q:MemberCode", NS)) == 3
    assert len(sets["访谈 interviews"].findall("q:MemberSource", NS)) == 3
    assert sets["empty for now"].findtext("q:Description", namespaces=NS) == "Kind: code"
    notes = {n.get("guid") for n in root.iterfind("q:Notes/q:Note", NS)}
    refs = {r.get("targetGUID") for r in root.iter("{%s}NoteRef" % NS["q"])}
    linked = {link.get("originGUID") for link in root.iterfind("q:Links/q:Link", NS)}
    assert len(notes) == 6 and refs | linked == notes  # every memo hangs on what it is about
    assert all(n == n.lower() or not n.startswith("Sources/") for n in entries)
    assert {n.split("/")[0] for n in entries} == {"project.qde", "sources"}


def test_astral_characters_move_nvivo_positions_but_not_the_standard(rich: Path, tmp_path: Path) -> None:
    positions = {}
    for name in ("standard", "nvivo"):
        with open_project(rich, user="tester") as project:
            export_qdpx(project, tmp_path / f"{name}.qdpx", target=name)
        root, _ = read_archive(tmp_path / f"{name}.qdpx")
        positions[name] = [(s.get("startPosition"), s.get("endPosition")) for s in root.iterfind(".//q:PlainTextSelection", NS)]
    assert len(positions["nvivo"]) == len(positions["standard"])
    assert positions["nvivo"] != positions["standard"]


def test_guids_are_the_same_in_every_export(rich: Path, tmp_path: Path) -> None:
    with open_project(rich, user="tester") as project:
        export_qdpx(project, tmp_path / "a.qdpx")
        export_qdpx(project, tmp_path / "b.qdpx")
        uuids = {r["uuid"] for r in project.query("SELECT uuid FROM sources UNION SELECT uuid FROM codes"
                                                   " UNION SELECT uuid FROM codings UNION SELECT uuid FROM cases")}
    first, entries_a = read_archive(tmp_path / "a.qdpx")
    _, entries_b = read_archive(tmp_path / "b.qdpx")
    assert entries_a == entries_b  # byte for byte, texts and all
    listed = [e.get("guid") for e in first.iter() if e.get("guid")]
    guids = set(listed)
    assert uuids <= guids
    assert len(listed) == len(guids)  # selections' GUIDs, derived from their codings', clash with nothing


def test_scope_narrows_sources_cases_and_codings(rich: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.qdpx"
    with open_project(rich, user="tester") as project:
        report = export_qdpx(project, out, target="standard", scope=Scope(site="X village", coder="赵"))
        in_site = project.query("SELECT count(*) AS n FROM sources s JOIN sites t ON t.id = s.site_id WHERE t.name = 'X village'")[0]["n"]
        by_zhao = project.query("SELECT count(*) AS n FROM codings g JOIN sources s ON s.id = g.source_id"
                                " JOIN sites t ON t.id = s.site_id WHERE t.name = 'X village' AND g.coder = '赵'")[0]["n"]
    root, _ = read_archive(out)
    assert schema().validate(root)
    assert report.sources == in_site == len(root.findall("q:Sources/q:TextSource", NS))
    assert report.codings == by_zhao == len(root.findall(".//q:Coding", NS))
    names = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert {names[c.get("creatingUser")] for c in root.iterfind(".//q:Coding", NS)} == {"赵"}


def test_cli_writes_a_private_file(rich: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fieldcase.cli import cli

    out = tmp_path / "out" / "study"
    result = CliRunner().invoke(cli, ["qdpx", "export", str(out), "-p", str(rich), "--target", "atlas"])
    assert result.exit_code == 0, result.output
    written = out.with_name("study.qdpx")
    assert "for atlas" in result.output
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert not list(written.parent.glob(".*partial*"))


def test_the_cli_writes_pseudonyms_unless_told_not_to_and_says_which(rich: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fieldcase.cli import cli

    with open_project(rich, user="tester") as project:
        pseudonyms.add(project, "刘霞", "L女士")
    runner = CliRunner()
    default = runner.invoke(cli, ["qdpx", "export", str(tmp_path / "shared.qdpx"), "-p", str(rich)])
    assert default.exit_code == 0 and "pseudonyms in place of real names" in default.output
    both = runner.invoke(cli, ["qdpx", "export", str(tmp_path / "x.qdpx"), "-p", str(rich), "--no-pseudonyms",
                               "--check-names"])
    assert both.exit_code == 2 and "give one or the other" in both.output and not (tmp_path / "x.qdpx").exists()
    assert re.search(r"\d+ cases?, \d+ sites?, \d+ memos?", default.output)  # cases and sites counted apart
    kept = runner.invoke(cli, ["qdpx", "export", str(tmp_path / "mine.qdpx"), "-p", str(rich), "--no-pseudonyms"])
    assert kept.exit_code == 0 and "REAL NAMES kept (--no-pseudonyms)" in kept.output
    shared = "".join(b.decode("utf-8-sig") for b in read_archive(tmp_path / "shared.qdpx")[1].values())
    mine = "".join(b.decode("utf-8-sig") for b in read_archive(tmp_path / "mine.qdpx")[1].values())
    assert "刘霞" not in shared and "L女士" in shared
    assert "刘霞" in mine


def test_pseudonyms_leave_no_real_name_in_the_archive(rich: Path, tmp_path: Path) -> None:
    real = {"刘霞": "L", "Li Ling": "Lan", "张大伯": "Z伯", "赵": "Q", "X village": "V village"}
    with open_project(rich, user="tester") as project:
        for name, pseudonym in real.items():
            pseudonyms.add(project, name, pseudonym)
        present = [r for r in real if any(r in (t or "") for t in
                                           [r["text"] for r in project.query("SELECT text FROM sources")])]
        assert len(present) >= 3
        report = export_qdpx(project, tmp_path / "p.qdpx", target="nvivo", pseudonyms=True, check_names=True)
        plain = export_qdpx(project, tmp_path / "real.qdpx", target="nvivo")
    root, entries = read_archive(tmp_path / "p.qdpx")
    assert schema().validate(root)
    everything = "\n".join(html.unescape(b.decode("utf-8-sig")) for b in entries.values()) + "".join(entries)
    for name in real:
        assert name not in everything, name
    _, real_entries = read_archive(tmp_path / "real.qdpx")
    assert any("刘霞" in b.decode("utf-8-sig") for b in real_entries.values())  # the names were there to replace
    assert report.codings == plain.codings
    # every selection still starts and ends where the renamed words are
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        body = entries[f"sources/{source.get('guid')}.txt"]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            words = slice_as("nvivo", body, int(selection.get("startPosition")), int(selection.get("endPosition")))
            assert words and "刘霞" not in words


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60), st.data())
def test_nvivo_counter_is_utf16_over_crlf_text(text: str, data: st.DataObject) -> None:
    nvivo = target("nvivo")
    written = nvivo.file_text(text)
    count = nvivo.counter(text)
    offset = data.draw(st.integers(0, len(text)))
    assert count(offset) * 2 == len(nvivo.file_text(text[:offset]).encode("utf-16-le"))
    assert written.encode("utf-16-le")[: 2 * count(offset)].decode("utf-16-le") == nvivo.file_text(text[:offset])


@given(st.text("ab张三 ", max_size=30), st.data())
def test_moved_offsets_keep_the_words_around_each_name(text: str, data: st.DataObject) -> None:
    spans, at = [], 0
    while (found := text.find("张三", at)) >= 0:
        spans.append((found, found + 2, "H"))
        at = found + 2
    moved = Moved(text, spans)
    assert moved.text == text.replace("张三", "H")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    got = moved.text[moved(start) : moved(end, end=True)]
    # a plain model: the characters between the offsets, and each name they touch as its pseudonym
    want, at = [], start
    for s, e, pseudonym in spans:
        if s < end and start < e:
            want += [text[at:s] if at < s else "", pseudonym]
            at = e
    want.append(text[at:end] if at < end else "")
    assert got == "".join(want)
    assert moved(0) == 0 and moved(len(text), end=True) == len(moved.text)


def test_sets_narrow_like_every_scope(rich: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fieldcase.cli import cli
    from fieldcase.store import codes, sets

    out = tmp_path / "sets.qdpx"
    result = CliRunner().invoke(cli, ["qdpx", "export", str(out), "-p", str(rich), "--source-set", "访谈 interviews",
                                      "--code-set", "核心代码 core", "--json"])
    assert result.exit_code == 0, result.output
    with open_project(rich, user="tester") as project:
        members = sets.member_ids(project, "code", "核心代码 core")
        in_set = {c["uuid"] for i in members for c in [codes.find(project, i)]}
        in_set |= {c["uuid"] for c in codes.tree(project, counts=False) if any(
            codes.find(project, m)["key"] in c["path"] for m in members)}
    root, _ = read_archive(out)
    assert len(root.findall("q:Sources/q:TextSource", NS)) == 3
    coded = {r.get("targetGUID") for r in root.iterfind(".//q:Coding/q:CodeRef", NS)}
    assert coded and coded <= in_set


def test_control_characters_and_lost_codings_are_no_crash(project, tmp_path: Path) -> None:
    from fieldcase.store import codes, codings, sources, texts

    source_id = sources.add(project, {"kind": "document", "title": "a\x0btitle\x01", "text": "one two three"})
    codes.add(project, key="k", name_en="Bell\x07 code", description="ring\x07")
    codings.add(project, source_id, "k", 4, 7)
    texts.replace_text(project, source_id, "nothing alike here")  # the coded words are gone: the coding is orphaned
    report = export_qdpx(project, tmp_path / "c.qdpx")
    root, _ = read_archive(tmp_path / "c.qdpx")
    assert schema().validate(root)
    assert root.find("q:Sources/q:TextSource", NS).get("name") == "atitle"
    assert report.codings == 0 and report.left_out == [
        "1 coding whose words were lost in a text edit (re-anchor them first)"]


def test_the_cli_says_when_an_export_replaces_a_file(rich: Path, tmp_path: Path) -> None:
    """Fault 13: writing over an earlier export is said (the folder is made, as every export makes it)."""
    import json

    from click.testing import CliRunner

    from fieldcase.cli import cli

    out = tmp_path / "new folder" / "study.qdpx"
    first = CliRunner().invoke(cli, ["qdpx", "export", str(out), "-p", str(rich)])
    assert first.exit_code == 0 and "replaced" not in first.output, first.output
    again = CliRunner().invoke(cli, ["qdpx", "export", str(out), "-p", str(rich)])
    assert again.exit_code == 0 and again.output.rstrip().endswith("(it replaced the file that was there)")
    shown = json.loads(CliRunner().invoke(cli, ["qdpx", "export", str(out), "-p", str(rich), "--json"]).output)
    assert shown["replaced"] is True
