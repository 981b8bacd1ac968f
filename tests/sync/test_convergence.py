"""Randomised: three or more devices, random work, random offline periods and sync
orders; after everyone syncs twice all copies are identical, nothing is lost and no
history or worklog entry exists twice. With the whole lifecycle (status transitions,
reprioritising, escalations, housekeeping after clock jumps, policy edits) every ticket
also keeps the lifecycle invariants, every counter equals its history events and no
housekeeping entry exists twice. Plus verification and repair."""

import uuid
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.errors import Refused
from desk_app.core.field_units import derived_values
from desk_app.core.lifecycle import lifecycle_violations
from desk_app.services import admin, classification, escalation, workflow
from desk_app.services.details import update_details
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_actions import available_actions
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from desk_app.storage.models import History, Ticket, Worklog
from tests.conftest import new_ticket, stored_tickets
from tests.sync.conftest import (
    client_factory,
    same_as_server,
    server_copy,
    synced_copy,
)
from tests.team_database import fresh_team

DEVICES = ("amy", "ben", "cho")

operation = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(DEVICES), st.integers(0, 10**6)),
    st.tuples(st.just("note"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("summary"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("description"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("assign"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("sync"), st.sampled_from(DEVICES), st.integers(0, 0)),
)


def _known_numbers() -> list[str]:
    return [t.number for t in Ticket.select().order_by(Ticket.id)]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=4, max_size=24))
def test_random_offline_work_converges(postgres_url, tmp_path_factory, operations):
    root = tmp_path_factory.mktemp("convergence")
    with fresh_team(postgres_url) as team, client_factory(root, team) as make:
        devices = {name: make(name) for name in DEVICES}
        for device in devices.values():
            device.open()
            device.sync()
        notes_written: set[str] = set()
        summaries: dict[str, str] = {}
        for step, (kind, name, pick) in enumerate(operations):
            device = devices[name]
            session = device.open().session
            numbers = _known_numbers()
            if kind == "log":
                log_ticket(session, new_ticket(summary=f"{name} ticket {pick}"))
            elif kind == "sync":
                device.sync()
            elif numbers:
                number = numbers[pick % len(numbers)]
                if kind == "note":
                    note = f"{name} note {step}"
                    add_worklog(session, number, note)
                    notes_written.add(note)
                elif kind == "summary":
                    summary = f"{name} summary {step}"
                    update_details(session, number, {"summary": summary})
                    summaries[ticket_by_number(number).id] = summary
                elif kind == "description":
                    update_details(session, number, {"description": f"{name} text {step}"})
                elif kind == "assign" and ticket_by_number(number).status in ("new", "assigned"):
                    workflow.assign(session, number, technician=name)
            device.later()
        for _ in range(2):
            for device in devices.values():
                device.open()
                device.sync()
        copies = {}
        for name, device in devices.items():
            device.open()
            copies[name] = synced_copy()
            notes = [w.note for w in Worklog.select()]
            assert len(notes) == len(set(notes)) and notes_written <= set(notes)
            ids = [h.id for h in History.select()]
            assert len(ids) == len(set(ids))
            numbers = _known_numbers()
            assert len(numbers) == len(set(numbers))
            for ticket_id, summary in summaries.items():  # the last edit of each won
                assert Ticket.get_by_id(ticket_id).summary == summary
        assert copies["amy"] == copies["ben"] == copies["cho"]
        assert same_as_server(copies["amy"], server_copy(team))


def test_a_damaged_local_copy_is_found_and_repaired_by_a_full_resync(clients, team_db):
    amy = clients("amy")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Right summary")).number
    add_worklog(amy.session, number, "A note that must come back")
    amy.sync()
    ticket_id = ticket_by_number(number).id
    database.execute_sql("UPDATE ticket SET summary = 'Damaged' WHERE id = ?", (ticket_id,))
    database.execute_sql("DELETE FROM worklog WHERE ticket_id = ?", (ticket_id,))
    report = amy.sync(verify_all=True)
    assert report.repaired
    assert any("repaired by a full resync" in w for w in report.warnings)
    assert ticket_by_number(number).summary == "Right summary"
    assert [w.note for w in Worklog.select()] == ["A note that must come back"]
    assert amy.sync(verify_all=True).repaired is False


def test_local_rows_the_server_never_got_are_pushed_again_not_dropped(clients, team_db):
    amy = clients("amy")
    amy.open()
    amy.sync()
    number = log_ticket(amy.session, new_ticket(summary="Lost on the way")).number
    database.execute_sql("DELETE FROM outbox")  # as if trimmed without reaching the server
    report = amy.sync(verify_all=True)
    assert report.repaired
    assert ticket_by_number(number).summary == "Lost on the way"
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = 'ticket' "
                          "AND field IS NULL") == 1


ACTIONS = ("resolve", "hold", "reopen", "close", "confirm", "resume", "reject",
           "escalate", "reprioritise", "escalate_hierarchic", "start_work", "assign",
           "worklog", "cancel")
device = st.sampled_from(DEVICES)
# a ticket, and an action: this one if its desk allows it now, else one that it allows
act = st.tuples(st.just("act"), device, st.integers(0, 3), st.sampled_from(ACTIONS))
sync = st.tuples(st.just("sync"), device)
lifecycle_operation = st.one_of(
    act, act, act, act, act, act, sync, sync,
    st.tuples(st.just("log"), device, st.integers(0, 8)),
    st.tuples(st.just("housekeeping"), device),
    st.tuples(st.just("time"), st.sampled_from([1, 5, 26, 80])),  # hours, on every desk
    st.tuples(st.just("policy"), st.integers(0, 3)),  # by cho, the team's administrator
)
LEVELS = ("high", "medium", "low")


def _act(session, name: str, number: str, action: str, pick: int) -> str | None:
    """Run one activity; returns the ticket id a counted step landed on (a reopen of
    the same ticket, a functional escalation), if any."""
    match action:
        case "start_work":
            workflow.start_work(session, number)
        case "assign":
            workflow.assign(session, number, technician=name)
        case "hold":
            reasons = ("awaiting_user", "awaiting_supplier", "awaiting_change")
            workflow.hold(session, number, reasons[pick % 3])
        case "resume":
            workflow.resume(session, number)
        case "resolve":
            workflow.resolve(session, number, ("workaround", "permanent")[pick % 2],
                             "fixed", f"{name} fixed it", knowledge="updated",
                             problem_decision="not_needed")
        case "confirm":
            workflow.confirm(session, number)
        case "reject":
            return workflow.reject(session, number, "Still broken").id
        case "close":
            workflow.close(session, number, "updated", "not_needed")
        case "reopen":
            ticket, same = workflow.reopen(session, number, "Came back")
            return ticket.id if same else None
        case "cancel":
            workflow.cancel(session, number, "mislogged")
        case "reprioritise":
            before = ticket_by_number(number).support_level
            ticket = classification.reprioritise(session, number, "Reassessed",
                                                 LEVELS[pick % 3], LEVELS[pick // 3 % 3])
            if ticket.support_level == "L3" != before:  # a major incident goes to L3
                return ticket.id
        case "escalate":
            return escalation.escalate_functional(session, number, "Needs experts").id
        case "escalate_hierarchic":
            escalation.escalate_hierarchic(session, number, "Customer complaint")
        case "worklog":
            add_worklog(session, number, f"{name} looked at it")
    return None


def _policy_edit(session, pick: int) -> None:
    if pick % 2:
        admin.change_policy(session, {"lifecycle": {"reopen_window_days": 1 + pick,
                                                    "auto_close_grace_days": 1 + pick % 3}})
        return
    section = session.policy.sections["escalation"]
    step = (20, 30)[pick // 2 % 2]  # two valid matrices: rising thresholds above 0
    levels = [dict(level, at_percent=step * (index + 1))
              for index, level in enumerate(section["hierarchic"])]
    admin.change_policy(session, {"escalation": {**section, "hierarchic": levels}})


def _table(sql: str) -> list[dict]:
    cursor = database.execute_sql(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _housekeeping_duplicates() -> list[str]:
    """Entries two desks' housekeeping made for one rule and threshold: management
    escalations per level, breaches per clock, auto-closes per resolution."""
    found = []
    notes = Counter((w["ticket_id"], w["note"].split(":")[0]) for w in _table(
        "SELECT ticket_id, note FROM worklog WHERE note LIKE '%: resolution SLA at %'"))
    found += [f"{key} written {n} times" for key, n in notes.items() if n > 1]
    history = _table("SELECT * FROM history")
    made_by_rule = [h for h in history if uuid.UUID(h["id"]).version == 5
                    and not h["field"].startswith("conflict")]
    breaches = Counter((h["ticket_id"], h["field"]) for h in made_by_rule
                       if h["field"].endswith("_breached"))
    found += [f"{key} recorded {n} times" for key, n in breaches.items() if n > 1]
    resolutions = Counter(h["ticket_id"] for h in history
                          if h["field"] == "resolved_at" and h["new"] is not None)
    closures = Counter(h["ticket_id"] for h in made_by_rule
                       if (h["field"], h["new"]) == ("status", "closed"))
    found += [f"{t} auto-closed {n} times after {resolutions[t]} resolution(s)"
              for t, n in closures.items() if n > resolutions[t]]
    return found


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(operations=st.lists(lifecycle_operation, min_size=15, max_size=40))
def test_lifecycle_work_on_three_desks_converges_to_valid_tickets(postgres_url,
                                                                  tmp_path_factory,
                                                                  operations):
    root = tmp_path_factory.mktemp("lifecycle-convergence")
    with fresh_team(postgres_url) as team, client_factory(root, team) as make:
        devices = {name: make(name, role="admin" if name == "cho" else "technician")
                   for name in DEVICES}
        for desk in devices.values():
            desk.open()
            desk.sync()
        devices["amy"].open()
        for impact, urgency in (("high", "high"), ("medium", "low")):  # a P1 and a P4
            log_ticket(devices["amy"].session, new_ticket(impact=impact, urgency=urgency))
        for desk in devices.values():  # everyone knows everyone and both tickets
            desk.open()
            desk.sync()
        steps: dict[str, Counter] = {"reopen_count": Counter(), "escalation_count": Counter()}
        reported = {"breach": set(), "closed": set()}
        automatic: set[str] = set()  # tickets the watcher escalated to L2
        for operation in operations:
            kind = operation[0]
            if kind == "time":
                for desk in devices.values():
                    desk.skew += timedelta(hours=operation[1])
                continue
            desk = devices["cho" if kind == "policy" else operation[1]]
            session = desk.open().session
            numbers = _known_numbers()
            if kind == "log":
                pick = operation[2]
                log_ticket(session, new_ticket(impact=LEVELS[pick % 3],
                                               urgency=LEVELS[pick // 3 % 3]))
            elif kind == "sync":
                desk.sync()
            elif kind == "housekeeping":
                result = housekeeping(session)
                automatic |= {ticket_by_number(e.number).id for e in result.done
                              if e.rule == "functional"}  # one per ticket, on any desk
                reported["breach"] |= set(result.breaches)
                reported["closed"] |= set(result.closed)
            elif kind == "policy":
                _policy_edit(session, operation[1])
            elif numbers:
                _, name, pick, action = operation
                number = numbers[pick % len(numbers)]
                allowed = [a for a, why in available_actions(session, ticket_by_number(number))
                           .items() if why is None and a in ACTIONS]
                if allowed and action not in allowed:
                    action = allowed[(pick + ACTIONS.index(action)) % len(allowed)]
                try:
                    counted = _act(session, name, number, action, pick)
                except Refused:
                    counted = None
                if counted is not None:
                    field = "escalation_count" if action == "escalate" else "reopen_count"
                    steps[field][counted] += 1
            desk.later()
        for _ in range(2):
            for desk in devices.values():
                desk.open()
                desk.sync()
        steps["escalation_count"].update(automatic)

        copies = {}
        for name, desk in devices.items():
            desk.open()
            copies[name] = synced_copy()
            pauses = desk.session.policy.sla.pauses
            history = _table("SELECT ticket_id, field, old, new FROM history")
            for ticket in stored_tickets():
                assert lifecycle_violations(ticket, pauses) == [], name
                events = derived_values(h for h in history if h["ticket_id"] == ticket["id"])
                assert {c: ticket[c] for c in events} == events, (name, ticket["number"])
                for field, counts in steps.items():  # every desk's steps were kept
                    assert ticket[field] == counts[ticket["id"]], (name, field)
            assert _housekeeping_duplicates() == [], name
            for number, clock in reported["breach"]:
                assert getattr(ticket_by_number(number), f"{clock}_breached")
        assert copies["amy"] == copies["ben"] == copies["cho"]
        assert same_as_server(copies["amy"], server_copy(team))
