"""Tickets found by their numbers (current or former), by id, and listed with names."""

from desk_app.services.admin import add_technician
from desk_app.services.classification import convert
from desk_app.services.intake import log_ticket
from desk_app.services.workflow import assign
from desk_app.storage.ticket_queries import (
    TicketFilter,
    count_tickets,
    list_tickets,
    tickets_numbered,
)

from ..conftest import new_ticket


def test_numbers_find_current_labels_and_only_then_former_ones(session):
    first = log_ticket(session, new_ticket())
    second = log_ticket(session, new_ticket())
    assert [n for _i, n, _s in tickets_numbered(["INC-000002", "INC-000001", "REQ-1"])] \
        == ["INC-000001", "INC-000002"]
    convert(session, first.number, "request")
    assert tickets_numbered(["INC-000001"]) == [(first.id, "REQ-000001", "new")]
    assert tickets_numbered(["INC-000009"]) == []
    assert tickets_numbered([]) == []
    assert second.number == "INC-000002"


def test_an_ids_filter_keeps_exactly_those_tickets(session):
    tickets = [log_ticket(session, new_ticket()) for _ in range(3)]
    wanted = TicketFilter(ids=(tickets[0].id, tickets[2].id))
    assert count_tickets(wanted) == 2
    assert {row["id"] for row in list_tickets(wanted)} == {tickets[0].id, tickets[2].id}


def test_list_rows_carry_the_assignees_name(session):
    add_technician(session, "dana", "Dana Whitfield", "support", "Service Desk")
    ticket = log_ticket(session, new_ticket())
    assign(session, ticket.number, technician="dana")
    row = list_tickets(TicketFilter())[0]
    assert (row["assignee"], row["assignee_name"]) == ("dana", "Dana Whitfield")
