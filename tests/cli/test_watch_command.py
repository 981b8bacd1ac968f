"""``desk-app watch``: one pass as text or JSON, the loop until Ctrl+C with a summary,
and ``housekeeping`` as the same pass."""

import json
from datetime import UTC, datetime, timedelta

from desk_app.app import open_desk
from desk_app.cli import watch_commands

LOG = ("log", "--summary", "Mail down", "--description", "No mail for anyone",
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Remote access", "--impact", "medium", "--urgency", "medium")


def test_once_with_nothing_due_says_so_and_when_next(run):
    code, out, _ = run("watch", "--once")
    assert code == 0
    assert out.splitlines() == ["nothing to do", "next due: nothing is waiting on a clock"]
    run(*LOG)
    code, out, _ = run("watch", "--once")
    assert out.splitlines()[0] == "nothing to do"
    assert out.splitlines()[1].startswith("next due: 20")


def test_once_json_reports_what_it_did(run, monkeypatch):
    run(*LOG)  # P3: response 4 h on office hours
    later = datetime.now(UTC) + timedelta(days=10)
    monkeypatch.setattr(watch_commands, "desk_for", lambda args: open_desk(
        args.data_dir, args.as_login, now_fn=lambda: later))
    code, out, _ = run("watch", "--once", "--json")
    assert code == 0
    data = json.loads(out)
    done = {(d["rule"], d["detail"]) for d in data["done"]}
    assert {("breach", "response"), ("functional", "L2 (Desktop Support)")} <= done
    assert data["breaches"] == [["INC-000001", "response"], ["INC-000001", "resolution"]]
    assert [name for _, name in data["escalated"]] == [
        "Team lead", "Service delivery manager", "IT director"]
    code, out, _ = run("watch", "--once")
    assert out.splitlines()[0] == "nothing to do"


def test_once_text_names_each_rule_and_its_moment(run, monkeypatch):
    run(*LOG)
    later = datetime.now(UTC) + timedelta(days=10)
    monkeypatch.setattr(watch_commands, "desk_for", lambda args: open_desk(
        args.data_dir, args.as_login, now_fn=lambda: later))
    code, out, _ = run("watch", "--once")
    lines = out.splitlines()
    assert code == 0
    assert any(line.startswith("INC-000001: response SLA breached (at 20") for line in lines)
    assert any("escalated to IT director" in line for line in lines)
    assert lines[-1].startswith("next due:")


def test_housekeeping_is_one_pass(run):
    run(*LOG)
    code, out, _ = run("housekeeping", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["done"] == [] and data["next_due"] is not None


def test_watch_runs_until_ctrl_c_and_sums_up(run, monkeypatch):
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(watch_commands.time, "sleep", sleep)
    code, out, _ = run("watch", "--interval", "30")
    assert code == 0
    assert out.splitlines()[-1] == "stopped after 3 pass(es); did: nothing"
    assert slept == [30, 30, 30]
    slept.clear()
    code, out, _ = run("watch", "--json")
    assert code == 0
    assert json.loads(out.splitlines()[-1]) == {"summary": {"passes": 3, "done": {}}}


def test_bad_interval_is_refused(run):
    code, _, err = run("watch", "--interval", "0")
    assert code == 2 and "interval" in err


def test_sleep_is_until_the_next_due_moment_within_the_interval():
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert watch_commands.sleep_seconds(now + timedelta(seconds=12), now, 60) == 12
    assert watch_commands.sleep_seconds(now + timedelta(hours=2), now, 60) == 60
    assert watch_commands.sleep_seconds(None, now, 60) == 60
    assert watch_commands.sleep_seconds(now - timedelta(seconds=5), now, 60) == 1
