"""Search that finds: numbers name tickets wherever they are, text covers every ticket
unless the queue is chosen, and saved views count what they list."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.services.classification import convert
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import number_candidates, tickets_by_number_text
from desk_app.services.queues import (
    TicketFilter,
    first_page,
    home_queue,
    listing_count,
    search_listing,
    view_counts,
)
from desk_app.services.workflow import cancel

from ..conftest import new_ticket


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["INC", "REQ", "PRB"]))
def test_every_way_of_typing_a_number_names_it(value, prefix):
    wanted = f"{prefix}-{value:06d}"
    for typed in (str(value), f"{value:06d}", wanted, wanted.lower(), f"{prefix}-{value}",
                  f"{prefix.lower()}{value}", f"  {wanted}  ", f"#{value}",
                  f"{prefix} {value}", f"{prefix} #{value}", f"{prefix}#{value}"):
        assert wanted in number_candidates(typed), typed


def test_words_and_zero_are_not_numbers():
    assert number_candidates("printer") == ()
    assert number_candidates("0") == ()
    assert number_candidates("vpn 2697") == ()
    assert number_candidates("XYZ-012") == ()  # not a prefix of this desk
    assert number_candidates("XYZ-12") == ("XYZ-12",)  # an imported key (Jira's SD-123)
    assert number_candidates("INC0010045") == ("INC0010045", "INC-010045")  # an import's


def test_digits_find_a_cancelled_ticket_from_an_open_queue(session):
    first = log_ticket(session, new_ticket(summary="Printer jams"))
    log_ticket(session, new_ticket(summary="Mouse broken"))
    cancel(session, first.number, "mislogged")
    listing = search_listing(session, "all_open", TicketFilter(search="1"))
    assert listing.jump is not None
    assert listing.jump.number == "INC-000001" and listing.jump.status == "cancelled"
    assert listing.jump.queue == "all"  # the only queue that holds a cancelled ticket
    assert [row.number for row in first_page(session, listing.filter, "number", False)] \
        == ["INC-000001"]


def test_a_converted_ticket_is_found_by_its_former_number(session):
    ticket = log_ticket(session, new_ticket())
    convert(session, ticket.number, "request")
    found = tickets_by_number_text(session, "inc-1")
    assert [(t.id, t.number) for t in found] == [(ticket.id, "REQ-000001")]


def test_the_queue_searched_from_is_home_when_it_holds_the_ticket(session):
    ticket = log_ticket(session, new_ticket())
    assert home_queue(session, ticket.id, "all_open") == "all_open"
    assert home_queue(session, ticket.id, "unassigned") == "unassigned"
    # a queue that does not hold it: the first of the list that does (My day: it
    # waits unassigned in my group)
    assert home_queue(session, ticket.id, "on_hold") == home_queue(session, ticket.id) \
        == "my_day"


def test_text_searches_every_ticket_unless_the_queue_is_chosen(session):
    printer = log_ticket(session, new_ticket(summary="Printer jams on floor 3"))
    log_ticket(session, new_ticket(summary="Printer toner low"))
    cancel(session, printer.number, "mislogged")
    everywhere = search_listing(session, "all_open", TicketFilter(search="printer"))
    in_queue = search_listing(session, "all_open", TicketFilter(search="printer"),
                              everywhere=False)
    assert everywhere.scope == "all" and listing_count(session, everywhere.filter) == 2
    assert in_queue.scope == "all_open" and listing_count(session, in_queue.filter) == 1
    assert everywhere.jump is None


def test_a_number_that_names_no_ticket_is_searched_as_text(session):
    log_ticket(session, new_ticket(summary="Error 4711 on the badge reader"))
    listing = search_listing(session, "all_open", TicketFilter(search="4711"))
    assert listing.jump is None
    assert listing_count(session, listing.filter) == 1


def test_saved_views_count_what_they_list(session):
    log_ticket(session, new_ticket(summary="Printer jams"))
    log_ticket(session, new_ticket(summary="VPN drops", impact="high", urgency="high"))
    counts = view_counts(session, {
        "printers": ("all_open", TicketFilter(search="printer"), True),
        "P1 open": ("all_open", TicketFilter(priorities=("P1",)), False),
        "none": ("on_hold", TicketFilter(), False)})
    assert counts == {"printers": 1, "P1 open": 1, "none": 0}


def test_an_imported_tickets_own_label_finds_it(session):
    from desk_app.storage.models import Ticket

    ticket = log_ticket(session, new_ticket())
    Ticket.update(number="INC0010045").where(Ticket.id == ticket.id).execute()  # imported
    listing = search_listing(session, "my_work", TicketFilter(search="inc0010045"))
    assert listing.jump is not None and listing.jump.ticket_id == ticket.id
