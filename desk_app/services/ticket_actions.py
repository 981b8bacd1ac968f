"""Which activities a technician may carry out on a ticket right now, and why not.

The activities refuse for themselves; this answers the same questions up front so a
screen can disable an action and say why instead of offering something that will be
refused. Each rule mirrors the check the activity makes.
"""

from collections.abc import Callable
from typing import Any

from desk_app.core.checklists import closure_checklist
from desk_app.core.enums import OPEN_STATUSES, Status, SupportLevel, TicketType
from desk_app.core.errors import PermissionDenied, Refused
from desk_app.core.permissions import Permission
from desk_app.core.reopen import reopen_within_window
from desk_app.core.satisfaction import check_rateable
from desk_app.services import (
    classification,
    details,
    escalation,
    links,
    major_review,
    problems,
    satisfaction,
    workflow,
    worklog,
)
from desk_app.services.session import Session, reads
from desk_app.services.ticket_view import ticket_view
from desk_app.storage.models import Technician, Ticket

# the natural next step in each status, best first (the first one allowed is offered)
NEXT_STEPS: dict[Status, tuple[str, ...]] = {
    Status.NEW: ("start_work", "assign"),
    Status.ASSIGNED: ("start_work", "assign"),
    Status.IN_PROGRESS: ("resolve", "worklog"),
    Status.ON_HOLD: ("resume", "worklog"),
    Status.RESOLVED: ("confirm", "close"),
    Status.CLOSED: ("reopen",),
    Status.CANCELLED: (),
}

# each action and the activity that carries it out (whose permission it is checked against)
ACTIVITIES: dict[str, Callable[..., Any]] = {
    "assign": workflow.assign, "start_work": workflow.start_work,
    "escalate": escalation.escalate_functional,
    "escalate_hierarchic": escalation.escalate_hierarchic,
    "hold": workflow.hold, "resume": workflow.resume, "worklog": worklog.add_worklog,
    "resolve": workflow.resolve, "confirm": workflow.confirm, "reject": workflow.reject,
    "close": workflow.close, "reopen": workflow.reopen, "cancel": workflow.cancel,
    "link": links.relate, "categorise": classification.categorise,
    "tick_checklist": classification.tick_checklist,
    "reprioritise": classification.reprioritise, "declare_major": classification.declare_major,
    "convert": classification.convert, "edit_details": details.update_details,
    "work_problem": problems.work_problem,
    "major_review": major_review.edit_review,
    "record_satisfaction": satisfaction.record_satisfaction,
}
ACTIONS = tuple(ACTIVITIES)


def action_permission(action: str) -> Permission:
    """The permission ``action`` needs: the one its activity checks."""
    return ACTIVITIES[action].permission  # type: ignore[attr-defined]


@reads
def available_actions(session: Session, ticket: Ticket) -> dict[str, str | None]:
    """Every action on ``ticket`` mapped to None (allowed) or the reason it is not."""
    status = Status(ticket.status)
    result: dict[str, str | None] = {}
    for action in ACTIONS:
        try:
            session.require(action_permission(action))
        except PermissionDenied as refusal:
            result[action] = refusal.message
            continue
        result[action] = _lifecycle_reason(session, ticket, status, action)
    return result


def _lifecycle_reason(session: Session, ticket: Ticket, status: Status,
                      action: str) -> str | None:
    is_open = status in OPEN_STATUSES
    not_open = f"{ticket.number} is {status.value.replace('_', ' ')}, not open"
    match action:
        case "start_work":
            if status == Status.ON_HOLD:
                return "on hold: resume it instead"
            if status == Status.IN_PROGRESS:
                return "already in progress"
            return None if is_open else not_open
        case "escalate":
            if not is_open:
                return not_open
            try:
                session.policy.functional.next_level(SupportLevel(ticket.support_level))
            except Refused as refusal:
                return refusal.message
            return None
        case "escalate_hierarchic":
            if not is_open:
                return not_open
            try:
                session.policy.hierarchic.next_level(ticket.hierarchic_level)
            except Refused as refusal:
                return refusal.message
            return None
        case "worklog":
            if status in (Status.CLOSED, Status.CANCELLED):
                return f"{ticket.number} is {status.value}; reopen it to add work"
            return None
        case "resume":
            return None if status == Status.ON_HOLD else "not on hold"
        case "confirm" | "reject":
            return None if status == Status.RESOLVED else "only a resolved ticket awaits " \
                                                          "the user's answer"
        case "close":
            if status != Status.RESOLVED:
                return "only a resolved ticket can be closed"
            return _awaiting_the_user(session, ticket)
        case "record_satisfaction":
            try:
                check_rateable(ticket.number, ticket.type, ticket.status)
            except Refused as refusal:
                return refusal.message
            return None
        case "reopen":
            if status not in (Status.RESOLVED, Status.CLOSED):
                return "only resolved or closed tickets can be reopened"
            return None
        case "work_problem":
            if ticket.type != TicketType.PROBLEM:
                return "only problem records have a root cause and a known-error state"
            return None if ticket.problem_status != "closed" else f"{ticket.number} is closed"
        case "major_review":  # open, resolved or closed: the review outlives the incident
            return None if ticket.major and ticket.type == TicketType.INCIDENT \
                else "only major incidents have a post-incident review"
        case "declare_major" | "convert":
            if not is_open:
                return not_open
            if action == "declare_major" and ticket.type != TicketType.INCIDENT:
                return "only incidents can be major incidents"
            if action == "convert" and ticket.type == TicketType.PROBLEM:
                return "problem records are not converted"
            return None
    return None if is_open else not_open


def _awaiting_the_user(session: Session, ticket: Ticket) -> str | None:
    """Why a resolved ticket cannot be closed yet whatever the close dialog is given:
    the closure checklist wants the user's answer (or the grace period over)."""
    if "user_confirmation" not in session.policy.closure_checklist:
        return None
    [(_key, _label, met)] = closure_checklist(workflow.closure_facts(ticket, session),
                                              ["user_confirmation"])
    if met:
        return None
    return ("the user has not confirmed the resolution yet: record their answer, or "
            "close once the auto-close grace period is over")


@reads
def reopen_effect(session: Session, ticket: Ticket) -> str:
    """What reopening ``ticket`` now would do, in words for a confirmation prompt."""
    if ticket.resolved_at and reopen_within_window(ticket.resolved_at, session.now(),
                                                   session.policy.reopen_window):
        return f"{ticket.number} returns to In Progress."
    return (f"{ticket.number} is past the reopen window: a new incident is logged and "
            "linked to it.")


def primary_action(status: str, confirmation: str | None,
                   actions: dict[str, str | None]) -> str | None:
    """The one action a screen offers first: the natural next step in ``status`` that
    ``actions`` allows (a confirmed resolution is closed next), or None."""
    steps = NEXT_STEPS.get(Status(status), ())
    if confirmation == "confirmed":
        steps = ("close", *steps)
    return next((step for step in steps if actions.get(step, "unknown") is None), None)


def people_names(logins: set[str]) -> dict[str, str]:
    """Login -> the technician's name, for the logins that name a technician."""
    found = [login for login in logins if login]
    if not found:
        return {}
    return dict(Technician.select(Technician.login, Technician.name)
                .where(Technician.login.in_(found)).tuples())


@reads
def ticket_screen(session: Session, ticket_id: str) -> dict:
    """Everything the ticket view shows: the ticket with checklists, links, history and
    worklog, what may be done with it now (and the step to offer first), what a reopen
    would do, and the names of the people it mentions."""
    ticket = Ticket.get_by_id(ticket_id)
    data = ticket_view(session, ticket)
    actions = available_actions(session, ticket)
    logins = {data["assignee"], data["logged_by"], data["resolved_by"]}
    logins |= {entry["by"] for entry in data["history"]}
    logins |= {entry["by"] for entry in data["worklog"]}
    return data | {
        "actions": actions,
        "primary": primary_action(ticket.status, ticket.confirmation, actions),
        "reopen_effect": reopen_effect(session, ticket),
        "people": people_names(logins),
    }
