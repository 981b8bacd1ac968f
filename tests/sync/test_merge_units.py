"""Two desks acting on one ticket while offline: the merge keeps every count, keeps the
lifecycle fields of one desk together, and keeps one entry per housekeeping rule."""

from datetime import timedelta

import pytest

from desk_app.core.lifecycle import lifecycle_violations
from desk_app.services import escalation, workflow
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.storage.database import database
from tests.conftest import new_ticket, stored_tickets
from tests.sync.conftest import each_desk, sync_all


def _two_desks(clients, **ticket):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(**ticket)).number
    amy.sync()
    ben.open()
    ben.sync()
    return amy, ben, number



def _history(number: str, field: str) -> list[tuple]:
    return database.execute_sql(
        "SELECT h.id, h.old, h.new FROM history h JOIN ticket t ON t.id = h.ticket_id "
        "WHERE t.number = ? AND h.field = ?", (number, field)).fetchall()



def test_two_desks_reopening_offline_count_two_reopens(clients, team_db):
    amy, ben, number = _two_desks(clients)
    amy.open()
    workflow.resolve(amy.session, number, "permanent", "fixed", "Restarted the VPN")
    amy.sync()
    ben.open()
    ben.sync()
    for desk in (amy, ben):
        desk.open()
        workflow.reopen(desk.session, number, f"{desk.name}: it came back")
        desk.later()
    sync_all(amy, ben)
    for _ in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(number)
        assert ticket.reopen_count == 2
        assert len(_history(number, "reopen_count")) == 2
        assert ticket.status == "in_progress"


def test_two_desks_escalating_offline_count_both_escalations(clients, team_db):
    amy, ben, number = _two_desks(clients)
    for desk in (amy, ben):
        desk.open()
        escalation.escalate_functional(desk.session, number, f"{desk.name} needs L2")
        desk.later()
    sync_all(amy, ben)
    for _ in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(number)
        assert (ticket.escalation_count, ticket.reassignment_count) == (2, 2)
        assert ticket.support_level == "L2"


@pytest.mark.parametrize("first", ["hold", "resolve"])
def test_hold_on_one_desk_and_resolve_on_the_other_give_one_valid_ticket(
        clients, team_db, first):
    amy, ben, number = _two_desks(clients)
    amy.open()
    workflow.start_work(amy.session, number)
    amy.sync()
    ben.open()
    ben.sync()
    actions = {
        "hold": lambda s: workflow.hold(s, number, "awaiting_user"),
        "resolve": lambda s: workflow.resolve(s, number, "workaround", "restart", "Restarted"),
    }
    second = "resolve" if first == "hold" else "hold"
    amy.open()
    actions[first](amy.session)
    amy.later()
    ben.open()
    actions[second](ben.session)
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        (ticket,) = stored_tickets()
        assert lifecycle_violations(ticket, desk.session.policy.sla.pauses) == []
        # the later action won the whole lifecycle, not field by field
        assert ticket["status"] == ("resolved" if second == "resolve" else "on_hold")


def test_two_desks_running_housekeeping_make_one_entry_per_rule(clients, team_db):
    amy, ben, number = _two_desks(clients, impact="high", urgency="high")  # P1: 15 min, 4 h
    for desk in (amy, ben):
        desk.skew = timedelta(hours=5)  # both targets and every threshold passed
        desk.open()
        result = housekeeping(desk.session)
        assert [n for n, _ in result.breaches] == [number, number]
        assert [level for _, level in result.escalated] == [
            "Team lead", "Service delivery manager", "IT director"]
        desk.later()
    sync_all(amy, ben)
    for _ in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(number)
        assert ticket.response_breached and ticket.resolution_breached
        assert ticket.hierarchic_level == 3
        for field in ("response_breached", "resolution_breached"):
            assert len(_history(number, field)) == 1, field
        assert len(_history(number, "hierarchic_level")) == 3  # one per level
        notes = [n for (n,) in database.execute_sql(
            "SELECT note FROM worklog WHERE note LIKE 'Escalated to management%'")]
        assert len(notes) == 3


def test_two_desks_auto_closing_make_one_closure(clients, team_db):
    amy, ben, number = _two_desks(clients)
    amy.open()
    workflow.resolve(amy.session, number, "permanent", "fixed", "Restarted",
                     knowledge="not_needed")
    amy.sync()
    ben.open()
    ben.sync()
    for desk in (amy, ben):
        desk.skew = timedelta(days=4)  # past the grace period
        desk.open()
        assert housekeeping(desk.session).closed == [number]
        desk.later()
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        (ticket,) = stored_tickets()
        assert ticket["status"] == "closed" and ticket["confirmation"] == "auto_closed"
        assert lifecycle_violations(ticket, desk.session.policy.sla.pauses) == []
        for field in ("status", "closed_at", "confirmation"):
            rows = [r for r in _history(number, field) if r[2] in ("closed", "auto_closed")
                    or field == "closed_at"]
            assert len(rows) == 1, field
