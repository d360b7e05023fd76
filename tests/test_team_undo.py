"""A team on one project file: each undoes their own changes, never destroys another's work."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fieldcase.errors import InputError
from fieldcase.store import codes, codings, history, memos, pseudonyms, sources
from fieldcase.store.project import open_project
from fieldcase.store.reverting import Refused


@pytest.fixture
def team(coded):
    """``tester`` (the fixture's project) and ``li`` on the same file, two connections."""
    mine, source = coded
    with open_project(mine.path, user="li") as theirs:
        yield mine, theirs, source


def active(project):
    return [(c["coder"], c["start"]) for c in codings.query(project)]


def test_undo_takes_back_only_my_own_newest_change(team):
    mine, theirs, source = team
    codings.add(mine, source, "land", 0, 3)
    codings.add(theirs, source, "land", 5, 9)  # newer, but li's
    assert history.undo(mine)["summary"] == "Coded 土地要素 in h"  # by name and title
    assert active(mine) == [("li", 5)]
    history.undo(theirs)
    assert active(mine) == []


def test_a_colleagues_pseudonym_survives_my_undo(project):
    with open_project(project.path, user="li") as theirs:
        codes.add(project, key="mine", name_en="Mine")
        pseudonyms.add(theirs, "张三", "H")
    history.undo(project)  # my code, not li's pseudonym
    assert pseudonyms.mapping(project) == {"张三": "H"}
    with pytest.raises(InputError, match="nothing to undo: tester has no change in effect"):
        history.undo(project)
    assert pseudonyms.mapping(project) == {"张三": "H"}


def test_redo_chains_are_per_person(team):
    mine, theirs, source = team
    codings.add(mine, source, "land", 0, 3)
    codings.add(theirs, source, "land", 5, 9)
    history.undo(mine)
    history.undo(theirs)
    codings.add(theirs, source, "talent", 1, 2)  # li's new change ends li's redo, not mine
    assert history.redo(mine)["summary"] == "Coded 土地要素 in h"
    with pytest.raises(InputError, match="nothing to redo"):
        history.redo(theirs)
    assert sorted(active(mine)) == [("li", 1), ("tester", 0)]


def test_an_undone_coding_keeps_its_id_so_redo_works_after_a_colleague_codes(team):
    mine, theirs, source = team
    first, _ = codings.add(mine, source, "land", 0, 3)
    history.undo(mine)
    second, _ = codings.add(theirs, source, "land", 5, 9)
    assert second["id"] != first["id"]
    history.redo(mine)
    assert sorted(active(mine)) == [("li", 5), ("tester", 0)]


def test_undo_refuses_when_a_colleague_changed_the_same_row_since(team):
    mine, theirs, source = team
    coding, _ = codings.add(mine, source, "land", 0, 3)
    codings.set_memo(theirs, coding["id"], "li's note")
    memo_group = history.history(mine, 1)[0]["id"]
    with pytest.raises(Refused) as refused:
        history.undo(mine)
    message = str(refused.value)
    assert f"li's change #{memo_group} (Memo on the coding of 土地要素 in h) changed the same rows since" in message
    assert f"fieldcase revert {memo_group} --of li" in message and "\n" not in message
    assert codings.get(mine, coding["id"])["memo"] == "li's note"  # nothing was touched
    history.undo(theirs)
    history.undo(mine)  # with li's memo undone, mine can go
    assert active(mine) == []


def test_undo_of_a_code_refuses_while_a_colleague_codes_with_it(team):
    mine, theirs, source = team
    code = codes.add(mine, key="networks", name_en="Networks")
    coding, _ = codings.add(theirs, source, "networks", 0, 3)
    with pytest.raises(Refused, match=r"li's change #\d+ \(Coded Networks in h\) depends on what it made"):
        history.undo(mine)
    assert codes.find(mine, "networks")["id"] == code["id"]
    assert codings.get(mine, coding["id"])  # not cascaded away


def test_undo_of_a_code_refuses_while_a_colleagues_memo_is_on_it(team):
    mine, theirs, _ = team
    codes.add(mine, key="networks", name_en="Networks")
    memos.add(theirs, "code", "networks", "what li thinks")
    with pytest.raises(Refused, match="li's change .* depends on what it made"):
        history.undo(mine)
    assert len(memos.list_all(mine, "code", codes.find(mine, "networks")["id"])) == 1


def test_redo_of_a_deletion_refuses_to_take_a_colleagues_new_coding_with_it(team):
    mine, theirs, source = team
    codes.delete(mine, "land")
    history.undo(mine)
    coding, _ = codings.add(theirs, source, "land", 0, 3)
    with pytest.raises(Refused, match=r"cannot redo .*Deleted code 土地要素 \(0 codings\).*li's change"):
        history.redo(mine)
    assert codings.get(mine, coding["id"])


def test_putting_back_a_row_whose_parent_a_colleague_removed_is_refused(team):
    mine, theirs, source = team
    codes.add(mine, key="networks", name_en="Networks")
    coding, _ = codings.add(theirs, source, "networks", 0, 3)
    codings.remove(theirs, coding["id"])
    history.undo(mine)  # li's coding is gone, so the code may go
    with pytest.raises(Refused, match=r"tester's change #\d+ \(Undid: .*\) removed what it needs; tester can redo it"):
        history.undo(theirs)  # li's removal: the coding would point at no code


def test_putting_back_a_deleted_code_whose_key_was_taken_names_who_took_it(team):
    mine, theirs, _ = team
    codes.add(mine, key="networks", name_en="Networks")
    codes.delete(mine, "networks")
    codes.add(theirs, key="networks", name_en="Li's networks")
    with pytest.raises(Refused, match=r"li's change #\d+ \(.*\) now holds the same key"):
        history.undo(mine)


def test_revert_names_the_author_and_is_undone_by_who_reverted(team):
    mine, theirs, source = team
    codings.add(theirs, source, "land", 5, 9)
    theirs_id = history.history(mine, 1)[0]["id"]
    with pytest.raises(InputError, match=f"change #{theirs_id} was made by li, not wang; to revert it say --of li"):
        history.revert(mine, theirs_id, "wang")
    history.revert(mine, theirs_id, "li")
    assert active(mine) == []
    top = history.history(mine, 2)
    assert top[0]["action"] == "revert" and top[0]["user"] == "tester"
    assert top[0]["summary"] == f"Reverted li's #{theirs_id}: Coded 土地要素 in h"
    assert top[1]["state"] == "undone"
    with pytest.raises(InputError, match="already undone"):
        history.revert(mine, theirs_id, "li")
    history.undo(mine)  # the revert was mine: my undo takes it back
    assert active(mine) == [("li", 5)]
    assert history.history(mine, 3)[2]["state"] == ""


def test_an_undo_cannot_be_reverted_by_someone_else(team):
    mine, theirs, source = team
    codings.add(theirs, source, "land", 5, 9)
    history.undo(theirs)
    undo_id = history.history(mine, 1)[0]["id"]
    with pytest.raises(InputError, match=f"change #{undo_id} is li's undo of #{undo_id - 1}; only li can step it back"):
        history.revert(mine, undo_id, "li")


def test_history_by_person_and_states(team):
    mine, theirs, source = team
    codings.add(mine, source, "land", 0, 3)
    codings.add(theirs, source, "land", 5, 9)
    history.undo(mine)
    history.redo(mine)
    history.undo(mine)
    rows = history.history(mine, 10, user="tester")
    assert [(r["action"], r["state"]) for r in rows[:4]] == [
        ("undo", ""), ("redo", ""), ("undo", "redone"), ("coding.add", "undone")]
    assert {r["user"] for r in rows} == {"tester"}
    assert [r["user"] for r in history.history(mine, 10, user="li")] == ["li"]
    assert history.users(mine) == ["tester", "li"]


def test_a_text_edit_is_not_undone_under_a_colleagues_coding_made_on_the_new_text(team):
    from conftest import INTERVIEW_TEXT
    from fieldcase.store.texts import replace_text

    mine, theirs, source = team
    replace_text(mine, source, INTERVIEW_TEXT.replace("先搞土地流转，", ""))
    codings.add(theirs, source, "land", *codings.locate_quote(sources.find(mine, source)["text"], "合作社"))
    with pytest.raises(Refused, match="li's change .* coded the text it changed since"):
        history.undo(mine)
    assert [c["text"] for c in codings.query(mine)] == ["合作社"]


def test_undoing_an_import_keeps_a_colleagues_unsaved_edit_of_it(project, tmp_path):
    from conftest import INTERVIEW_TEXT, write
    from fieldcase.importers import import_paths
    from fieldcase.store import drafts

    (result,) = import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)])
    with open_project(project.path, user="li") as li:
        draft = drafts.save(li, None, INTERVIEW_TEXT + "（补）", {}, source_id=result.id)
    with pytest.raises(Refused, match=f"li's unsaved draft #{draft} depends on it; store or discard the draft first"):
        history.undo(project)
    assert drafts.get(project, draft)["text"].endswith("（补）")


def log_matches_rows(project) -> list[str]:
    """Rows whose current state differs from what the newest logged change says of them:
    anything written, or removed, outside the change log."""
    wrong = []
    newest = project.query(
        "SELECT c.table_name, c.row_id, c.op, c.after FROM changes c JOIN"
        " (SELECT table_name, row_id, max(id) AS id FROM changes GROUP BY table_name, row_id) n ON n.id = c.id"
    )
    for change in newest:
        table, row_id = change["table_name"], change["row_id"]
        rows = project.query(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])
        if change["op"] == "delete":
            if rows:
                wrong.append(f"{table} {row_id} exists but was logged as deleted")
            continue
        if not rows:
            wrong.append(f"{table} {row_id} is gone but the log never removed it")
            continue
        after = json.loads(change["after"])
        if any(rows[0][k] != v for k, v in after.items()):
            wrong.append(f"{table} {row_id} differs from its last logged state")
    return wrong


OPS = st.lists(st.tuples(
    st.sampled_from(["code", "uncode", "memo", "add-code", "delete-code", "undo", "redo", "revert"]),
    st.sampled_from([0, 1]),  # who
    st.integers(0, 3),  # which code, coding or change
), max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
@example(ops=[("add-code", 0, 0), ("code", 1, 0), ("undo", 0, 0)])  # li codes with zhao's new code
@example(ops=[("add-code", 0, 0), ("code", 0, 0), ("memo", 1, 0), ("undo", 0, 0)])  # li's memo on it
@example(ops=[("add-code", 0, 0), ("delete-code", 0, 0), ("undo", 0, 0), ("code", 1, 0), ("redo", 0, 0)])
@example(ops=[("add-code", 1, 0), ("code", 1, 0), ("revert", 0, 1), ("uncode", 1, 0), ("undo", 0, 0)])
def test_two_people_undoing_redoing_and_reverting_never_leave_the_log_untrue(tmp_path_factory, ops):
    from conftest import INTERVIEW_TEXT, write
    from fieldcase.importers import import_paths
    from fieldcase.store.project import init_project

    folder = tmp_path_factory.mktemp("team")
    path = folder / "team.fieldcase"
    with init_project(path, user="zhao", framework="none") as zhao, open_project(path, user="li") as li:
        import_paths(zhao, [write(folder / "h.txt", INTERVIEW_TEXT)])
        people = [zhao, li]
        for op, who, n in ops:
            me = people[who]
            code_keys = [c["key"] for c in codes.tree(me)]
            mine = [c["id"] for c in codings.query(me)]
            try:
                if op == "code" and code_keys:
                    codings.add(me, 1, code_keys[n % len(code_keys)], n * 5, n * 5 + 3 + who)
                elif op == "uncode" and mine:
                    codings.remove(me, mine[n % len(mine)])
                elif op == "memo" and mine:
                    codings.set_memo(me, mine[n % len(mine)], f"note {who}{n}")
                elif op == "add-code":
                    codes.add(me, name_en=f"Code {who}{n}", parent=code_keys[0] if code_keys and n % 2 else None)
                elif op == "delete-code" and code_keys:
                    codes.delete(me, code_keys[n % len(code_keys)])
                elif op == "undo":
                    history.undo(me)
                elif op == "redo":
                    history.redo(me)
                elif op == "revert":
                    others = history.history(me, 4, user=people[1 - who].user)
                    if others:
                        history.revert(me, others[n % len(others)]["id"], people[1 - who].user)
            except InputError:
                pass
            except Exception as err:  # a refusal is fine; a failed write is not
                if type(err).__name__ not in ("NotFoundError", "AmbiguousError"):
                    raise
            assert log_matches_rows(zhao) == []


def test_a_form_saved_unchanged_is_no_change_and_undo_never_sticks(project):
    from fieldcase.store import cases, history

    cases.add(project, "H", notes="returned 2012")
    cases.update(project, "H", {"name": "H", "notes": "returned 2012"})  # saved as it was
    assert history.history(project, 5)[0]["summary"] == "Added case H"  # nothing logged
    history.undo(project)
    assert cases.list_all(project) == []
