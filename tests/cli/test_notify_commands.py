"""desk-app notifications and the preference options of profile, through the real
command line."""

import json

from desk_app.core.permissions import Permission
from desk_app.services.notify import notify
from desk_app.services.session import activity


@activity(Permission.HOUSEKEEPING)
def _tell(session, ticket, event, key):
    return notify(session, ticket, event, key, [session.actor.id], f"{ticket.number} {event}")


def _notified(tmp_path):
    from desk_app.app import open_desk
    from desk_app.storage.models import Ticket

    desk = open_desk(tmp_path / "desk", "alice")
    ticket = Ticket.get()
    made = [_tell(desk.session, ticket, "warning", "75")[0],
            _tell(desk.session, ticket, "breach", "100")[0]]
    desk.close()
    return made


def test_list_read_one_and_read_all(run, tmp_path):
    code, _, err = run("log", "--summary", "Mail down", "--description", "x", "--reporter",
                       "Bob", "--contact", "b@example.com", "--channel", "phone",
                       "--service", "Email", "--impact", "low", "--urgency", "low",
                       "--category", "Email", "--subcategory", "Mailbox")
    assert code == 0, err
    warning, breach = _notified(tmp_path)
    code, out, _ = run("notifications", "--json")
    listed = json.loads(out)
    assert listed["unread"] == 2
    assert [n["id"] for n in listed["notifications"]] == [breach, warning]
    code, out, _ = run("notifications", "read", warning, "--json")
    assert code == 0 and json.loads(out) == {"marked": 1}
    code, out, _ = run("notifications", "--unread")
    assert breach in out and warning not in out and "1 unread" in out
    code, out, _ = run("notifications", "read", "--all")
    assert code == 0 and "1 marked read" in out
    code, _, err = run("notifications", "read", "no-such-id")
    assert code == 2 and "notification:" in err
    code, _, err = run("notifications", "read")
    assert code == 2 and "--all" in err


def test_read_refuses_a_blank_id_and_ids_with_all_marking_nothing(run, tmp_path):
    code, _, err = run("log", "--summary", "Mail down", "--description", "x", "--reporter",
                       "Bob", "--contact", "b@example.com", "--channel", "phone",
                       "--service", "Email", "--impact", "low", "--urgency", "low",
                       "--category", "Email", "--subcategory", "Mailbox")
    assert code == 0, err
    warning, _ = _notified(tmp_path)
    for given in (("",), ("  ",), (warning, ""), ("--all", warning), ("--all", "NOPE")):
        code, _, err = run("notifications", "read", *given)
        assert code == 2 and "refused: id:" in err and "Traceback" not in err, (given, err)
    code, out, _ = run("notifications", "--json")
    assert json.loads(out)["unread"] == 2


def test_profile_sets_and_shows_preferences_and_refuses_unknown_names(run):
    code, out, err = run("profile", "--quiet-hours", "22:00-07:00", "--events-off", "warning",
                         "--skills", "Network,Email", "--calendar", "office",
                         "--away-until", "2026-12-24T09:00", "--json")
    assert code == 0, err
    prefs = json.loads(out)["preferences"]
    assert prefs["quiet_hours"] == "22:00-07:00" and prefs["skills"] == ["Email", "Network"]
    assert prefs["calendar"] == "office" and prefs["events_off"] == ["warning"]
    assert prefs["away_until"].startswith("2026-12-24T09:00")
    for option, value, field in (("--calendar", "night", "calendar"),
                                 ("--skills", "Plumbing", "skills"),
                                 ("--events-off", "gossip", "events_off"),
                                 ("--quiet-hours", "late", "quiet_hours"),
                                 ("--away-until", "someday", "away_until")):
        code, _, err = run("profile", option, value)
        assert code == 2 and f"{field}:" in err, err
    code, out, _ = run("profile", "--calendar", "", "--away-until", "", "--json")
    prefs = json.loads(out)["preferences"]
    assert prefs["calendar"] is None and prefs["away_until"] is None
    assert prefs["skills"] == ["Email", "Network"]  # untouched
    code, out, _ = run("profile")
    assert "quiet hours 22:00-07:00" in out
