"""The seam between the watcher and routing: a ticket the watcher escalates is assigned
by its new group's policy, and the people it reaches are told once, with ids every desk
makes alike (from the ticket and the rule, not from when the pass ran)."""

import pytest

from desk_app.core.notice_ids import notification_id
from desk_app.services import admin
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.watch import watch_pass
from desk_app.storage.models import History, Notification, Technician

from ..conftest import new_ticket

NETWORK = "Network Support"  # L2 of the Network category


@pytest.fixture
def desk_with_rotation(session):
    """P3 tickets escalate at 50 % of the response target; Network Support rotates."""
    for login, group in (("dana", "Service Desk"), ("nadia", NETWORK), ("omar", NETWORK)):
        admin.add_technician(session, login, login.title(), "support", group)
    section = dict(session.policy.sections["escalation"])
    admin.change_policy(session, {"escalation": section | {"functional_at_percent": {"P3": 50}},
                                  "assignment": {"groups": {NETWORK: "round_robin"}}})
    return session


def _told(ticket_id: str) -> list[tuple[str, str]]:
    logins = dict(Technician.select(Technician.id, Technician.login).tuples())
    return sorted((n.event, logins[n.technician_id]) for n in Notification.select().where(
        (Notification.ticket == ticket_id) & (Notification.event != "warning")))


def test_an_escalated_ticket_is_assigned_by_its_new_group_and_told_once(
        desk_with_rotation, clock):
    session = desk_with_rotation
    ticket = log_ticket(session, new_ticket())
    clock.advance(hours=3)  # past 50 % of 4 h; the desk ran no pass at 2 h
    watch_pass(session)
    moved = ticket_by_number(ticket.number)
    assert (moved.group.name, moved.assignee.login) == (NETWORK, "nadia")
    told = _told(ticket.id)
    assert ("assigned", "nadia") in told
    assert [who for event, who in told if event == "assigned"] == ["nadia"]
    assert ("group_unassigned", "nadia") not in told and ("group_unassigned", "omar") not in told
    (assigned,) = Notification.select().where(Notification.event == "assigned")
    (rule,) = History.select().where(History.field == "escalation_rule")
    assert assigned.at == rule.at  # when the rule applied, as every desk records it
    assert assigned.id == notification_id(ticket.id, "assigned", "functional:L2",
                                          moved.assignee_id)
    clock.advance(minutes=5)
    watch_pass(session)
    assert _told(ticket.id) == told


def test_a_desk_back_late_assigns_someone_available_now(desk_with_rotation, clock):
    from datetime import timedelta

    from desk_app.services.preferences import set_preferences

    session = desk_with_rotation
    ticket = log_ticket(session, new_ticket())
    set_preferences(session, "nadia", away_until=clock() + timedelta(hours=3))
    clock.advance(hours=4)  # escalation was due at 2 h, when nadia was away; she is back
    watch_pass(session)
    assert ticket_by_number(ticket.number).assignee.login == "nadia"


def test_the_desk_owner_is_told_when_the_watcher_assigns_them(desk_with_rotation, clock):
    session = desk_with_rotation
    admin.update_technician(session, "alice", group=NETWORK)  # alice runs the watcher
    ticket = log_ticket(session, new_ticket())
    clock.advance(hours=2)
    watch_pass(session)
    moved = ticket_by_number(ticket.number)
    assert moved.assignee.login == "alice"  # first in the rotation
    assert ("assigned", "alice") in _told(ticket.id)


P1 = {"impact": "high", "urgency": "high"}
INFRA = "Infrastructure"  # L3 of the Network category


@pytest.fixture
def l3_rotation(session):
    """Infrastructure (L3) has round robin with two members."""
    for login in ("ines", "ivo"):
        admin.add_technician(session, login, login.title(), "support", INFRA)
    admin.change_policy(session, {"assignment": {"groups": {INFRA: "round_robin"}}})
    return session


def test_a_p1_logged_goes_to_l3_and_is_assigned_by_its_rotation(l3_rotation):
    ticket = log_ticket(l3_rotation, new_ticket(**P1))
    assert (ticket.support_level, ticket.group.name) == ("L3", INFRA)
    assert ticket_by_number(ticket.number).assignee.login == "ines"
    assert ("assigned", "ines") in _told(ticket.id)


def test_a_ticket_that_becomes_major_is_assigned_at_l3(l3_rotation):
    from desk_app.services import classification
    raised = log_ticket(l3_rotation, new_ticket()).number
    classification.reprioritise(l3_rotation, raised, "worse", priority="P1")
    declared = log_ticket(l3_rotation, new_ticket()).number
    classification.declare_major(l3_rotation, declared, True, "whole floor down",
                                manager="alice")
    assignees = [ticket_by_number(n).assignee for n in (raised, declared)]
    assert [a.login if a else None for a in assignees] == ["ines", "ivo"]
    assert ("assigned", "ines") in _told(ticket_by_number(raised).id)


def test_who_logs_a_major_incident_is_not_told_of_it_but_the_group_is(session):
    admin.update_technician(session, "alice", group=INFRA)
    admin.add_technician(session, "ines", "Ines", "support", INFRA)
    ticket = log_ticket(session, new_ticket(**P1))
    assert [who for event, who in _told(ticket.id) if event == "major_incident"] == ["ines"]
