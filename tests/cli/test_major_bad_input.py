"""Bad input to ``desk-app major`` and ``desk-app review`` found by the issue-15 review:
each is refused naming the field (exit 2), never a traceback, and writes nothing."""

import json
from pathlib import Path

from desk_app.core.validation import TEXT_MAX
from tests.cli.test_commands import database_bytes

LOG = ["log", "--summary", "Printing down", "--description", "No printer answers",
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Printing", "--impact", "low", "--urgency", "low"]


def _ok(run, *args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, (args, err)
    return out


def _refused(run, tmp_path, field: str, *args: str) -> str:
    before = database_bytes(tmp_path)
    code, _out, err = run(*args)
    assert code == 2 and f"refused: {field}:" in err, (args, err)
    assert "Traceback" not in err and "internal error" not in err
    assert database_bytes(tmp_path) == before
    return err


def _major(run) -> str:
    major = _ok(run, *LOG).strip()
    _ok(run, "major", "declare", major, "--manager", "alice", "--reason", "all printers")
    return major


def test_a_next_update_too_far_ahead_is_refused(run, tmp_path):
    major = _major(run)
    _refused(run, tmp_path, "next_update_at", "major", "update", major, "--status", "s",
             "--impact", "i", "--actions", "a", "--workaround", "w",
             "--next-update", "+99999999999m")


def test_a_team_change_refused_in_one_part_changes_no_part(run, tmp_path):
    major = _major(run)
    _ok(run, "technician", "add", "cole", "--name", "Cole", "--role", "support")
    for args, field in ((["--manager", "cole", "--role", "nobody=resolver"], "team"),
                        (["--manager", "cole", "--stakeholder", "not-an-address"],
                         "stakeholders"),
                        (["--role", "cole=communications", "--stakeholder", "x@"],
                         "stakeholders")):
        _refused(run, tmp_path, field, "major", "team", major, *args)
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["manager"]["login"] == "alice" and board["team"] == []
    _ok(run, "major", "team", major, "--manager", "alice", "--role", "cole=communications")
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert [m["login"] for m in board["team"]] == ["cole"]


def test_a_review_edit_refused_for_its_problem_writes_no_section(run, tmp_path):
    major = _major(run)
    _refused(run, tmp_path, "number", "review", "edit", major, "--detection", "Users called",
             "--problem", "PRB-999999")
    view = json.loads(_ok(run, "review", "show", major, "--json"))
    assert view["sections"]["detection"] == "" and not view["started"]
    out = _ok(run, "review", "edit", major, "--detection", "Users called", "--raise-problem")
    assert out.strip() == f"{major}: wrote detection; problem record PRB-000001"


def test_an_export_onto_a_folder_is_refused(run, tmp_path):
    major = _major(run)
    folder = tmp_path / "exports"
    folder.mkdir()
    for kind in ("md", "pdf"):
        err = _refused(run, tmp_path, "out", "review", "export", major, "--format", kind,
                       "--out", str(folder))
        assert "is a folder" in err
    assert list(folder.iterdir()) == []


def test_a_section_read_from_an_endless_or_huge_file_is_refused(run, tmp_path):
    major = _major(run)
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * (TEXT_MAX + 1), encoding="utf-8")
    sources = [huge] + [Path("/dev/zero")] * Path("/dev/zero").exists()
    for source in sources:
        err = _refused(run, tmp_path, "detection", "review", "edit", major,
                       "--detection", f"@{source}")
        assert "longer than" in err


def test_a_child_of_a_running_major_incident_cannot_be_declared_one(run, tmp_path):
    major = _major(run)
    child = _ok(run, *LOG).strip()
    _ok(run, "major", "attach", major, child)
    _refused(run, tmp_path, "parent", "major", "declare", child, "--manager", "alice",
             "--reason", "bigger than it looked")
    _ok(run, "major", "detach", child)
    _ok(run, "major", "declare", child, "--manager", "alice", "--reason", "on its own")


def test_the_watcher_says_in_words_that_an_update_is_due_and_missed():
    from datetime import UTC, datetime

    from desk_app.cli.watch_commands import pass_lines
    from desk_app.services.watch import WatchEntry, WatchResult

    at = datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
    result = WatchResult()
    result.done += [WatchEntry("update_due", "INC-000001", at),
                    WatchEntry("update_missed", "INC-000001", at)]
    told = "(communications role or manager told) (at 2026-11-23 09:15)"
    assert pass_lines(result, UTC) == [f"INC-000001: major-incident update due {told}",
                                       f"INC-000001: major-incident update missed {told}"]


def test_a_timeline_entry_before_the_incident_began_is_refused(run, tmp_path):
    major = _major(run)
    err = _refused(run, tmp_path, "at", "major", "log", major, "Rebooted", "--at",
                   "1900-01-01T00:00")
    assert "before the incident began" in err


def test_one_person_given_two_roles_is_refused(run, tmp_path):
    major = _ok(run, *LOG).strip()
    _ok(run, "technician", "add", "cole", "--name", "Cole", "--role", "support")
    err = _refused(run, tmp_path, "role", "major", "declare", major, "--manager", "alice",
                   "--role", "cole=commander", "--role", "cole=resolver", "--reason", "x")
    assert "cole is named twice" in err


def test_a_bridge_link_that_is_not_a_call_link_is_refused(run, tmp_path):
    major = _major(run)
    for link in ("javascript:alert(1)", "file:///bin/sh", "meet.example.com/mi"):
        _refused(run, tmp_path, "bridge_link", "major", "bridge", major, "--bridge-link", link)
    other = _ok(run, *LOG).strip()
    _refused(run, tmp_path, "bridge_link", "major", "declare", other, "--manager", "alice",
             "--reason", "x", "--bridge-link", "file:///etc/passwd")
    _ok(run, "major", "bridge", major, "--bridge-link", "https://meet.example.com/mi")


def test_logging_offers_declaring_and_attaching_as_the_form_does(run):
    code, out, err = run(*LOG)
    assert code == 0 and err == ""  # nothing to offer: stdout is the number alone
    major = out.strip()
    code, out, err = run(*LOG[:-4], "--impact", "high", "--urgency", "high")
    assert code == 0 and out.strip().startswith("INC-")
    assert f"{out.strip()} is a major incident by the criteria; name its manager" in err
    _ok(run, "major", "declare", major, "--manager", "alice", "--reason", "all printers")
    code, out, err = run(*LOG)
    assert code == 0
    assert (f"{out.strip()} matches the running major incident {major} (Printing down); to "
            f"attach it: desk-app major attach {major} {out.strip()}") in err


def test_a_closed_or_cancelled_ticket_is_neither_stood_down_nor_detached(run, tmp_path):
    major = _major(run)
    child = _ok(run, *LOG).strip()
    _ok(run, "major", "attach", major, child)
    _ok(run, "cancel", child, "--reason", "mislogged")
    _refused(run, tmp_path, "child", "major", "detach", child)
    _ok(run, "cancel", major, "--reason", "mislogged")
    _refused(run, tmp_path, "status", "major", "stand-down", major, "--reason", "was small")
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["major"] and [c["number"] for c in board["children"]] == [child]


def test_a_child_raised_to_a_major_priority_stays_a_child_not_a_second_major(run):
    major = _major(run)
    child = _ok(run, *LOG).strip()
    _ok(run, "major", "attach", major, child)
    _ok(run, "reprioritise", child, "--priority", "P1", "--reason", "worse than it looked")
    shown = json.loads(_ok(run, "show", child, "--json"))
    assert shown["priority"] == "P1" and not shown["major"]
    assert [row["number"] for row in json.loads(_ok(run, "major", "list", "--json"))] == [major]


def test_an_update_missing_parts_names_every_missing_part_at_once(run, tmp_path):
    major = _major(run)
    err = _refused(run, tmp_path, "impact", "major", "update", major, "--status", "s",
                   "--actions", "a")
    assert "missing: impact, workaround, next_update_at" in err
    err = _refused(run, tmp_path, "status", "major", "update", major, "--status", "  ",
                   "--impact", "i", "--actions", "a", "--workaround", "w", "--final")
    assert "missing: status" in err and "next_update_at" not in err


def test_update_parts_and_timeline_entries_read_at_file(run, tmp_path):
    major = _major(run)
    status = tmp_path / "status.txt"
    status.write_text("Relays restarted\nmail flows again", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Decided to fail over to the second site", encoding="utf-8")
    _ok(run, "major", "update", major, "--status", f"@{status}", "--impact", "i",
        "--actions", f"@{status}", "--workaround", "w", "--next-update", "+30m")
    _ok(run, "major", "log", major, f"@{note}", "--kind", "decision")
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["updates"][0]["status"] == "Relays restarted\nmail flows again"
    assert board["updates"][0]["actions"] == "Relays restarted\nmail flows again"
    assert board["timeline"][-1]["text"] == "Decided to fail over to the second site"


def test_a_bad_at_file_is_refused_naming_the_part(run, tmp_path):
    major = _major(run)
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"abc\x00def")
    long_update = tmp_path / "long.txt"
    long_update.write_text("x" * 4001, encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    cases = [(tmp_path / "missing.txt", "no such file"), (folder, "is a folder"),
             (binary, "not UTF-8 text"), (nul, "not text"), (long_update, "longer than 4000")]
    for source, words in cases:
        for part in ("status", "impact", "actions", "workaround"):
            given = {"status": "s", "impact": "i", "actions": "a", "workaround": "w"}
            given[part] = f"@{source}"
            args = [arg for name, value in given.items() for arg in (f"--{name}", value)]
            err = _refused(run, tmp_path, part, "major", "update", major, *args,
                           "--next-update", "+30m")
            assert words in err, (part, err)
    long_entry = tmp_path / "long_entry.txt"
    long_entry.write_text("x" * 2001, encoding="utf-8")
    for source, words in [*cases[:4], (long_entry, "longer than 2000")]:
        err = _refused(run, tmp_path, "text", "major", "log", major, f"@{source}")
        assert words in err, err


def test_no_timeline_entry_on_a_closed_major_incident(run, tmp_path):
    major = _major(run)
    _ok(run, "cancel", major, "--reason", "mislogged")
    err = _refused(run, tmp_path, "status", "major", "log", major, "Too late")
    assert "the timeline of a closed major incident is final" in err


def test_the_policy_incident_manager_is_checked_and_a_stale_one_is_told(run, tmp_path):
    _ok(run, "technician", "add", "mia", "--name", "Mia", "--role", "incident_manager")
    err = _refused(run, tmp_path, "major_procedure.incident_manager", "policy", "set",
                   "major_procedure", '{"incident_manager": "ghost"}')
    assert "'ghost' is no technician" in err
    _ok(run, "policy", "set", "major_procedure", '{"incident_manager": "mia"}')
    major = _ok(run, *LOG[:-4], "--impact", "high", "--urgency", "high").strip()
    _ok(run, "technician", "update", "mia", "--active", "no")
    shown = _ok(run, "major", "show", major)
    assert "Manager: Alice" in shown or "(alice)" in shown
    assert "(incident manager mia is not an active technician; using alice)" in shown
    board = json.loads(_ok(run, "major", "show", major, "--json"))
    assert board["manager"]["login"] == "alice"
    assert board["manager_notice"].startswith("incident manager mia is not an active")
