"""Zammad's API JSON: the mapping of tests/data/zammad_tickets.json."""

import json
from zoneinfo import ZoneInfo

import pytest

from desk_app.services.lookup import ticket_by_number, tickets_by_number_text
from desk_app.services.transfer.files import import_file
from desk_app.services.transfer.formats import ReadOptions
from desk_app.services.transfer.zammad import read_zammad
from desk_app.storage.models import History

from .tool_fixtures import DATA, copied, notes, statuses


def test_zammad_export_maps_tickets_articles_and_history(session, tmp_path):
    result = import_file(session, copied("zammad_tickets.json", tmp_path))
    assert (result.format, result.imported, result.skipped) == ("zammad", 2, [])
    assert result.warnings == []  # Zammad's times carry their zone
    t = ticket_by_number("ZAM-31018")
    assert (t.status, t.priority, t.impact, t.urgency, t.channel) == (
        "closed", "P2", "high", "medium", "email")
    assert (t.group.name, t.assignee.login, t.reporter, t.logged_by) == (
        "2nd Level", "lena.vogt@acme.example", "piet.jansen@acme.example",
        "piet.jansen@acme.example")
    assert t.responded_at.isoformat() == "2024-05-13T07:41:09.118000+00:00"
    assert t.closed_at.isoformat() == "2024-05-13T12:20:44.310000+00:00"
    assert t.response_due.isoformat() == "2024-05-13T09:02:00+00:00"
    assert t.resolution_due.isoformat() == "2024-05-14T07:02:00+00:00"
    assert "Since this morning S: is missing." in t.description  # the HTML as text
    assert "Organization: Acme Logistics" in t.description
    assert "Tags: network, drive-mapping" in t.description
    assert statuses(t) == ["in_progress", "closed"]  # Zammad's own history
    priority = History.get((History.ticket == t.id) & (History.field == "priority"))
    assert (priority.old, priority.new, priority.by) == ("P3", "P2", "lena.vogt@acme.example")
    assert notes(t) == [
        ("email", "piet.jansen@acme.example", "Shared drive S: not mapped after login\n"
         "Since this morning S: is missing.\nRegards, Piet\n"
         "Attachments in Zammad (not imported): explorer.png"),
        ("phone", "lena.vogt@acme.example",
         "Called Piet: the GPO did not apply, ran gpupdate /force."),
        ("note", "lena.vogt@acme.example", "(internal) cause\nLaptop was not in the Sales OU.")]
    pending = ticket_by_number("ZAM-31019")
    assert (pending.status, pending.hold_reason, pending.assignee, pending.channel) == (
        "on_hold", "awaiting_user", None, "web")  # owner "-" is nobody
    assert statuses(pending) == ["new", "on_hold"]  # no history given: from the dates
    assert [t.number for t in tickets_by_number_text(session, "zam-31019")] == ["ZAM-31019"]


@pytest.mark.parametrize(("key", "value", "reason"), [
    ("articles", "text", "articles: must be a list"),
    ("articles", [7], "articles entry 1: must be an object"),
    ("history", "text", "history: must be a list"),
    ("history", [{"attribute": "untracked"}, "x"], "history entry 2: must be an object"),
])
def test_zammad_ticket_with_malformed_articles_or_history_is_refused_naming_it(
        key, value, reason):
    ticket = json.loads((DATA / "zammad_tickets.json").read_text(encoding="utf-8"))[0]
    ticket[key] = value
    reading = read_zammad(json.dumps([ticket]), ReadOptions(ZoneInfo("UTC")))
    assert reading.items == []
    assert [(p.position, p.reason, p.label) for p in reading.problems] == [
        (1, reason, f"ZAM-{ticket['number']}")]
