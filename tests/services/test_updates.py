"""What the ticket pane saves in one step: the composer's note with a status change, and
the Details' fields with the category; each all or nothing."""

import pytest

from desk_app.core.errors import InvalidValue, Refused
from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_actions import (
    available_actions,
    people_names,
    primary_action,
    ticket_screen,
)
from desk_app.services.updates import add_update, save_edits
from desk_app.storage.models import History, Worklog
from tests.conftest import new_ticket


def _logged(session) -> str:
    return log_ticket(session, new_ticket()).number


def _counts(number: str) -> tuple[int, int]:
    ticket = ticket_by_number(number)
    return (Worklog.select().where(Worklog.ticket == ticket.id).count(),
            History.select().where(History.ticket == ticket.id).count())


def test_a_note_alone_changes_no_status(session):
    number = _logged(session)
    entry = add_update(session, number, "Called the user", minutes=10, kind="phone")
    assert (entry.note, entry.minutes, entry.kind) == ("Called the user", 10, "phone")
    assert ticket_by_number(number).status == "new"


def test_a_note_starts_work_puts_on_hold_and_resumes(session, clock):
    number = _logged(session)
    add_update(session, number, "Looking at it", status="in_progress")
    assert ticket_by_number(number).status == "in_progress"
    assert ticket_by_number(number).assignee.login == "alice"
    add_update(session, number, "Asked for the log", status="on_hold",
               hold_reason="awaiting_user")
    ticket = ticket_by_number(number)
    assert (ticket.status, ticket.hold_reason) == ("on_hold", "awaiting_user")
    clock.advance(minutes=20)
    add_update(session, number, "Log received", status="in_progress")
    assert ticket_by_number(number).status == "in_progress"
    assert add_update(session, number, "still on it", status="in_progress")  # no move


@pytest.mark.parametrize(("status", "reason", "field"), [
    ("on_hold", None, "hold_reason"),
    ("resolved", None, "status"),
    ("on_hold", "awaiting_godot", "reason"),
])
def test_a_refused_status_change_keeps_the_note_out_too(session, status, reason, field):
    number = _logged(session)
    before = _counts(number)
    with pytest.raises(InvalidValue) as refused:
        add_update(session, number, "note", status=status, hold_reason=reason)
    assert refused.value.field == field
    assert _counts(number) == before


def test_a_lifecycle_refusal_rolls_the_note_back(session):
    number = _logged(session)
    workflow.resolve(session, number, "permanent", "Solved (permanently)", "fixed")
    before = _counts(number)
    with pytest.raises(Refused):
        add_update(session, number, "one more thing", status="on_hold",
                   hold_reason="awaiting_user")
    assert _counts(number) == before
    assert ticket_by_number(number).status == "resolved"


def test_details_and_category_are_saved_together_or_not_at_all(session):
    number = _logged(session)
    save_edits(session, number, {"ci": "LAPTOP-1"}, ("Hardware", "Laptop"))
    ticket = ticket_by_number(number)
    assert (ticket.ci, ticket.category, ticket.subcategory) == ("LAPTOP-1", "Hardware",
                                                                "Laptop")
    before = _counts(number)
    with pytest.raises(Refused):
        save_edits(session, number, {"ci": "LAPTOP-2"}, ("Plumbing", None))
    assert ticket_by_number(number).ci == "LAPTOP-1" and _counts(number) == before
    with pytest.raises(InvalidValue):
        save_edits(session, number, {})


@pytest.mark.parametrize(("status", "confirmation", "allowed", "expected"), [
    ("new", None, {"start_work", "assign"}, "start_work"),
    ("new", None, {"assign"}, "assign"),  # a role that may not start work assigns
    ("assigned", None, {"start_work"}, "start_work"),
    ("in_progress", None, {"resolve", "worklog"}, "resolve"),
    ("in_progress", None, {"worklog"}, "worklog"),
    ("on_hold", None, {"resume", "resolve"}, "resume"),
    ("resolved", None, {"confirm", "close"}, "confirm"),
    ("resolved", "confirmed", {"confirm", "close"}, "close"),
    ("closed", None, {"reopen"}, "reopen"),
    ("closed", None, set(), None),
    ("cancelled", None, {"worklog"}, None),
])
def test_the_primary_action_is_the_next_step_allowed(status, confirmation, allowed,
                                                     expected):
    actions = {key: (None if key in allowed else "no") for key in
               ("start_work", "assign", "resolve", "worklog", "resume", "confirm",
                "close", "reopen")}
    assert primary_action(status, confirmation, actions) == expected


def test_the_screen_names_the_people_and_the_primary_action(session):
    from desk_app.services.admin import add_technician

    add_technician(session, "omar", "Omar Haddad", "support", "Service Desk")
    number = _logged(session)
    workflow.assign(session, number, technician="omar")
    ticket = ticket_by_number(number)
    screen = ticket_screen(session, ticket.id)
    assert screen["people"]["omar"] == "Omar Haddad"
    assert set(screen["people"]) >= {"omar", "alice"}
    assert screen["primary"] == primary_action(ticket.status, ticket.confirmation,
                                               available_actions(session, ticket))
    assert people_names({"nobody", ""}) == {}
