from desk_app.services.intake import log_ticket
from desk_app.services.worklog import add_worklog
from desk_app.storage.bulk import BulkWriter
from desk_app.storage.database import database
from desk_app.storage.models import History
from desk_app.storage.rows import stored_row
from desk_app.storage.ticket_queries import TicketFilter, count_tickets, list_tickets

from ..conftest import new_ticket


def test_each_row_without_an_id_gets_its_own(desk):
    base = {"ticket": "t", "at": 1, "by": "x", "field": "f"}
    rows = [stored_row(History, base), stored_row(History, base),
            stored_row(History, base | {"id": None}), stored_row(History, base | {"id": None})]
    ids = [row[0] for row in rows]
    assert len(set(ids)) == 4 and all(ids)
    assert stored_row(History, base | {"id": "kept"})[0] == "kept"


def test_search_triggers_are_back_after_a_bulk_load(session):
    with database.atomic(), BulkWriter():
        pass
    names = {r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ticket_%'")}
    assert names == {"ticket_search_insert", "ticket_search_update", "ticket_search_worklog",
                     "ticket_search_alias", "ticket_search_resolution"}
    number = log_ticket(session, new_ticket(summary="Projector flickers")).number
    add_worklog(session, number, "Swapped the Quokka cable")
    assert [r["number"] for r in list_tickets(TicketFilter(search="quokka"))] == [number]


def test_counts_with_and_without_joins(session):
    from desk_app.services import workflow

    first = log_ticket(session, new_ticket()).number
    log_ticket(session, new_ticket())
    workflow.assign(session, first, technician="alice")
    assert count_tickets(TicketFilter()) == 2
    assert count_tickets(TicketFilter(assignee="alice")) == 1
    assert count_tickets(TicketFilter(group="Service Desk")) == 2
    assert count_tickets(TicketFilter(group="Network Support")) == 0
