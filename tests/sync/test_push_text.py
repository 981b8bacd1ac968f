"""Texts that look like the push's own framing (its CSV delimiter and quote are control
characters; the text format's were tab, newline and backslash) travel whole: a new
ticket with its rows, a later field change and an appended note."""

from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.models import Worklog
from tests.conftest import new_ticket
from tests.sync.conftest import each_desk, sync_all

AWKWARD = 'a\x01b\x02c\x02\x02d\te\nf\r\\N\\\\g "h" \u00e9\U0001F600 \\x01'


def test_texts_holding_the_pushs_framing_reach_the_other_desk_as_written(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Awkward " + AWKWARD,
                                                description=AWKWARD)).number
    add_worklog(amy.session, number, AWKWARD, minutes=1)
    sync_all(amy, ben)  # the new ticket with its rows
    amy.open()
    amy.later()
    update_details(amy.session, number, {"contact": AWKWARD})
    add_worklog(amy.session, number, "second " + AWKWARD, minutes=1)
    sync_all(amy, ben)  # a field change and an appended row

    for _ in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(number)
        assert (ticket.summary, ticket.description, ticket.contact) == (
            "Awkward " + AWKWARD, AWKWARD, AWKWARD)
        notes = {w.note for w in Worklog.select().where(Worklog.ticket == ticket.id)}
        assert {AWKWARD, "second " + AWKWARD} <= notes
