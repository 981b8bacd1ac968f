"""The KPIs against tickets whose answers are known by hand."""

from datetime import datetime

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services import escalation, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.reporting import report

from ..conftest import LONDON, new_ticket


def resolve_after(session, clock, hours, **form):
    number = log_ticket(session, new_ticket(**form)).number
    start = clock()
    clock.advance(hours=hours)
    workflow.resolve(session, number, "permanent", "solved", "Fixed")
    clock.current = start
    return number


def test_mttr_mean_and_median_overall_and_per_priority(session, clock):
    for hours in (1, 2, 6):  # P3: mean 3, median 2
        resolve_after(session, clock, hours)
    for hours in (1, 4):  # P1: mean 2.5, median 2.5 (even count)
        resolve_after(session, clock, hours, impact="high", urgency="high")
    log_ticket(session, new_ticket())  # open: no resolution time, not counted
    log_ticket(session, new_ticket(type="request"))  # requests are not in the incident KPIs
    data = report(session)
    mttr = data["mttr"]
    assert mttr["by_priority"]["P3"] == {"mean_hours": 3.0, "median_hours": 2.0, "count": 3}
    assert mttr["by_priority"]["P1"] == {"mean_hours": 2.5, "median_hours": 2.5, "count": 2}
    assert mttr["overall"] == {"mean_hours": 2.8, "median_hours": 2.0, "count": 5}
    assert data["tickets"]["by_type"] == {"incident": 6, "request": 1}
    assert data["tickets"]["by_status"] == {"new": 2, "resolved": 5}


def test_sla_compliance_counts_met_and_passed_targets(session, clock):
    resolve_after(session, clock, 1, impact="high", urgency="high")  # P1 4h: met
    resolve_after(session, clock, 5, impact="high", urgency="high")  # P1 4h: breached
    log_ticket(session, new_ticket(impact="high", urgency="high"))  # open, target not passed
    data = report(session)
    assert data["sla"]["resolution"] == {"percent": 50.0, "count": 1, "of": 2}
    clock.advance(hours=5)  # now the open P1 is past its target too
    data = report(session)
    assert data["sla"]["resolution"] == {"percent": 33.3, "count": 1, "of": 3}
    # responses: resolving counts as responding; the open one never responded
    assert data["sla"]["response"]["of"] == 3


def test_first_contact_resolution_and_reopen_rate(session, clock):
    resolve_after(session, clock, 1)  # first contact
    escalated = log_ticket(session, new_ticket()).number
    escalation.escalate_functional(session, escalated, "needs L2")
    workflow.resolve(session, escalated, "permanent", "solved", "Fixed at L2")
    reassigned = log_ticket(session, new_ticket()).number
    workflow.assign(session, reassigned, group="Desktop Support")
    workflow.assign(session, reassigned, group="Service Desk")
    workflow.resolve(session, reassigned, "permanent", "solved", "Fixed")
    workflow.reopen(session, reassigned, "Came back")
    data = report(session)
    assert data["first_contact_resolution"] == {"percent": 50.0, "count": 1, "of": 2}
    assert data["reopen_rate"] == {"percent": 33.3, "count": 1, "of": 3}


def test_backlog_by_age_and_period(session, clock):
    log_ticket(session, new_ticket())
    clock.advance(days=2)
    log_ticket(session, new_ticket())
    clock.advance(days=10)
    log_ticket(session, new_ticket())
    backlog = report(session)["backlog_by_age"]
    assert backlog == {"under 1 day": 1, "1-3 days": 0, "3-7 days": 0, "7-30 days": 2,
                       "over 30 days": 0}
    since = datetime(2026, 11, 24, tzinfo=LONDON)
    assert sum(report(session, since=since)["tickets"]["by_status"].values()) == 2
    with pytest.raises(InvalidValue):
        report(session, since=since, until=since)
