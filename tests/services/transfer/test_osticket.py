"""osTicket's ticket export: the mapping of tests/data/osticket_tickets.csv."""

from desk_app.services.lookup import ticket_by_number, tickets_by_number_text
from desk_app.services.transfer.files import import_file

from .tool_fixtures import copied, notes, statuses


def test_osticket_export_maps_every_documented_column(session, tmp_path):
    result = import_file(session, copied("osticket_tickets.csv", tmp_path),
                         time_zone="UTC")
    assert (result.format, result.imported, result.skipped) == ("osticket", 3, [])
    t = ticket_by_number("OST-548213")
    assert (t.status, t.priority, t.impact, t.urgency, t.channel) == (
        "closed", "P3", "medium", "medium", "email")
    assert (t.group.name, t.assignee.login, t.reporter, t.contact, t.category) == (
        "Support", "Tom Keller", "Nadia Rossi", "nadia.rossi@example.org", "Email")
    assert t.logged_at.isoformat() == "2024-04-02T08:14:51+00:00"
    assert t.closed_at.isoformat() == "2024-04-03T17:02:10+00:00"
    assert t.resolution_due.isoformat() == "2024-04-04T08:14:51+00:00"
    assert "osTicket (ticket #548213)" in t.description
    assert statuses(t) == ["new", "resolved", "closed"]
    assert notes(t) == [("note", "Tom Keller",
                         "osTicket thread: 5 entries, 1 attachment(s) (not in the export)")]
    urgent = ticket_by_number("OST-548217")
    assert (urgent.status, urgent.priority, urgent.group.name, urgent.assignee) == (
        "new", "P1", "Building Team", None)  # the team, not the department
    assert urgent.resolution_breached and urgent.channel == "phone"
    resolved = ticket_by_number("OST-548230")
    assert (resolved.status, resolved.reopen_count, resolved.channel) == (
        "resolved", 1, "web")
    assert resolved.resolved_at.isoformat() == "2024-04-05T10:15:00+00:00"
    assert resolved.resolution_due.isoformat() == "2024-04-09T11:02:44+00:00"  # Due Date
    assert [t.number for t in tickets_by_number_text(session, "ost-548230")] == [
        "OST-548230"]
