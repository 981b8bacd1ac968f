"""Time-driven rules: breaches recorded once, management escalation at the SLA
thresholds, auto-close after the grace period."""

from desk_app.services import workflow
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_view import ticket_view
from desk_app.storage.models import History

from ..conftest import new_ticket


def test_breaches_are_recorded_once(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number  # P1
    assert housekeeping(session).breaches == []
    clock.advance(minutes=20)  # response target 15 min
    assert housekeeping(session).breaches == [(number, "response")]
    clock.advance(hours=4)  # resolution target 4 h
    assert housekeeping(session).breaches == [(number, "resolution")]
    assert housekeeping(session).breaches == []
    ticket = ticket_by_number(number)
    assert ticket.response_breached and ticket.resolution_breached
    recorded = [h.field for h in History.select().where(History.ticket == ticket.id)]
    assert recorded.count("response_breached") == 1
    assert recorded.count("resolution_breached") == 1
    assert ticket_view(session, ticket)["sla"]["breached"] is True


def test_late_response_and_resolution_are_recorded_by_the_activities(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number
    clock.advance(minutes=30)
    workflow.start_work(session, number)
    assert ticket_by_number(number).response_breached
    clock.advance(hours=5)
    workflow.resolve(session, number, "permanent", "solved", "Fixed late")
    assert ticket_by_number(number).resolution_breached


def test_paused_clock_does_not_breach(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number
    workflow.hold(session, number, "awaiting_supplier")
    clock.advance(hours=10)
    result = housekeeping(session)
    assert (number, "resolution") not in result.breaches
    assert not ticket_by_number(number).resolution_breached


def test_management_escalation_follows_the_thresholds(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number  # 4 h
    clock.advance(hours=2)  # 50 %: team lead
    assert housekeeping(session).escalated == [(number, "Team lead")]
    assert housekeeping(session).escalated == []
    clock.advance(hours=2, minutes=1)  # past 75 % and 100 %: each level at its moment
    assert housekeeping(session).escalated == [(number, "Service delivery manager"),
                                               (number, "IT director")]
    view = ticket_view(session, ticket_by_number(number))
    assert view["hierarchic_level"] == 3
    assert "resolution SLA at" in view["worklog"][-1]["note"]


def test_auto_close_after_grace_period(session, clock):
    ready = log_ticket(session, new_ticket()).number
    workflow.resolve(session, ready, "permanent", "solved", "Fixed", knowledge="not_needed")
    undecided = log_ticket(session, new_ticket()).number
    workflow.resolve(session, undecided, "permanent", "solved", "Fixed")
    answered = log_ticket(session, new_ticket()).number
    workflow.resolve(session, answered, "permanent", "solved", "Fixed", knowledge="updated")
    workflow.reject(session, answered, "Still broken")
    clock.advance(days=2)
    assert housekeeping(session).closed == []
    clock.advance(days=1)
    result = housekeeping(session)
    assert result.closed == [ready]
    assert [n for n, _ in result.awaiting_closure] == [undecided]
    assert "knowledge" in result.awaiting_closure[0][1][0]
    closed = ticket_by_number(ready)
    assert (closed.status, closed.confirmation) == ("closed", "auto_closed")
    assert ticket_by_number(answered).status == "in_progress"
