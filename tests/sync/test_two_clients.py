"""Two technicians work offline, then sync in either order: everyone ends identical,
nothing lost, nothing twice."""

import pytest

from desk_app.services import workflow
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.models import History, Ticket, Worklog
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def _copy_of(client):
    client.open()
    return synced_copy()


@pytest.mark.parametrize("order", ["amy first", "ben first"])
def test_offline_work_on_two_clients_converges(clients, team_db, order):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    amy.sync()
    ben.open()
    ben.sync()
    amy.open()
    amy.sync()  # both know each other now; from here on both work offline

    amy.open()
    shared = log_ticket(amy.session, new_ticket(summary="Mail server down")).number
    amy.sync()
    ben.open()
    ben.sync()

    # offline on both sides
    amy.open()
    mine = log_ticket(amy.session, new_ticket(summary="Amy's printer")).number
    add_worklog(amy.session, shared, "Amy restarted the service", minutes=5)
    workflow.assign(amy.session, shared, technician="amy")
    amy.later()
    ben.open()
    theirs = log_ticket(ben.session, new_ticket(summary="Ben's laptop")).number
    add_worklog(ben.session, shared, "Ben checked the queue", minutes=3)
    ben.later()
    update_details(ben.session, shared, {"summary": "Mail server down for everyone"})

    first, second = (amy, ben) if order == "amy first" else (ben, amy)
    for client in (first, second, first):
        client.open()
        client.sync()

    assert _copy_of(amy) == _copy_of(ben)
    assert same_as_server(_copy_of(amy), server_copy(team_db))
    amy.open()
    assert {mine, theirs, shared} <= {t.number for t in Ticket.select()}
    assert len({t.number for t in Ticket.select()}) == Ticket.select().count()
    ticket = ticket_by_number(shared)
    assert ticket.summary == "Mail server down for everyone"  # ben's later edit
    assert ticket.assignee.login == "amy"  # amy's edit of another field survives
    notes = sorted(w.note for w in Worklog.select().where(Worklog.ticket == ticket.id))
    assert notes == ["Amy restarted the service", "Ben checked the queue"]
    ids = [h.id for h in History.select()]
    assert len(ids) == len(set(ids))


def test_a_second_sync_changes_nothing(clients, team_db):  # and verification passes
    amy = clients("amy")
    amy.open()
    log_ticket(amy.session, new_ticket())
    amy.sync()
    before = synced_copy()
    changes = team_db.scalar("SELECT count(*) FROM desk.change")
    report = amy.sync()
    assert (report.pushed, report.pulled, report.repaired) == (0, 0, False)
    assert synced_copy() == before
    assert team_db.scalar("SELECT count(*) FROM desk.change") == changes


def test_a_pending_local_edit_is_never_overwritten_by_an_older_pulled_value(clients):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Old summary")).number
    amy.sync()
    ben.open()
    ben.sync()
    ben.later()
    update_details(ben.session, number, {"summary": "Ben's summary"})
    ben.sync()
    amy.open()
    amy.later()
    update_details(amy.session, number, {"summary": "Amy's newer summary"})
    report = amy.sync()  # pulls ben's older edit while amy's is pending
    assert report.pulled > 0
    assert ticket_by_number(number).summary == "Amy's newer summary"
    ben.open()
    ben.sync()
    assert ticket_by_number(number).summary == "Amy's newer summary"


def test_a_losing_description_is_kept_as_a_conflict_entry(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(description="Original text")).number
    amy.sync()
    ben.open()
    ben.sync()
    amy.open()
    amy.later()
    update_details(amy.session, number, {"description": "Amy's long analysis"})
    ben.open()
    ben.later()
    update_details(ben.session, number, {"description": "Ben's later analysis"})
    ben.sync()
    amy.open()
    report = amy.sync()
    assert report.conflicts == 1
    ticket = ticket_by_number(number)
    assert ticket.description == "Ben's later analysis"
    (conflict,) = History.select().where((History.ticket == ticket.id)
                                         & (History.field == "conflict: description"))
    assert conflict.old == "Amy's long analysis"
    ben.open()
    ben.sync()
    assert History.select().where(History.field == "conflict: description").count() == 1
    assert _copy_of(ben) == _copy_of(amy)
    assert same_as_server(_copy_of(amy), server_copy(team_db))
