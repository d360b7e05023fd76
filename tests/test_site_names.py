"""A site's display names (Chinese and English, migration 0013): set and cleared with
``fieldcase site set --zh/--en``, printed by the case, site, comparison and framework
chapters in their language (pseudonyms still applied), and carried by merges and the hub
(its migration 0007)."""

from __future__ import annotations

import json
import shutil

import docx

from fieldcase.exchange.merge import merge
from fieldcase.store import pseudonyms, sites
from fieldcase.store.project import init_project, open_project
from framework_fixture import code_sample


def test_site_set_names_a_site_in_both_languages_and_an_empty_name_clears_it(cli):
    cli("init", "--framework", "none")
    assert cli("site", "add", "Xiamu Village", "--zh", "夏木村").exit_code == 0
    assert cli("site", "set", "Xiamu Village", "--en", "  Xiamu   Village (Guangxi) ").exit_code == 0
    (row,) = json.loads(cli("site", "list", "--json").output)
    assert (row["name"], row["name_zh"], row["name_en"]) == ("Xiamu Village", "夏木村", "Xiamu Village (Guangxi)")
    assert "夏木村" in cli("site", "list").output
    assert cli("site", "set", "Xiamu Village", "--zh", "").exit_code == 0
    (row,) = json.loads(cli("site", "list", "--json").output)
    assert row["name_zh"] is None and row["name_en"] == "Xiamu Village (Guangxi)"
    assert sites.display_name(row, "zh") == "Xiamu Village (Guangxi)"  # the other language, else the name
    assert sites.display_name({**row, "name_en": None}, "en") == "Xiamu Village"


def _export(cli, path, *args):
    fmt = args[args.index("--format") + 1]
    out = path.parent / f"out-{len(list(path.parent.glob('out-*')))}.{fmt}"
    result = cli("export", *args, "--out", str(out), "-p", str(path), project=False)
    assert result.exit_code == 0, result.output
    return out


def test_chapters_print_a_sites_display_name_in_their_language_pseudonymised(sample, cli, tmp_path):
    code_sample(sample)
    with open_project(sample, user="tester") as project:
        sites.update(project, "Xiamu Village", {"name_zh": "夏木村", "name_en": "Xiamu (Guangxi)"})
        sites.update(project, "X village", {"name_zh": "X村"})
        pseudonyms.add(project, "夏木村", "某村")  # a display name may be a real place: renamed as any text
    zh = _export(cli, sample, "framework", "--format", "md", "--lang", "zh", "--site", "Xiamu Village").read_text()
    assert "| 某村 | X |" in zh and "Xiamu Village" not in zh and "夏木村" not in zh
    en = _export(cli, sample, "framework", "--format", "md", "--lang", "en", "--site", "Xiamu Village").read_text()
    assert "| Mou (Guangxi) | X |" in en  # the place's pseudonym covers its English spelling too
    chapter = _export(cli, sample, "comparison", "--format", "md", "--lang", "zh", "--site", "X village",
                      "--site", "Xiamu Village").read_text()
    assert "| H | X村 |" in chapter and "| X | 某村 |" in chapter and "Xiamu Village |" not in chapter
    case = _export(cli, sample, "case", "--case", "刘霞", "--format", "md", "--lang", "en").read_text()
    assert "| Site | Mou (Guangxi) |" in case
    word = docx.Document(str(_export(cli, sample, "case", "--site", "Xiamu Village", "--format", "docx",
                                     "--lang", "zh")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "某村的基本情况" in text and "Xiamu Village" not in text  # the title and the table's caption
    html = _export(cli, sample, "case", "--site", "X village", "--format", "html", "--lang", "zh").read_text()
    assert "X村" in html and "<title>X village" not in html


def test_display_names_travel_in_a_merge(sample, tmp_path):
    mine, theirs = tmp_path / "mine.fieldcase", tmp_path / "theirs.fieldcase"
    shutil.copyfile(sample, mine)
    shutil.copyfile(sample, theirs)
    with open_project(theirs, user="qian") as project:
        sites.update(project, "Xiamu Village", {"name_zh": "夏木村", "name_en": "Xiamu"})
        sites.add(project, "Y village", name_zh="Y村")
    with open_project(mine, user="zhao") as project:
        merge(project, theirs)
        assert (sites.get(project, "Xiamu Village")["name_zh"], sites.get(project, "Xiamu Village")["name_en"]) == (
            "夏木村", "Xiamu")
        assert sites.get(project, "Y village")["name_zh"] == "Y村"


def test_display_names_travel_through_the_team_hub(pg_db, tmp_path):
    from fieldcase.exchange.hub import clone, connect_project, sync_project
    from fieldcase.hubstore.schema import init_hub

    init_hub(pg_db.url)
    lead = init_project(tmp_path / "lead.fieldcase", user="lead", framework="none")
    try:
        sites.add(lead, "Xiamu Village", name_zh="夏木村")
        connect_project(lead, pg_db.url)
        sync_project(lead)
        assert pg_db.execute("SELECT name, name_zh, name_en FROM fieldcase.sites") == [("Xiamu Village", "夏木村", None)]
        member, _ = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
        try:
            assert sites.get(member, "Xiamu Village")["name_zh"] == "夏木村"
            sites.update(member, "Xiamu Village", {"name_en": "Xiamu (Guangxi)"})
            sync_project(member)
            sync_project(lead)
            assert sites.get(lead, "Xiamu Village")["name_en"] == "Xiamu (Guangxi)"
            assert pg_db.execute("SELECT name_en FROM fieldcase.sites") == [("Xiamu (Guangxi)",)]
        finally:
            member.close()
    finally:
        lead.close()


def test_a_display_name_another_site_goes_by_is_warned_about(cli):
    cli("init", "--framework", "none")
    assert cli("site", "add", "X village").exit_code == 0
    assert cli("site", "add", "Xiamu Village").exit_code == 0
    clash = cli("site", "set", "X village", "--en", "xiamu village")
    assert clash.exit_code == 0 and "warning: “xiamu village” is also the site 'Xiamu Village''s name" in clash.output
    fine = cli("site", "set", "X village", "--zh", "X村")
    assert fine.exit_code == 0 and "warning" not in fine.output
