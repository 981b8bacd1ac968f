from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.worklog import add_worklog
from desk_app.storage.search import fts_query
from desk_app.storage.ticket_queries import (
    TicketFilter,
    count_tickets,
    list_tickets,
    page_key,
    search_ranked,
)

from ..conftest import new_ticket


def numbers(rows):
    return [r["number"] for r in rows]


def test_search_covers_number_summary_description_and_worklog(session):
    a = log_ticket(session, new_ticket(summary="Printer jammed", description="Tray two")).number
    b = log_ticket(session, new_ticket(summary="Mail bounce", description="Mailbox full")).number
    add_worklog(session, b, "Archived the Zanzibar folder")
    assert numbers(list_tickets(TicketFilter(search="printer"))) == [a]
    assert numbers(list_tickets(TicketFilter(search="tray"))) == [a]
    assert numbers(list_tickets(TicketFilter(search="zanzibar"))) == [b]
    assert numbers(list_tickets(TicketFilter(search=b))) == [b]
    assert numbers(list_tickets(TicketFilter(search="mailb"))) == [b]  # prefix as you type
    assert [r["number"] for r in search_ranked("mail")] == [b]


def test_search_follows_edits_and_keeps_former_numbers(session):
    from desk_app.services.classification import convert

    number = log_ticket(session, new_ticket(summary="Keyboard sticky")).number
    converted = convert(session, number, "request").number
    assert numbers(list_tickets(TicketFilter(search=converted))) == [converted]
    assert numbers(list_tickets(TicketFilter(search=number))) == [converted]  # an alias


def test_search_text_is_never_fts_syntax(session):
    number = log_ticket(session, new_ticket(summary="Error AND crash")).number
    for text in ('"', "NEAR(", "a OR", "-x", "col:umn", "*", "("):
        query = fts_query(text)
        if query is not None:  # runs as plain words, never as FTS syntax errors
            assert isinstance(list_tickets(TicketFilter(search=text)), list)
    assert fts_query('"') is None
    # FTS operators typed by a person are words to find, not operators
    assert numbers(list_tickets(TicketFilter(search="error AND crash"))) == [number]
    assert list_tickets(TicketFilter(search="error OR nothing")) == []


def test_filters(session):
    p1 = log_ticket(session, new_ticket(impact="high", urgency="high")).number
    log_ticket(session, new_ticket())
    workflow.assign(session, p1, technician="alice")
    assert numbers(list_tickets(TicketFilter(priorities=["P1"]))) == [p1]
    assert numbers(list_tickets(TicketFilter(assignee="alice"))) == [p1]
    assert count_tickets(TicketFilter(unassigned=True)) == 1
    assert count_tickets(TicketFilter(open_only=True)) == 2
    assert count_tickets(TicketFilter(major_only=True)) == 1


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["resolution_due", "priority", "number", "summary", "status"]),
       st.booleans(), st.integers(1, 7))
def test_keyset_pages_equal_one_big_page(session, sort, descending, page_size):
    if count_tickets(TicketFilter()) == 0:
        for index in range(23):
            log_ticket(session, new_ticket(summary=f"Ticket {index % 5}",
                                           impact=["high", "medium", "low"][index % 3]))
    everything = list_tickets(TicketFilter(), sort=sort, descending=descending, limit=1000)
    pages, after = [], None
    while True:
        page = list_tickets(TicketFilter(), sort=sort, descending=descending,
                            limit=page_size, after=after)
        if not page:
            break
        pages += page
        after = page_key(page[-1], sort)
    assert numbers(pages) == numbers(everything)
