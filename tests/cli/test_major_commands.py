"""``desk-app major ...`` end to end with an injected clock: the whole procedure,
refusals that name the field, exit 2 and write nothing."""

import functools
import json
from datetime import datetime, timedelta

import pytest

from desk_app.app import open_desk
from tests.cli.test_commands import database_bytes
from tests.conftest import FakeClock

LOG = ["log", "--summary", "Printing down", "--description", "No printer answers",
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Printing", "--impact", "low", "--urgency", "low"]


@pytest.fixture
def timed(run, clock: FakeClock, monkeypatch):
    """The CLI with the test's clock (every command opens its desk through desk_for)."""
    import desk_app.cli.ticket_commands as tickets

    monkeypatch.setattr(tickets, "open_desk", functools.partial(open_desk, now_fn=clock))
    return run


def _ok(run, *args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, (args, err)
    return out


def test_the_whole_procedure_through_the_cli(timed, clock, tmp_path):
    run = timed
    major = _ok(run, *LOG).strip()
    child = _ok(run, *LOG[:-4], "--contact", "carl@example.com", "--impact", "low",
                "--urgency", "low").strip()
    _ok(run, "technician", "add", "cole", "--name", "Cole", "--role", "support")

    before = database_bytes(tmp_path)
    for args, field in ((["major", "declare", major, "--reason", "all printers"], "manager"),
                        (["major", "declare", major, "--manager", "alice", "--role", "cole",
                          "--reason", "x"], "role"),
                        (["major", "declare", major, "--manager", "alice", "--role",
                          "cole=chief", "--reason", "x"], "team"),
                        (["major", "declare", major, "--manager", "alice", "--stakeholder",
                          "nope", "--reason", "x"], "stakeholders")):
        code, out, err = run(*args)
        assert code == 2 and f"refused: {field}:" in err, (args, err)
        assert "Traceback" not in err
    assert database_bytes(tmp_path) == before

    out = _ok(run, "major", "declare", major, "--manager", "alice", "--role",
              "cole=communications", "--bridge-link", "https://meet.example.com/p",
              "--bridge-phone", "+44 20 1234", "--stakeholder", "cio@example.com",
              "--reason", "every printer is down")
    assert out.strip() == f"{major}: declared a major incident"
    clock.advance(minutes=2)
    _ok(run, "major", "log", major, "Restarted the print spooler")
    _ok(run, "major", "log", major, "Move to the backup server", "--kind", "decision")
    _ok(run, "major", "attach", major, child)
    _ok(run, "major", "bridge", major, "--bridge-room", "Ops room")
    _ok(run, "major", "team", major, "--role", "alice=commander")

    code, _, err = run("major", "update", major, "--status", "Investigating", "--impact",
                       "No printing", "--actions", "Restarting")
    assert code == 2 and "refused: workaround:" in err
    clock.advance(minutes=30)  # the first update (P4: P2's rhythm, within 30 min) is due
    passed = json.loads(_ok(run, "housekeeping", "--json"))
    assert [(d["rule"], d["number"]) for d in passed["done"]] == [("update_due", major)]
    _ok(run, "major", "update", major, "--status", "Investigating", "--impact", "No printing",
        "--actions", "Restarting", "--workaround", "Print on floor 2", "--next-update", "+20m")

    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["manager"]["login"] == "alice"
    assert sorted((m["login"], m["role"]) for m in board["team"]) == [
        ("alice", "commander"), ("cole", "communications")]
    assert (board["bridge_link"], board["bridge_phone"], board["bridge_room"]) == (
        None, None, "Ops room")  # set together: the options left out are cleared
    assert [e["kind"] for e in board["timeline"]] == ["action", "decision"]
    assert [c["number"] for c in board["children"]] == [child]
    assert [u["sequence"] for u in board["updates"]] == [1]
    assert datetime.fromisoformat(board["next_update_due"]) == clock() + timedelta(minutes=20)
    text = _ok(run, "major", "show", major)
    for words in ("MAJOR INCIDENT", "Next update due", "(in 20 min)", "Cole (cole, "
                  "communications)", "Ops room", child, "Restarted the print spooler",
                  "#1"):
        assert words in text, words
    listed = json.loads(_ok(run, "major", "list", "--json"))
    assert [row["number"] for row in listed] == [major]

    _ok(run, "resolve", major, "--type", "permanent", "--code", "spooler",
        "--notes", "Moved to the backup print server")
    shown = json.loads(_ok(run, "show", child, "--json"))
    assert shown["status"] == "resolved"
    assert shown["resolution_notes"] == "Moved to the backup print server"
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["rhythm_closed"] and board["updates"][-1]["final"]
    assert json.loads(_ok(run, "major", "list", "--json")) == []


def test_stand_down_and_detach(timed):
    run = timed
    major = _ok(run, *LOG).strip()
    child = _ok(run, *LOG).strip()
    _ok(run, "major", "declare", major, "--manager", "alice", "--reason", "big")
    _ok(run, "major", "attach", major, child)
    assert _ok(run, "major", "detach", child).strip() == f"{child}: no longer a child incident"
    code, _, err = run("major", "detach", child)
    assert code == 2 and "refused: parent:" in err
    code, _, err = run("major", "attach", major, major)
    assert code == 2 and "refused: child:" in err
    code, _, err = run("major", "stand-down", major, "--reason", " ")
    assert code == 2 and "refused: reason:" in err
    out = _ok(run, "major", "stand-down", major, "--reason", "one printer only")
    assert "stood down" in out
    code, _, err = run("major", "update", major, "--status", "x", "--impact", "x",
                       "--actions", "x", "--workaround", "x", "--next-update", "+10m")
    assert code == 2 and "refused: major:" in err
