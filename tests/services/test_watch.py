"""The watcher's rules, driven by the test's clock: each at its threshold, on business
hours and holidays, with pauses, after days offline; once each; and the next due moment."""

from datetime import UTC, datetime, timedelta

import pytest

from desk_app.core.policy_schema import PolicyRefused
from desk_app.services import admin, classification, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.watch import watch_pass
from desk_app.storage.models import History, Notification, Technician, Worklog

from ..conftest import LONDON, new_ticket

P1 = {"impact": "high", "urgency": "high"}  # 15 min / 4 h, every hour of the week
P2 = {"impact": "high", "urgency": "medium"}  # 30 min / 8 h, office hours


def _history(number: str, field: str) -> list[History]:
    ticket = ticket_by_number(number)
    return list(History.select().where((History.ticket == ticket.id)
                                       & (History.field == field)).order_by(History.at))


def _told(event: str) -> list[tuple[str, str]]:
    """(login, ticket number) of every notification of ``event``."""
    logins = dict(Technician.select(Technician.id, Technician.login).tuples())
    return sorted((logins[n.technician_id], n.ticket.number)
                  for n in Notification.select().where(Notification.event == event))


def _escalation(session, **changes) -> None:
    section = dict(session.policy.sections["escalation"])
    admin.change_policy(session, {"escalation": section | changes})


@pytest.fixture
def people(session):
    """dana and lee in the Service Desk (L1), nadia in Network Support (L2), mo a manager."""
    for login, group in (("dana", "Service Desk"), ("lee", "Service Desk"),
                         ("nadia", "Network Support"), ("mo", None)):
        admin.add_technician(session, login, login.title(), "support", group)
    return session


def test_breaches_are_recorded_at_their_due_times_once(session, clock):
    ticket = log_ticket(session, new_ticket(**P1))
    clock.advance(hours=5)
    result = watch_pass(session)
    assert result.breaches == [(ticket.number, "response"), (ticket.number, "resolution")]
    (response,) = _history(ticket.number, "response_breached")
    (resolution,) = _history(ticket.number, "resolution_breached")
    assert response.at == ticket.response_due
    assert resolution.at == ticket.resolution_due
    assert watch_pass(session).done == []


def test_warning_at_the_threshold_goes_to_the_group_then_to_the_assignee(people, clock):
    session = people
    unassigned = log_ticket(session, new_ticket()).number  # P3: response 4 h office
    clock.advance(hours=2, minutes=59)
    assert watch_pass(session).done == []
    clock.advance(minutes=1)  # 75 % of 4 h
    result = watch_pass(session)
    assert [(e.rule, e.detail) for e in result.done] == [("warning", "response")]
    assert result.done[0].at == datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)
    members = [("alice", unassigned), ("dana", unassigned), ("lee", unassigned)]
    assert _told("warning") == members
    assert watch_pass(session).done == []
    mine = log_ticket(session, new_ticket()).number
    workflow.assign(session, mine, technician="dana")
    clock.advance(hours=3)
    watch_pass(session)
    assert ("dana", mine) in _told("warning") and ("lee", mine) not in _told("warning")
    assert len(_history(unassigned, "sla_warning")) == 1


def test_management_levels_tell_their_people_at_each_threshold(people, clock):
    session = people
    _escalation(session, hierarchic=[
        {"name": "Team lead", "at_percent": 50, "technician": "lee",
         "groups": {"Infrastructure": "nadia"}},
        {"name": "Service delivery manager", "at_percent": 75, "technician": "mo"},
        {"name": "IT director", "at_percent": 100}])
    ticket = log_ticket(session, new_ticket(**P1))  # major: at Infrastructure (L3)
    clock.advance(hours=3, minutes=30)  # past 50 % and 75 % of 4 h
    result = watch_pass(session)
    assert result.escalated == [(ticket.number, "Team lead"),
                                (ticket.number, "Service delivery manager")]
    assert _told("escalated") == [("mo", ticket.number), ("nadia", ticket.number)]
    levels = _history(ticket.number, "hierarchic_level")
    assert [h.at for h in levels] == [ticket.logged_at + timedelta(hours=2),
                                      ticket.logged_at + timedelta(hours=3)]
    notes = [w.note for w in Worklog.select().where(Worklog.note.startswith("Escalated"))]
    assert notes == ["Escalated to management (Team lead): resolution SLA at 50%",
                     "Escalated to management (Service delivery manager): resolution "
                     "SLA at 75%"]
    assert result.next_due == ticket.resolution_due.astimezone(UTC)


def test_functional_escalation_sends_an_untouched_l1_ticket_to_l2(people, clock):
    session = people
    _escalation(session, functional_at_percent={"P3": 50})
    waiting = log_ticket(session, new_ticket()).number  # Network: L2 is Network Support
    taken = log_ticket(session, new_ticket()).number
    workflow.start_work(session, taken)
    clock.advance(hours=2)  # 50 % of the 4 h response target
    result = watch_pass(session)
    assert [(e.rule, e.number, e.detail) for e in result.done
            if e.rule == "functional"] == [("functional", waiting, "L2 (Network Support)")]
    moved = ticket_by_number(waiting)
    assert (moved.support_level, moved.group.name, moved.status) == (
        "L2", "Network Support", "assigned")
    (rule,) = _history(waiting, "escalation_rule")
    assert rule.new.startswith("escalation.functional_at_percent.P3")
    # told once: the routing's "waits in your group" says it; no second "escalated"
    assert ("nadia", waiting) in _told("group_unassigned")
    assert ("nadia", waiting) not in _told("escalated")
    assert ticket_by_number(taken).support_level == "L1"
    assert [e for e in watch_pass(session).done if e.rule == "functional"] == []


def test_majors_and_named_priorities_go_straight_to_l3(session):
    major = log_ticket(session, new_ticket(**P1))
    assert (major.support_level, major.group.name) == ("L3", "Infrastructure")
    plain = log_ticket(session, new_ticket(**P2))
    assert plain.support_level == "L1"
    _escalation(session, l3_priorities=["P2"])
    named = log_ticket(session, new_ticket(**P2))
    assert (named.support_level, named.group.name) == ("L3", "Infrastructure")
    low = log_ticket(session, new_ticket()).number
    classification.declare_major(session, low, True, "whole floor down",
                                manager="alice")
    assert ticket_by_number(low).support_level == "L3"
    assert "Sent straight to L3" in Worklog.select().where(
        Worklog.ticket == ticket_by_number(low).id).order_by(Worklog.at.desc()).first().note
    classification.reprioritise(session, plain.number, "worse", priority="P1")
    assert ticket_by_number(plain.number).support_level == "L3"
    assert ("alice", major.number) not in _told("major_incident")  # alice is at L1


def test_priority_is_raised_once_when_the_response_target_is_missed(session, clock):
    _escalation(session, raise_priority_on_response_breach=True,
                functional_at_percent={})
    number = log_ticket(session, new_ticket()).number  # P3
    clock.advance(hours=4, minutes=1)
    watch_pass(session)
    raised = ticket_by_number(number)
    assert raised.priority == "P2"
    (change,) = [h for h in _history(number, "priority") if h.old is not None]
    assert change.at == ticket_by_number(number).logged_at + timedelta(hours=4)
    watch_pass(session)
    assert ticket_by_number(number).priority == "P2"


def test_auto_close_skipped_tells_the_assignee_why_once(people, clock):
    session = people
    number = log_ticket(session, new_ticket()).number
    workflow.assign(session, number, technician="dana")
    workflow.resolve(session, number, "permanent", "solved", "Fixed")  # no decisions
    clock.advance(days=3, minutes=1)
    result = watch_pass(session)
    assert [e.rule for e in result.done] == ["auto_close_skipped"]
    assert _told("auto_close_skipped") == [("dana", number)]
    text = Notification.get(Notification.event == "auto_close_skipped").text
    assert "knowledge" in text
    assert watch_pass(session).done == []
    assert len(_told("auto_close_skipped")) == 1


def test_office_hours_and_holidays_move_every_moment(session, clock):
    calendars = dict(session.policy.sections["calendars"])
    calendars["office"] = calendars["office"] | {"holidays": ["2026-11-24"]}
    admin.change_policy(session, {"calendars": calendars})
    clock.current = datetime(2026, 11, 23, 17, 0, tzinfo=LONDON)  # Monday, 1 h left
    number = log_ticket(session, new_ticket()).number  # P3: response 4 h office
    # 1 h Monday, Tuesday a holiday, 3 h Wednesday: due Wednesday 11:00
    due = datetime(2026, 11, 25, 11, 0, tzinfo=LONDON)
    assert ticket_by_number(number).response_due == due
    result = watch_pass(session)
    warning = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)  # 1 h (25 %) left
    assert result.next_due == warning
    clock.current = datetime(2026, 11, 24, 15, 0, tzinfo=LONDON)  # the holiday
    assert watch_pass(session).done == []
    clock.current = warning
    assert [e.rule for e in watch_pass(session).done] == ["warning"]


def test_a_paused_clock_escalates_no_further(session, clock):
    number = log_ticket(session, new_ticket(**P1)).number
    workflow.start_work(session, number)
    clock.advance(hours=2, minutes=30)  # past 50 %
    workflow.hold(session, number, "awaiting_supplier")
    result = watch_pass(session)
    assert result.escalated == [(number, "Team lead")]
    clock.advance(days=2)
    assert watch_pass(session).done == []
    assert not ticket_by_number(number).resolution_breached
    workflow.resume(session, number)
    clock.advance(minutes=31)  # 75 % on the clock that moved out by the pause
    assert watch_pass(session).escalated == [(number, "Service delivery manager")]


def test_three_days_offline_records_each_rule_at_its_moment(session, clock):
    ticket = log_ticket(session, new_ticket(**P1))
    clock.advance(days=3)
    result = watch_pass(session)
    moments = {(e.rule, e.detail): e.at for e in result.done}
    start = ticket.logged_at
    assert moments[("breach", "response")] == start + timedelta(minutes=15)
    assert moments[("hierarchic", "Team lead")] == start + timedelta(hours=2)
    assert moments[("hierarchic", "Service delivery manager")] == start + timedelta(hours=3)
    assert moments[("hierarchic", "IT director")] == start + timedelta(hours=4)
    assert moments[("breach", "resolution")] == start + timedelta(hours=4)
    assert ("warning", "response") not in moments  # breached before anyone looked
    history_moments = sorted(h.at for h in _history(ticket.number, "hierarchic_level"))
    assert history_moments == [start + timedelta(hours=h) for h in (2, 3, 4)]


def test_next_due_is_the_earliest_future_moment(session, clock):
    assert watch_pass(session).next_due is None
    ticket = log_ticket(session, new_ticket(**P1))
    start = ticket.logged_at
    result = watch_pass(session)
    # the response warning: 75 % of 15 min
    assert result.next_due == start + timedelta(minutes=11, seconds=15)
    clock.current = result.next_due
    assert [e.rule for e in watch_pass(session).done] == ["warning"]
    # a P1 is a major incident: its first update is due 15 min after it was declared
    # (logged), a millisecond before the response target is missed
    assert watch_pass(session).next_due == start + timedelta(minutes=15)
    clock.current = start + timedelta(minutes=15)
    assert [e.rule for e in watch_pass(session).done] == ["update_due"]
    assert watch_pass(session).next_due == start + timedelta(minutes=15, milliseconds=1)


@pytest.mark.parametrize(("changes", "key"), [
    ({"hierarchic": [{"name": "Boss", "at_percent": 120}]},
     "escalation.hierarchic[0].at_percent"),
    ({"functional_at_percent": {"P2": 150}}, "escalation.functional_at_percent.P2"),
    ({"hierarchic": [{"name": "Boss", "at_percent": 50, "technician": "nobody"}]},
     "escalation.hierarchic[0].technician"),
    ({"hierarchic": [{"name": "Boss", "at_percent": 50, "groups": {"Ghosts": "alice"}}]},
     "escalation.hierarchic[0].groups.Ghosts"),
    ({"functional": {"default": {"L1": "Service Desk", "L2": "Desktop Support",
                                 "L3": "Service Desk"}}},
     "escalation.functional.default.L3"),
])
def test_bad_rules_are_refused_naming_the_key_and_change_nothing(session, changes, key):
    before = dict(session.policy.sections["escalation"])
    with pytest.raises(PolicyRefused) as refused:
        _escalation(session, **changes)
    assert refused.value.field == f"policy {key}"
    assert dict(session.policy.sections["escalation"]) == before


def test_an_l3_group_named_as_l1_level_loops(session):
    admin.add_group(session, "Front Desk", "L1")
    with pytest.raises(PolicyRefused) as refused:
        _escalation(session, functional={
            "default": {"L1": "Service Desk", "L2": "Front Desk", "L3": "Infrastructure"}})
    assert refused.value.field == "policy escalation.functional.default.L2"
    assert "loop" in refused.value.message


def test_a_limited_pass_stops_and_says_more_is_due_now(session, clock):
    log_ticket(session, new_ticket(**P1))
    clock.advance(days=3)
    first = watch_pass(session, limit=3)
    assert (len(first.done), first.more, first.next_due) == (3, True, clock())
    rest = watch_pass(session, limit=3)
    assert (len(rest.done), rest.more) == (3, True)
    last = watch_pass(session, limit=3)  # a P1 is major: its update is due and missed
    assert (len(last.done), last.more) == (1, False)
    assert {(e.rule, e.detail) for e in first.done + rest.done + last.done} == {
        ("breach", "response"), ("breach", "resolution"), ("hierarchic", "Team lead"),
        ("hierarchic", "Service delivery manager"), ("hierarchic", "IT director"),
        ("update_due", ""), ("update_missed", "")}


def test_a_child_raised_to_a_major_priority_stays_part_of_its_major(session, clock):
    from desk_app.services import major_children, major_incidents

    _escalation(session, raise_priority_on_response_breach=True,
                functional_at_percent={})
    major = log_ticket(session, new_ticket()).number
    major_incidents.declare(session, major, "alice", "every printer")
    child = log_ticket(session, new_ticket()).number
    classification.reprioritise(session, child, "worse", priority="P2")
    major_children.attach_children(session, major, [child])
    clock.advance(hours=8)
    watch_pass(session)
    raised = ticket_by_number(child)
    assert raised.priority == "P1" and not raised.major
    assert raised.parent.number == major
