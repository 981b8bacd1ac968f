"""The CLI end to end: real argument parsing, a real database in a temporary folder."""

import json

import pytest

from desk_app.core.major_review import SECTION_KEYS

LOG = ["log", "--summary", "Laptop will not boot", "--description", "Black screen",
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Workplace", "--impact", "high", "--urgency", "high",
       "--category", "Hardware", "--subcategory", "Laptop"]


def database_bytes(tmp_path) -> dict:
    """Row counts of every table, to prove a refused command wrote nothing."""
    import sqlite3

    con = sqlite3.connect(tmp_path / "desk" / "desk.sqlite3")
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'ticket_search%'")]
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    con.close()
    return counts


def test_log_prints_number_and_json(run):
    code, out, _ = run(*LOG)
    assert (code, out.strip()) == (0, "INC-000001")
    code, out, _ = run(*LOG, "--json")
    ticket = json.loads(out)
    for key in ("number", "type", "status", "priority", "impact", "urgency", "summary",
                "description", "category", "subcategory", "service", "ci", "group",
                "assignee", "reporter", "channel", "detected_at", "logged_at", "resolved_at",
                "closed_at", "reopen_count", "sla", "checklists", "history", "worklog"):
        assert key in ticket, key
    assert ticket["priority"] == "P1" and ticket["major"] is True
    assert set(ticket["sla"]) >= {"response_due", "resolution_due", "paused", "warning",
                                  "breached"}
    assert ticket["logged_at"].endswith(("+00:00", "+01:00"))


def test_full_lifecycle_through_the_cli(run):
    run(*LOG)
    steps = [
        ("assign", "INC-000001", "--technician", "alice"),
        ("start", "INC-000001"),
        ("note", "INC-000001", "Replaced the battery", "--kind", "visit", "--minutes", "30"),
        ("checklist", "INC-000001", "--tick", "2", "3"),  # 1 ticks by searching
        ("hold", "INC-000001", "--reason", "awaiting_user"),
        ("resume", "INC-000001"),
        ("escalate", "INC-000001", "--reason", "Needs desktop team"),
        ("escalate", "INC-000001", "--hierarchic", "--reason", "VIP user"),
        ("link", "INC-000001", "--rfc", "CHG-1"),
        ("resolve", "INC-000001", "--type", "permanent", "--code", "solved", "--notes",
         "New battery"),
        ("confirm", "INC-000001"),
    ]
    for step in steps:
        code, _, err = run(*step)
        assert code == 0, (step, err)
    code, _, err = run("close", "INC-000001", "--knowledge", "updated")
    assert code == 2 and "problem" in err  # a P1 needs a problem decision
    code, _, err = run("close", "INC-000001", "--knowledge", "updated", "--no-problem-needed")
    assert code == 2 and "incident manager" in err  # "not needed" alone: no longer
    code, _, err = run("close", "INC-000001", "--knowledge", "updated",
                       "--no-problem-reason", "A one-off power cut")
    assert code == 2 and "review:" in err  # a P1 is a major incident: reviewed first
    sections = [arg for key in SECTION_KEYS for arg in (f"--{key}", "Reviewed")]
    assert run("review", "edit", "INC-000001", *sections)[0] == 0
    assert run("review", "complete", "INC-000001")[0] == 0
    code, _, err = run("close", "INC-000001", "--knowledge", "updated",
                       "--no-problem-reason", "A one-off power cut")
    assert code == 0, err
    code, out, _ = run("show", "INC-000001", "--json")
    ticket = json.loads(out)
    assert ticket["status"] == "closed" and ticket["rfc"] == "CHG-1"
    assert ticket["support_level"] == "L2" and ticket["management_level"] == "Team lead"
    assert [i["done"] for i in ticket["checklists"]["categorisation"]] == [False, True, True]
    fields = {h["field"] for h in ticket["history"]}
    assert {"status", "assignee", "group", "hold_reason", "resolved_at", "closed_at"} <= fields


def test_list_filters_and_search(run):
    run(*LOG)
    run(*[a if a != "Laptop will not boot" else "Printer out of toner" for a in LOG])
    code, out, _ = run("list", "--search", "toner", "--json")
    assert [r["summary"] for r in json.loads(out)] == ["Printer out of toner"]
    code, out, _ = run("list", "--status", "open", "--priority", "P1", "--json")
    assert len(json.loads(out)) == 2
    code, out, _ = run("list", "--status", "closed", "--json")
    assert json.loads(out) == []
    code, out, _ = run("list")
    assert code == 0
    assert "INC-000002" in out and "(2 tickets)" in out
    code, out, _ = run("list", "--limit", "1")
    assert "(1 of 2 tickets; --limit shows more)" in out


def test_list_search_by_number_finds_the_ticket_wherever_it_is(run):
    run(*LOG)
    run(*LOG)
    run("cancel", "INC-000002", "--reason", "mislogged")
    for typed in ("2", "inc-2", "INC-000002"):
        _code, out, _ = run("list", "--search", typed, "--status", "open", "--json")
        assert [r["number"] for r in json.loads(out)] == ["INC-000002"], typed


@pytest.mark.parametrize(("args", "field"), [
    (["log", "--summary", "x"], "reporter"),
    ([*LOG[:-2], "--subcategory", "Toaster"], "subcategory"),
    ([*LOG, "--detected-at", "yesterday-ish"], "detected_at"),
    (["show", "INC-999999"], "number"),
    (["resolve", "INC-000001", "--type", "permanent", "--code", " ", "--notes", "x"], "code"),
    (["close", "INC-000001"], "status"),
    (["resume", "INC-000001"], "status"),
    (["confirm", "INC-000001"], "status"),
    (["reject", "INC-000001", "--reason", "no"], "status"),
    (["reopen", "INC-000001", "--reason", "again"], "status"),
    (["cancel", "INC-000001", "--reason", "duplicate"], "duplicate_of"),
    (["assign", "INC-000001", "--group", "Plumbers"], "group"),
    (["assign", "INC-000001", "--technician", "nobody"], "technician"),
    (["assign", "INC-000001"], "group"),
    (["note", "INC-000001", " "], "note"),
    (["note", "INC-000001", "x", "--minutes", "-5"], "minutes"),
    (["note", "INC-000001", "x", "--status", "on_hold"], "hold_reason"),
    (["link", "INC-000001"], "link"),
    (["link", "INC-000001", "--problem", "INC-000001"], "problem"),
    (["link", "INC-000001", "--parent", "INC-000001"], "parent"),
    (["checklist", "INC-000001", "--tick", "Polish the screen"], "item"),
    (["categorise", "INC-000001", "--category", "Plumbing"], "category"),
    (["reprioritise", "INC-000001", "--reason", "x"], "priority"),
    (["convert", "INC-000001", "--to", "incident"], "type"),
    (["escalate", "INC-000001", "--reason", " "], "reason"),
    (["report", "--since", "2026-12-01", "--until", "2026-11-01"], "since"),
    (["report", "--since", "soon"], "since"),
    (["export", "--format", "json", "--out", "/nonexistent-dir/x.json"], "out"),
    (["group", "add", "Service Desk", "--level", "L1"], "name"),
    (["technician", "add", "bob smith", "--name", "Bob", "--role", "support"], "login"),
    (["technician", "update", "alice", "--role", "support"], "role"),
    (["policy", "set", "lifecycle", '{"reopen_window_days": -2}'],
     "policy lifecycle.reopen_window_days"),
    (["policy", "set", "lifecycle", "{not json"], "value"),
    (["import", "/nonexistent.json"], "file"),
    (["demo", "--tickets", "0"], "tickets"),
])
def test_refused_input_exits_2_names_the_field_and_writes_nothing(run, tmp_path, args, field):
    run(*LOG)
    before = database_bytes(tmp_path)
    code, _, err = run(*args)
    if field is None:
        assert code == 1  # not a refusal: the operating system said no
    else:
        assert code == 2, err
        assert f"refused: {field}" in err
    assert database_bytes(tmp_path) == before


def test_argparse_rejects_bad_choices_with_exit_2(run):
    with pytest.raises(SystemExit) as err:
        run("log", "--impact", "enormous")
    assert err.value.code == 2


def test_only_administrators_change_policy_and_people(run):
    run("status")  # alice becomes the administrator of the new desk
    assert run("technician", "add", "sam", "--name", "Sam", "--role", "support",
               "--group", "Desktop Support")[0] == 0
    code, _, err = run("--as", "sam", "policy", "set", "lifecycle",
                       '{"reopen_window_days": 1, "auto_close_grace_days": 1}')
    assert code == 2 and "refused: role" in err
    code, _, err = run("--as", "sam", "group", "add", "Night", "--level", "L1")
    assert code == 2 and "refused: role" in err
    code, _, err = run("--as", "mallory", "status")
    assert code == 2 and "not a technician" in err
    assert run("policy", "set", "lifecycle",
               '{"reopen_window_days": 1, "auto_close_grace_days": 1}')[0] == 0
    code, out, _ = run("policy", "show", "lifecycle")
    assert json.loads(out) == {"lifecycle": {"reopen_window_days": 1,
                                             "auto_close_grace_days": 1}}


def test_housekeeping(run):
    code, out, _ = run("housekeeping")
    assert (code, out.strip()) == (0, "nothing to do")
    run(*LOG)
    code, out, _ = run("resolve", "INC-000001", "--type", "permanent", "--code", "solved",
                       "--notes", "ok", "--knowledge", "updated", "--no-problem-needed")
    assert code == 0
    code, out, _ = run("housekeeping", "--json")
    assert json.loads(out)["closed"] == []  # the grace period has not passed yet


def test_report_json(run):
    run(*LOG)
    run("resolve", "INC-000001", "--type", "permanent", "--code", "solved", "--notes", "ok")
    code, out, _ = run("report", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["tickets"]["by_status"] == {"resolved": 1}
    assert data["mttr"]["overall"]["count"] == 1
    # a P1 is a major incident, sent straight to L3: not a first-contact resolution
    assert data["first_contact_resolution"]["percent"] == 0.0


def test_demo_writes_realistic_tickets(run):
    code, out, _ = run("demo", "--tickets", "300")
    assert code == 0 and "300" in out
    code, out, _ = run("report", "--json")
    data = json.loads(out)
    assert sum(data["tickets"]["by_status"].values()) == 300
    assert set(data["tickets"]["by_priority"]) == {"P1", "P2", "P3", "P4"}
    assert data["tickets"]["by_priority"]["P3"] > 200  # the real data's mix
    assert 0 < data["reopen_rate"]["percent"] < 15
    assert data["sla"]["resolution"]["percent"] < 100  # some breached
    code, out, _ = run("list", "--status", "closed", "--limit", "1", "--json")
    number = json.loads(out)[0]["number"]
    code, out, _ = run("show", number, "--json")
    ticket = json.loads(out)
    assert len(ticket["history"]) >= 5 and ticket["worklog"]
    assert run(*LOG)[1].strip().startswith("INC-")  # numbering continues after the demo


def test_note_changes_the_status_in_the_same_step(run):
    run(*LOG)
    code, out, err = run("note", "INC-000001", "Asked for the serial number", "--minutes",
                         "5", "--status", "on_hold", "--hold-reason", "awaiting_user")
    assert code == 0, err
    assert out.strip() == "INC-000001: worklog entry added, now On hold"
    code, out, _ = run("show", "INC-000001", "--json")
    ticket = json.loads(out)
    assert (ticket["status"], ticket["hold_reason"]) == ("on_hold", "awaiting_user")
    assert ticket["worklog"][-1]["note"] == "Asked for the serial number"
