import json
from datetime import timedelta

import pytest

from desk_app.core.errors import (
    ChecklistIncomplete,
    InvalidValue,
    PermissionDenied,
    Refused,
    TransitionRefused,
)
from desk_app.core.field_units import DERIVED, unit_of
from desk_app.services import admin, classification, escalation, links, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.session import Session
from desk_app.services.ticket_view import ticket_view
from desk_app.services.worklog import add_worklog
from desk_app.storage.models import History, Outbox, Ticket, Worklog

from ..conftest import new_ticket


def snapshot():
    """Every row that an activity could write."""
    return (Ticket.select().count(), History.select().count(), Worklog.select().count(),
            Outbox.select().count(), [tuple(t) for t in Ticket.select().tuples()])


def test_log_sets_number_priority_sla_and_history(session, clock):
    ticket = log_ticket(session, new_ticket(impact="high", urgency="medium"))
    assert ticket.number == "INC-000001"
    assert ticket.priority == "P2" and ticket.status == "new"
    assert ticket.group.name == "Service Desk" and ticket.logged_by == "alice"
    # P2: 8 business hours on the office calendar from Monday 09:00 -> 17:00
    assert ticket.resolution_due == clock().replace(hour=17)
    fields = {h.field for h in History.select().where(History.ticket == ticket.id)}
    assert {"summary", "status", "priority", "impact", "urgency", "number"} <= fields
    assert Outbox.select().where(Outbox.row_id == ticket.id).count() == 1
    assert log_ticket(session, new_ticket()).number == "INC-000002"


def test_log_request_and_problem_numbers(session):
    assert log_ticket(session, new_ticket(type="request")).number == "REQ-000001"
    assert log_ticket(session, new_ticket(type="problem")).number == "PRB-000001"


def test_logging_checklist_refusal_names_every_missing_field_and_writes_nothing(session):
    before = snapshot()
    with pytest.raises(InvalidValue) as err:
        log_ticket(session, new_ticket(summary="", reporter=" ", impact=""))
    assert err.value.fields == ["reporter", "summary", "impact"]
    assert err.value.field == "reporter"
    assert "summary" in err.value.message and "reporter" in err.value.message
    assert "impact" in err.value.message
    assert snapshot() == before


@pytest.mark.parametrize(("field", "value"), [
    ("impact", "huge"), ("urgency", "now"), ("channel", "pigeon"), ("type", "wish"),
    ("category", "Plumbing"), ("subcategory", "Printer"),
])
def test_bad_values_are_refused_naming_the_field(session, field, value):
    before = snapshot()
    with pytest.raises(InvalidValue) as err:
        log_ticket(session, new_ticket(**{field: value}))
    assert err.value.field == field
    assert snapshot() == before


def test_detected_in_the_future_is_refused(session, clock):
    with pytest.raises(InvalidValue) as err:
        log_ticket(session, new_ticket(detected_at=clock() + timedelta(hours=1)))
    assert err.value.field == "detected_at"


def test_full_lifecycle(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.assign(session, number, group="Service Desk", technician="alice")
    assert ticket_by_number(number).status == "assigned"
    clock.advance(minutes=10)
    workflow.start_work(session, number)
    t = ticket_by_number(number)
    assert t.status == "in_progress" and t.responded_at == clock()
    add_worklog(session, number, "Reset the VPN profile", kind="phone", minutes=15)
    workflow.resolve(session, number, "permanent", "solved", "New VPN profile pushed")
    with pytest.raises(ChecklistIncomplete) as err:
        workflow.close(session, number)
    assert any("confirmed" in u for u in err.value.unmet)
    assert any("knowledge" in u for u in err.value.unmet)
    assert ticket_by_number(number).status == "resolved"
    workflow.confirm(session, number)
    workflow.close(session, number, knowledge="not_needed")
    t = ticket_by_number(number)
    assert t.status == "closed" and t.closed_at == clock() and t.confirmation == "confirmed"
    view = ticket_view(session, t)
    assert all(item["done"] for item in view["checklists"]["closure"])
    assert [w["note"] for w in view["worklog"]] == ["Reset the VPN profile"]
    assert view["sla"]["breached"] is False


def test_close_after_grace_period_is_auto_close(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Done")
    with pytest.raises(ChecklistIncomplete):
        workflow.close(session, number, knowledge="updated")
    clock.advance(days=3)
    workflow.close(session, number, knowledge="updated")
    assert ticket_by_number(number).confirmation == "auto_closed"


def test_workaround_needs_problem_decision(session):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "workaround", "workaround", "Use the web VPN")
    workflow.confirm(session, number)
    with pytest.raises(ChecklistIncomplete) as err:
        workflow.close(session, number, knowledge="not_needed")
    assert len(err.value.unmet) == 1 and "problem" in err.value.unmet[0]
    problem = links.raise_problem(session, number)
    assert problem.number.startswith("PRB-") and problem.type == "problem"
    workflow.close(session, number, knowledge="not_needed")


def test_refused_transitions_change_nothing(session):
    number = log_ticket(session, new_ticket()).number
    before = snapshot()
    with pytest.raises(TransitionRefused) as err:
        workflow.close(session, number)
    assert "allowed" in err.value.message
    with pytest.raises(Refused):
        workflow.resume(session, number)
    with pytest.raises(Refused):
        workflow.confirm(session, number)
    assert snapshot() == before


def test_hold_pauses_and_resume_moves_due(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="medium")).number  # P2
    due = ticket_by_number(number).resolution_due
    clock.advance(hours=1)
    workflow.hold(session, number, "awaiting_user", note="Asked Bob to reboot")
    assert ticket_by_number(number).sla_stopped_since == clock()
    view = ticket_view(session, ticket_by_number(number))
    assert view["sla"]["paused"] is True
    clock.advance(hours=3)
    workflow.resume(session, number)
    t = ticket_by_number(number)
    assert t.status == "in_progress" and t.sla_stopped_since is None
    # three stopped business hours move 17:00 Monday over the night to 10:00 Tuesday
    assert due == clock().replace(day=23, hour=17)
    assert t.resolution_due == clock().replace(day=24, hour=10)


def test_hold_for_change_does_not_pause(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.hold(session, number, "awaiting_change")
    assert ticket_by_number(number).sla_stopped_since is None
    with pytest.raises(InvalidValue):
        workflow.hold(session, number, "lunch")


def test_reject_reopens_same_ticket(session):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Done")
    workflow.reject(session, number, "Still drops")
    t = ticket_by_number(number)
    assert t.status == "in_progress" and t.reopen_count == 1 and t.resolved_at is None


def test_reopen_inside_window_and_after(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Done")
    clock.advance(days=2)
    ticket, same = workflow.reopen(session, number, "Came back")
    assert same and ticket.reopen_count == 1 and ticket.status == "in_progress"
    workflow.resolve(session, number, "permanent", "solved", "Done again")
    workflow.confirm(session, number)
    workflow.close(session, number, knowledge="not_needed")
    clock.advance(days=6)
    successor, same = workflow.reopen(session, number, "Came back after a week")
    assert not same and successor.number != number and successor.status == "new"
    view = ticket_view(session, successor)
    assert view["links"][0] == {**view["links"][0], "kind": "follows", "number": number}
    assert ticket_by_number(number).status == "closed"


def test_functional_escalation_follows_matrix(session):
    number = log_ticket(session, new_ticket()).number
    escalation.escalate_functional(session, number, "Needs network team")
    t = ticket_by_number(number)
    assert (t.group.name, t.support_level, t.escalation_count) == ("Network Support", "L2", 1)
    escalation.escalate_functional(session, number, "Needs engineering")
    assert ticket_by_number(number).support_level == "L3"
    with pytest.raises(Refused) as err:
        escalation.escalate_functional(session, number, "More")
    assert "last support level" in err.value.message


def test_hierarchic_escalation(session):
    number = log_ticket(session, new_ticket()).number
    escalation.escalate_hierarchic(session, number, "Customer complaint")
    view = ticket_view(session, ticket_by_number(number))
    assert view["management_level"] == "Team lead"
    with pytest.raises(InvalidValue):
        escalation.escalate_hierarchic(session, number, " ")


def test_reprioritise_needs_reason_and_recomputes_sla(session, clock):
    number = log_ticket(session, new_ticket()).number  # P3
    with pytest.raises(InvalidValue) as err:
        classification.reprioritise(session, number, "", impact="high")
    assert err.value.field == "reason"
    classification.reprioritise(session, number, "Whole office affected", impact="high",
                                urgency="high")
    t = ticket_by_number(number)
    assert t.priority == "P1" and t.major
    assert t.resolution_due == clock() + timedelta(hours=4)
    reasons = History.select().where((History.ticket == t.id)
                                     & (History.field == "priority_reason"))
    assert [h.new for h in reasons] == ["Whole office affected"]
    classification.reprioritise(session, number, "Manual override", priority="P4")
    assert ticket_by_number(number).priority == "P4"


def test_categorisation_checklist(session):
    number = log_ticket(session, new_ticket()).number
    classification.tick_checklist(session, number, ["2", "Confirmed affected configuration item"])
    with pytest.raises(InvalidValue) as err:
        classification.tick_checklist(session, number, ["Made coffee"])
    assert "Checked the network monitoring dashboard" in err.value.message
    items = ticket_view(session, ticket_by_number(number))["checklists"]["categorisation"]
    assert [i["done"] for i in items] == [False, True, True, False]


def test_convert_keeps_old_number_findable(session):
    number = log_ticket(session, new_ticket()).number
    converted = classification.convert(session, number, "request")
    assert converted.number == "REQ-000001" and converted.type == "request"
    assert ticket_by_number(number).id == converted.id


def test_cancel_duplicate(session):
    first = log_ticket(session, new_ticket()).number
    second = log_ticket(session, new_ticket()).number
    with pytest.raises(InvalidValue):
        workflow.cancel(session, second, "duplicate")
    workflow.cancel(session, second, "duplicate", duplicate_of=first)
    view = ticket_view(session, ticket_by_number(second))
    assert view["status"] == "cancelled" and view["links"][0]["number"] == first


def test_links(session):
    incident = log_ticket(session, new_ticket()).number
    other = log_ticket(session, new_ticket()).number
    problem = log_ticket(session, new_ticket(type="problem")).number
    links.link_problem(session, incident, problem)
    links.set_rfc(session, incident, "RFC-42")
    links.set_parent(session, other, incident)
    with pytest.raises(InvalidValue):
        links.set_parent(session, incident, other)  # would make a cycle
    with pytest.raises(InvalidValue):
        links.link_problem(session, incident, other)
    links.relate(session, incident, other)
    with pytest.raises(Refused):
        links.relate(session, other, incident)
    view = ticket_view(session, ticket_by_number(incident))
    assert (view["problem"], view["rfc"]) == (problem, "RFC-42")


def test_permissions_are_enforced_by_services(session, clock):
    admin.add_group(session, "Night shift", "L1")
    admin.add_technician(session, "sam", "Sam", "support", "Night shift")
    sam = Session(admin.technician_by_login("sam"), clock)
    number = log_ticket(sam, new_ticket()).number
    with pytest.raises(PermissionDenied) as err:
        admin.change_policy(sam, {"lifecycle": {"reopen_window_days": 1}})
    assert "administrator" in err.value.message
    with pytest.raises(PermissionDenied):
        workflow.cancel(sam, number, "mislogged")
    with pytest.raises(PermissionDenied):
        classification.declare_major(sam, number, True, "Big")
    classification.declare_major(session, number, True, "Big", manager="alice")


def test_admin_changes_policy_and_it_applies(session):
    admin.change_policy(session, {"lifecycle": {"reopen_window_days": 1,
                                                "auto_close_grace_days": 1}})
    assert session.policy.reopen_window == timedelta(days=1)
    with pytest.raises(InvalidValue) as err:
        admin.change_policy(session, {"lifecycle": {"reopen_window_days": "soon"}})
    assert err.value.field == "policy lifecycle.reopen_window_days"
    assert session.policy.reopen_window == timedelta(days=1)


def test_every_change_has_history_and_outbox(session):
    number = log_ticket(session, new_ticket()).number
    t = ticket_by_number(number)
    before_history = History.select().where(History.ticket == t.id).count()
    before_outbox = {o.op_id for o in Outbox.select()}
    workflow.assign(session, number, technician="alice")
    new_history = [h.id for h in History.select().where(History.ticket == t.id)][before_history:]
    assert len(new_history) >= 2  # assignee and status at least
    queued = [o for o in Outbox.select().order_by(Outbox.op_id) if o.op_id not in before_outbox]
    fields = [o for o in queued if o.entity == "ticket"]
    changed = [Ticket._meta.fields[h.field].column_name
               for h in History.select().where(History.id << new_history)]
    # a changed field travels with every field of its unit, all under one clock
    sent = {c for name in changed for c in unit_of(name) if c not in DERIVED}
    assert sorted(o.field for o in fields) == sorted([*sent, "updated_at"])
    assert {"status", "hold_reason", "group_id", "support_level"} <= sent
    assert len({o.hlc for o in fields}) == 1
    (appended,) = [o for o in queued if o.entity == "history"]
    assert appended.row_id == t.id and sorted(json.loads(appended.value)) == sorted(new_history)


def test_policy_change_applies_to_the_next_activity_at_the_same_instant(session):
    """The frozen test clock makes every activity happen at one instant: the policy
    cache must still notice the change."""
    admin.change_policy(session, {"sla": {**session.policy.sections["sla"],
                                          "targets": {**session.policy.sections["sla"]["targets"],
                                                      "P3": {"response": "1h",
                                                             "resolution": "1h",
                                                             "calendar": "24x7"}}}})
    ticket = log_ticket(session, new_ticket())
    assert ticket.resolution_due == ticket.logged_at + timedelta(hours=1)


def test_changing_the_hold_reason_starts_or_stops_the_clock(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="medium")).number  # P2
    workflow.hold(session, number, "awaiting_user")
    assert ticket_by_number(number).sla_stopped_since == clock()
    clock.advance(hours=2)
    workflow.hold(session, number, "awaiting_change")  # waiting on a change does not pause
    ticket = ticket_by_number(number)
    assert ticket.hold_reason == "awaiting_change" and ticket.sla_stopped_since is None
    assert ticket.sla_stopped_ms == 2 * 3600 * 1000
    clock.advance(hours=1)
    workflow.hold(session, number, "awaiting_supplier")
    assert ticket_by_number(number).sla_stopped_since == clock()
