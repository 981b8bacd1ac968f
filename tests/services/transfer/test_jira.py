"""Jira Service Management's issue CSV: the mapping of tests/data/jira_issues.csv."""

from desk_app.services.lookup import ticket_by_number, tickets_by_number_text
from desk_app.services.transfer.files import import_file

from .tool_fixtures import copied, notes, statuses


def test_jira_export_maps_issues_comments_and_attachments(session, tmp_path):
    result = import_file(session, copied("jira_issues.csv", tmp_path), time_zone="UTC")
    assert (result.format, result.imported, result.skipped) == ("jira", 3, [])
    t = ticket_by_number("ITSM-231")  # the issue key is the number
    assert (t.type, t.status, t.priority, t.impact, t.urgency) == (
        "incident", "closed", "P2", "low", "high")
    assert (t.assignee.login, t.reporter, t.logged_by, t.resolution_code) == (
        "Priya Nair", "Oliver Brown", "Oliver Brown", "Done")
    assert (t.category, t.subcategory) == ("Report a system problem", "Email")
    assert t.logged_at.isoformat() == "2024-02-12T09:14:00+00:00"
    assert t.resolved_at.isoformat() == "2024-02-13T11:30:00+00:00"
    assert t.closed_at.isoformat() == "2024-02-13T16:02:00+00:00"
    assert 'shows "Cannot get mail".' in t.description
    assert "Labels: mobile, email" in t.description
    assert statuses(t) == ["new", "resolved", "closed"]
    assert notes(t) == [
        ("note", "Oliver Brown", "Attachment in Jira (not imported): cannot-get-mail.png "
         "https://acme.atlassian.net/secure/attachment/10031/cannot-get-mail.png"),
        ("note", "Priya Nair", "Could you remove and re-add the account, please?"),
        ("note", "Oliver Brown", "Re-added it, works again. Thanks!")]
    waiting = ticket_by_number("ITSM-232")
    assert (waiting.type, waiting.status, waiting.hold_reason, waiting.priority) == (
        "request", "on_hold", "awaiting_user", "P3")
    outage = ticket_by_number("ITSM-233")
    assert (outage.status, outage.priority, outage.impact, outage.urgency) == (
        "in_progress", "P1", "high", "high")
    assert [t.number for t in tickets_by_number_text(session, "itsm-233")] == ["ITSM-233"]


def test_an_unknown_jira_status_falls_back_on_its_category(session, tmp_path):
    path = copied("jira_issues.csv", tmp_path)
    path.write_text(path.read_text().replace("Work in progress", "Triage by on-call"))
    assert import_file(session, path, time_zone="UTC").imported == 3
    assert ticket_by_number("ITSM-233").status == "in_progress"  # Status Category
