"""What an operation says it changed agrees with reading everything again."""

import pytest

from desk_app.services import workflow
from desk_app.services.changes import listing_update, ticket_operation
from desk_app.services.intake import log_ticket
from desk_app.services.queues import queue_counts, queue_rowids
from desk_app.storage.ticket_queries import SORT_COLUMNS, TicketFilter
from tests.conftest import new_ticket


def _delta(before: dict, after: dict) -> dict:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def test_each_operation_reports_exactly_the_queue_counts_it_moved(session, clock):
    steps = [
        lambda n: log_ticket(session, new_ticket(impact="high", urgency="high")),
        lambda n: workflow.assign(session, n, group="Service Desk", technician="alice"),
        lambda n: workflow.start_work(session, n),
        lambda n: workflow.hold(session, n, "awaiting_user", note="Asked"),
        lambda n: workflow.resume(session, n),
        lambda n: workflow.resolve(session, n, "permanent", "solved", "Fixed"),
        lambda n: workflow.confirm(session, n),
    ]
    number = None
    for step in steps:
        clock.advance(minutes=7)
        before = queue_counts(session)
        changes = ticket_operation(
            session, None if number is None else _id(number),
            lambda s=step, n=number: s(n),
            created=(lambda t: t.id) if number is None else None)
        number = number or changes.result.number
        assert dict(changes.count_deltas) == _delta(before, queue_counts(session))
        assert changes.tickets == {_id(number)}


def _id(number: str) -> str:
    from desk_app.services.lookup import ticket_by_number

    return ticket_by_number(number).id


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_a_tickets_listing_position_is_where_the_full_listing_puts_it(session, clock, sort,
                                                                      descending):
    made = []
    for n in range(12):
        clock.advance(minutes=13 * (n % 4))
        kind = "request" if n % 5 == 0 else "incident"  # requests may lack some dues
        made.append(log_ticket(session, new_ticket(
            summary=f"Ticket {n % 3}", impact=("low", "medium", "high")[n % 3],
            type=kind)))
    flt = TicketFilter(open_only=sort == "resolution_due")
    listing = list(queue_rowids(session, flt, sort, descending))
    for ticket in made:
        update = listing_update(session, flt, sort, descending, ticket.id)
        assert listing[update.index] == update.rowid
        assert update.row.id == ticket.id
    gone = listing_update(session, TicketFilter(statuses=("closed",)), sort, descending,
                          made[0].id)
    assert gone.index is None and gone.row is None and gone.rowid == listing_rowid(made[0])


def listing_rowid(ticket) -> int:
    from desk_app.storage.ticket_queries import ticket_rowid

    return ticket_rowid(ticket.id)
