"""Keep a ticket's stored SLA due times and stopped time right as it moves."""

from datetime import datetime, timedelta

from desk_app.core.enums import Status
from desk_app.core.policy import Policy
from desk_app.core.sla import SlaState, sla_state
from desk_app.services.recording import TicketEdit
from desk_app.storage.models import Ticket


def set_due_times(edit: TicketEdit, policy: Policy) -> None:
    """Recompute both due times from the logging time, the priority and stopped time."""
    ticket = edit.ticket
    stopped = timedelta(milliseconds=ticket.sla_stopped_ms)
    edit.set("response_due", policy.sla.response_due(ticket.priority, ticket.logged_at))
    edit.set("resolution_due",
             policy.sla.resolution_due(ticket.priority, ticket.logged_at, stopped))


def stop_clock(edit: TicketEdit, at: datetime) -> None:
    """Stop the resolution clock (on a pausing hold, or at resolution)."""
    if edit.ticket.sla_stopped_since is None:
        edit.set("sla_stopped_since", at)


def restart_clock(edit: TicketEdit, policy: Policy, at: datetime) -> None:
    """Restart a stopped resolution clock, moving its due time by the stopped time."""
    ticket = edit.ticket
    if ticket.sla_stopped_since is None:
        return
    stopped = policy.sla.stopped_between(ticket.priority, ticket.sla_stopped_since, at)
    edit.set("sla_stopped_ms", ticket.sla_stopped_ms + int(stopped / timedelta(milliseconds=1)))
    edit.set("sla_stopped_since", None)
    set_due_times(edit, policy)


def ticket_sla_state(ticket: Ticket, policy: Policy, now: datetime) -> SlaState:
    """Both SLA clocks of a stored ticket at ``now``."""
    return sla_state(
        policy.sla, priority=ticket.priority, logged_at=ticket.logged_at,
        responded_at=ticket.responded_at, resolved_at=ticket.resolved_at,
        stopped_since=ticket.sla_stopped_since,
        stopped_total=timedelta(milliseconds=ticket.sla_stopped_ms),
        on_hold=ticket.status == Status.ON_HOLD, now=now)


def mark_responded(edit: TicketEdit, at: datetime) -> None:
    """Record the first response (a technician took the ticket up), and a late one as a
    response breach."""
    if edit.ticket.responded_at is None:
        edit.set("responded_at", at)
        mark_response_breach(edit, at)


def mark_response_breach(edit: TicketEdit, at: datetime) -> None:
    """Record a response breach if a response at ``at`` (or none by then) is late."""
    if not edit.ticket.response_breached and at > edit.ticket.response_due:
        edit.set("response_breached", True)


def mark_resolution_breach(edit: TicketEdit, at: datetime) -> None:
    """Record a resolution breach if ``at`` is past the due time of a running clock."""
    ticket = edit.ticket
    if (not ticket.resolution_breached and ticket.sla_stopped_since is None
            and at > ticket.resolution_due):
        edit.set("resolution_breached", True)
