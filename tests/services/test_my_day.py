from datetime import timedelta

from desk_app.services.admin import add_technician, update_technician
from desk_app.services.intake import log_ticket
from desk_app.services.my_day import next_deadline
from desk_app.services.queues import QUEUES, queue_filter
from desk_app.services.workflow import assign, start_work
from desk_app.storage.ticket_queries import list_tickets

from ..conftest import new_ticket


def test_my_day_is_the_first_queue_and_holds_mine_and_my_groups_unassigned(session):
    assert QUEUES[0].key == "my_day"
    add_technician(session, "dana", "Dana", "support", "Service Desk")
    mine = log_ticket(session, new_ticket(impact="low", urgency="low"))  # P4
    assign(session, mine.number, technician="alice")
    waiting = log_ticket(session, new_ticket(impact="high", urgency="medium"))  # P2, unassigned
    danas = log_ticket(session, new_ticket())
    assign(session, danas.number, technician="dana")
    elsewhere = log_ticket(session, new_ticket())
    assign(session, elsewhere.number, group="Network Support")
    listed = [row["number"] for row in list_tickets(queue_filter(session, "my_day"))]
    assert listed == [waiting.number, mine.number]  # by time left: the P2 first


def test_without_a_group_my_day_holds_only_my_tickets(session):
    update_technician(session, "alice", group="Infrastructure")
    log_ticket(session, new_ticket())  # waits in the Service Desk
    assert list_tickets(queue_filter(session, "my_day")) == []


def test_the_next_deadline_is_the_soonest_running_target_ahead(session, clock):
    update_technician(session, "alice", group="Infrastructure")  # where a P1 goes (L3)
    assert next_deadline(session) is None
    ticket = log_ticket(session, new_ticket(impact="high", urgency="high"))  # P1: 15 min
    due = next_deadline(session)
    assert (due.number, due.clock) == (ticket.number, "response")
    assert due.left(clock() + timedelta(minutes=3, seconds=5)) == "11 min 55 s"
    start_work(session, ticket.number)  # responded: the resolution target comes next
    due = next_deadline(session)
    assert due.clock == "resolution" and due.left(clock()) == "4 h 00 min"
    clock.advance(hours=5)
    assert next_deadline(session) is None  # passed: not counted down any more
