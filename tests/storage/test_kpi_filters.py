"""The TicketFilter criteria behind the KPI dashboard's rows and tiles."""

from datetime import UTC, datetime

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import Ticket
from desk_app.storage.ticket_queries import TicketFilter, count_tickets, list_tickets

DAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _ticket(number: str, **fields) -> None:
    values = dict(number=number, type="incident", status="in_progress", impact="low",
                  urgency="low", priority="P4", summary=number, logged_at=DAY,
                  updated_at=DAY)
    Ticket.create(**(values | fields))


def _numbers(flt: TicketFilter) -> set[str]:
    return {row["number"] for row in list_tickets(flt, sort="number", limit=100)}


def test_each_criterion_narrows_to_its_tickets(desk):
    _ticket("A", ci="pc-1", detected_at=DAY, satisfaction_score=4, status="resolved",
            resolved_at=datetime(2026, 11, 3, tzinfo=UTC))
    _ticket("B", ci="pc-2", service="VPN", channel="email", reopen_count=1)
    _ticket("C", status="cancelled")
    resolved_on_3rd = (to_millis(datetime(2026, 11, 3, tzinfo=UTC)),
                       to_millis(datetime(2026, 11, 4, tzinfo=UTC)))
    assert _numbers(TicketFilter(resolved_between=resolved_on_3rd)) == {"A"}
    assert _numbers(TicketFilter(ci="pc-2")) == {"B"}
    assert _numbers(TicketFilter(rated=True)) == _numbers(TicketFilter(detected=True)) == {"A"}
    assert _numbers(TicketFilter(resolved=False, not_cancelled=True)) == {"B"}
    assert _numbers(TicketFilter(reopened=True, service="VPN", channel="email")) == {"B"}
    assert _numbers(TicketFilter(unset=("service", "ci"))) == {"C"}
    assert count_tickets(TicketFilter(logged_between=(to_millis(DAY), to_millis(DAY) + 1))) == 3


def test_an_unknown_empty_column_is_refused_by_name(desk):
    with pytest.raises(InvalidValue) as refused:
        count_tickets(TicketFilter(unset=("colour",)))
    assert refused.value.field == "unset"


def test_ever_resolved_keeps_the_resolved_and_the_reopened_still_open(desk):
    _ticket("A", status="resolved", resolved_at=DAY)
    _ticket("B", reopen_count=1)  # reopened, open again: its resolution was cleared
    _ticket("C")
    assert _numbers(TicketFilter(ever_resolved=True)) == {"A", "B"}


def test_sla_outcome_known_at_a_moment(desk):
    hour = 3_600_000
    now = to_millis(DAY) + 10 * hour
    at = lambda hours: from_millis(to_millis(DAY) + hours * hour)  # noqa: E731
    _ticket("MET", status="resolved", resolved_at=at(1), resolution_due=at(2))
    _ticket("BREACHED", status="closed", resolved_at=at(1), resolution_breached=True)
    _ticket("NO-TARGET", status="resolved", resolved_at=at(1))
    _ticket("PAST", resolution_due=at(5))
    _ticket("PAUSED-LATE", status="on_hold", resolution_due=at(5), sla_stopped_since=at(6))
    _ticket("PAUSED-IN-TIME", status="on_hold", resolution_due=at(5),
            sla_stopped_since=at(4))
    _ticket("NOT-YET", resolution_due=at(11))
    _ticket("DUE-NOW", resolution_due=at(10))  # the target is not past at its due time
    assert _numbers(TicketFilter(sla_known_at=now)) == {"MET", "BREACHED", "PAST",
                                                        "PAUSED-LATE"}
    assert _numbers(TicketFilter(sla_known_at=now + 2 * hour)) == {
        "MET", "BREACHED", "PAST", "PAUSED-LATE", "NOT-YET", "DUE-NOW"}


def test_worked_by_no_group_keeps_time_logged_by_people_in_no_group(desk):
    from desk_app.storage.models import Worklog

    for number, author in (("A", "alice"), ("B", "visitor"), ("C", None)):
        _ticket(number)
        if author:
            Worklog.create(ticket=Ticket.get(Ticket.number == number), at=DAY, by=author,
                           kind="note", note="", minutes=10)
    assert _numbers(TicketFilter(worked_by_group="")) == {"B"}
    assert _numbers(TicketFilter(worked_by_group="Service Desk")) == {"A"}
    assert _numbers(TicketFilter(worked=True)) == {"A", "B"}
