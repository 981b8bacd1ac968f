from datetime import timedelta

import pytest

from desk_app.core.errors import InvalidValue, NotFound
from desk_app.services.admin import add_technician, change_policy, update_technician
from desk_app.services.escalation import escalate_functional
from desk_app.services.intake import log_ticket
from desk_app.services.preferences import preferences_of, set_preferences
from desk_app.services.workflow import assign
from desk_app.storage.models import AssignmentPick, History, Notification, Technician

from ..conftest import new_ticket

DESK = "Service Desk"


@pytest.fixture
def team(session):
    for login in ("lee", "dana", "kim"):
        add_technician(session, login, login.title(), "support", DESK)
    update_technician(session, "alice", group="Infrastructure")  # the actor is elsewhere
    return session


def rotation(session, method="round_robin", group=DESK, **extra):
    change_policy(session, {"assignment": {"groups": {group: method}, **extra}})


def assignee_of(ticket):
    ticket = type(ticket).get_by_id(ticket.id)
    return ticket.assignee.login if ticket.assignee_id else None


def reason_of(ticket):
    row = History.get_or_none((History.ticket == ticket.id) & (History.field == "assignment"))
    return row.new if row else None


def test_round_robin_rotates_through_the_group_and_says_why(team):
    rotation(team)
    tickets = [log_ticket(team, new_ticket()) for _ in range(4)]
    assert [assignee_of(t) for t in tickets] == ["dana", "kim", "lee", "dana"]
    assert reason_of(tickets[0]) == "assigned to dana by round robin; first in the rotation"
    assert reason_of(tickets[1]) == "assigned to kim by round robin; next after dana"
    assert type(tickets[0]).get_by_id(tickets[0].id).status == "assigned"
    assert AssignmentPick.select().count() == 4


def test_nobody_is_picked_when_the_policy_says_none(team):
    ticket = log_ticket(team, new_ticket())
    assert assignee_of(ticket) is None and reason_of(ticket) is None


def test_away_and_off_shift_technicians_are_skipped(team, clock):
    rotation(team)
    set_preferences(team, "dana", away_until=clock() + timedelta(days=2))
    set_preferences(team, "kim", calendar="office")
    clock.current = clock().replace(hour=21)  # Monday evening: the office is closed
    first = log_ticket(team, new_ticket())
    assert assignee_of(first) == "lee"
    clock.advance(days=3)  # Thursday 21:00: dana is back, kim still off shift
    assert assignee_of(log_ticket(team, new_ticket())) == "dana"


def test_least_open_work_weighs_open_tickets_by_priority(team):
    rotation(team, "least_open")
    assign(team, log_ticket(team, new_ticket(impact="high", urgency="high")).number,
           technician="dana")  # P1: weight 4
    for _ in range(2):
        assign(team, log_ticket(team, new_ticket(impact="low", urgency="low")).number,
               technician="kim")  # P4: 1 each
    ticket = log_ticket(team, new_ticket())
    assert assignee_of(ticket) == "lee"
    assert reason_of(ticket) == ("assigned to lee by least open work (0 weighted open, "
                                 "lowest of 3)")
    assert assignee_of(log_ticket(team, new_ticket())) == "kim"  # 2 < lee's 3 (a P3) < 4


def test_a_skilled_technician_is_preferred(team):
    rotation(team)
    set_preferences(team, "lee", skills=["Network"])
    ticket = log_ticket(team, new_ticket(category="Network", subcategory="VPN"))
    assert assignee_of(ticket) == "lee"
    assert reason_of(ticket).endswith("skilled in Network")


def test_functional_escalation_assigns_in_the_next_group(team):
    add_technician(team, "nina", "Nina", "support", "Network Support")
    rotation(team, group="Network Support")
    ticket = log_ticket(team, new_ticket())
    escalate_functional(team, ticket.number, "needs the network team")
    assert assignee_of(ticket) == "nina"


def test_reassigning_to_a_group_assigns_and_tells_the_person(team):
    rotation(team)
    ticket = log_ticket(team, new_ticket())  # dana
    add_technician(team, "nina", "Nina", "support", "Network Support")
    rotation(team, group="Network Support")
    assign(team, ticket.number, group="Network Support")
    assert assignee_of(ticket) == "nina"
    told = {(n.technician_id, n.event) for n in Notification.select()}
    nina, dana = (Technician.get(Technician.login == x).id for x in ("nina", "dana"))
    assert (nina, "assigned") in told and (dana, "assigned") in told


def test_a_group_without_anyone_assigned_is_told(team):
    ticket = log_ticket(team, new_ticket())
    told = sorted(Technician.get_by_id(n.technician_id).login for n in
                  Notification.select().where(Notification.event == "group_unassigned"))
    assert told == ["dana", "kim", "lee"]  # not alice: she logged it
    assert ticket.number in Notification.select().first().text


def test_the_actor_is_not_told_about_their_own_assignment(team):
    ticket = log_ticket(team, new_ticket())
    Notification.delete().execute()
    assign(team, ticket.number, technician="dana")
    assert [n.event for n in Notification.select()] == ["assigned"]


def test_preferences_are_validated_naming_the_field(team):
    with pytest.raises(InvalidValue, match="unknown calendar 'night'"):
        set_preferences(team, calendar="night")
    with pytest.raises(InvalidValue, match="unknown category 'Plumbing'"):
        set_preferences(team, skills=["Network", "Plumbing"])
    with pytest.raises(InvalidValue, match="unknown event 'gossip'"):
        set_preferences(team, events_off=["gossip"])
    with pytest.raises(InvalidValue) as refused:
        set_preferences(team, quiet_hours="late")
    assert refused.value.field == "quiet_hours"
    assert preferences_of(team) == preferences_of(team, "alice")
    assert preferences_of(team).skills == ()  # nothing was stored
    with pytest.raises(NotFound):
        set_preferences(team, "nobody", calendar="office")


def test_a_technician_edits_only_their_own_preferences(team, desk):
    from desk_app.core.errors import PermissionDenied
    from desk_app.services.session import Session

    dana = Session(Technician.get(Technician.login == "dana"), team.now_fn)
    set_preferences(dana, quiet_hours="22:00-07:00", events_off=["warning"])
    assert preferences_of(team, "dana").quiet_hours == "22:00-07:00"
    with pytest.raises(PermissionDenied):
        set_preferences(dana, "kim", calendar="office")


def test_an_unknown_method_in_the_policy_is_refused_naming_the_key(team):
    with pytest.raises(InvalidValue) as refused:
        change_policy(team, {"assignment": {"groups": {DESK: "lottery"}}})
    assert "assignment.groups" in refused.value.field


def test_assignment_for_an_unknown_group_is_refused_naming_it(team):
    with pytest.raises(InvalidValue) as refused:
        change_policy(team, {"assignment": {"groups": {"Plumbers": "round_robin"}}})
    assert refused.value.field == "policy assignment.groups.Plumbers"
    assert "assignment" not in team.policy.sections or \
        "Plumbers" not in team.policy.sections["assignment"].get("groups", {})
