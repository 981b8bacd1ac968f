"""The TicketFilter criteria behind the KPI dashboard's rows and tiles."""

from datetime import UTC, datetime

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.storage.fields import to_millis
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
