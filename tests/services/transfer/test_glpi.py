"""GLPI's ticket list export: the mapping of tests/data/glpi_tickets.csv."""

from desk_app.services.lookup import ticket_by_number, tickets_by_number_text
from desk_app.services.transfer.files import import_file

from .tool_fixtures import copied, notes, statuses


def test_glpi_export_maps_every_documented_column(session, tmp_path):
    result = import_file(session, copied("glpi_tickets.csv", tmp_path),
                         time_zone="Europe/Paris")
    assert (result.format, result.imported, result.skipped) == ("glpi", 3, [])
    t = ticket_by_number("GLPI-4711")  # the GLPI id is kept in the number
    assert (t.type, t.status, t.priority, t.impact, t.urgency) == (
        "incident", "closed", "P2", "medium", "high")
    assert (t.group.name, t.assignee.login, t.reporter, t.channel) == (
        "Support N1", "tech.bernard", "alice.martin", "phone")
    assert t.category == "Hardware > Printer"
    assert t.logged_at.isoformat() == "2024-03-04T08:12:00+00:00"  # Paris time read
    assert t.resolved_at.isoformat() == "2024-03-05T10:40:00+00:00"
    assert t.closed_at.isoformat() == "2024-03-05T15:20:00+00:00"
    assert t.resolution_due.isoformat() == "2024-03-05T16:12:00+00:00"
    assert t.resolution_notes == "Roller replaced; test pages print fine."
    assert "Entity: Root entity > Paris" in t.description
    assert statuses(t) == ["new", "resolved", "closed"]
    assert [n for _, _, n in notes(t)] == [
        "GLPI followup: Asked Alice for the printer's serial number",
        "GLPI followup: Replaced the tray 2 roller",
        "Documents in GLPI (not imported): jam_photo.jpg, printer_config.pdf"]
    request = ticket_by_number("GLPI-4712")
    assert (request.type, request.status, request.channel) == ("request", "assigned", "web")
    pending = ticket_by_number("GLPI-4713")
    assert (pending.status, pending.hold_reason, pending.priority, pending.assignee) == (
        "on_hold", "awaiting_user", "P1", None)
    assert result.warnings == []


def test_glpi_numbers_are_searchable_and_times_read_in_the_desks_zone(session, tmp_path):
    result = import_file(session, copied("glpi_tickets.csv", tmp_path))
    assert any("desk's time zone (Europe/London)" in w for w in result.warnings)
    assert ticket_by_number("GLPI-4711").logged_at.isoformat() == "2024-03-04T09:12:00+00:00"
    found = tickets_by_number_text(session, "glpi-4713")
    assert [t.number for t in found] == ["GLPI-4713"]


def test_glpi_cells_with_several_people_keep_the_first(session, tmp_path):
    path = copied("glpi_tickets.csv", tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"chloe.durand";"tech.bernard"',
                                 '"chloe.durand\nhugo.petit";"tech.bernard\ntech.roux"'),
                    encoding="utf-8")
    assert import_file(session, path).imported == 3
    t = ticket_by_number("GLPI-4712")
    assert (t.reporter, t.assignee.login) == ("chloe.durand", "tech.bernard")
