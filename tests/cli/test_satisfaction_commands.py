"""The user's satisfaction from the command line: with the confirmation, on its own,
and in ``show``; refusals exit 2 naming the field and write nothing."""

import json

import pytest

from tests.cli.test_commands import LOG, database_bytes

RESOLVE = ["resolve", "INC-000001", "--type", "permanent", "--code", "solved",
           "--notes", "New battery", "--knowledge", "not_needed"]


@pytest.fixture
def resolved(run):
    run(*LOG, "--impact", "low", "--urgency", "low")
    code, _, err = run(*RESOLVE)
    assert code == 0, err


def test_confirm_records_score_and_comment_and_show_prints_them(run, resolved):
    code, out, err = run("confirm", "INC-000001", "--score", "4", "--comment", "Quick")
    assert code == 0, err
    assert out.strip() == "INC-000001: resolution confirmed by the user; satisfaction 4/5"
    code, out, _ = run("show", "INC-000001")
    assert "  satisfaction 4/5 — Quick (told to a technician, " in out
    shown = json.loads(run("show", "INC-000001", "--json")[1])
    assert shown["confirmation"] == "confirmed"
    assert {k: shown["satisfaction"][k] for k in ("score", "comment", "source")} == \
        {"score": 4, "comment": "Quick", "source": "technician"}


def test_satisfaction_replaces_the_answer(run, resolved):
    run("confirm", "INC-000001", "--score", "2")
    code, out, err = run("satisfaction", "INC-000001", "5", "--comment", "Called back, fine")
    assert code == 0, err
    assert out.strip() == "INC-000001: satisfaction 5/5 — Called back, fine"
    shown = json.loads(run("satisfaction", "INC-000001", "5", "--json")[1])
    assert (shown["satisfaction"]["score"], shown["satisfaction"]["comment"]) == (5, None)
    steps = [(h["old"], h["new"]) for h in shown["history"]
             if h["field"] == "satisfaction_score"]
    assert steps == [(None, "2"), ("2", "5")]


def test_show_without_an_answer_prints_no_satisfaction(run, resolved):
    assert "satisfaction" not in run("show", "INC-000001")[1]


@pytest.mark.parametrize(("args", "field"), [
    (["satisfaction", "INC-000001", "6"], "score"),
    (["satisfaction", "INC-000001", "four"], "score"),
    (["satisfaction", "INC-000001", "4", "--comment", "x" * 2001], "comment"),
    (["satisfaction", "INC-000002", "4"], "status"),  # still open
    (["confirm", "INC-000001", "--score", "0"], "score"),
    (["confirm", "INC-000001", "--comment", "no score"], "score"),
])
def test_refusals_exit_2_name_the_field_and_write_nothing(run, tmp_path, resolved, args,
                                                          field):
    run(*LOG)
    before = database_bytes(tmp_path)
    code, _, err = run(*args)
    assert code == 2, err
    assert f"refused: {field}" in err and "Traceback" not in err
    assert database_bytes(tmp_path) == before
