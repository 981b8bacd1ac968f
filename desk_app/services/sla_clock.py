"""Keep a ticket's stored SLA due times and stopped time right as it moves, by the rules
of :mod:`desk_app.core.sla_clock`."""

from datetime import datetime, timedelta

from desk_app.core.catalogue import service_sla
from desk_app.core.enums import Status
from desk_app.core.policy import Policy
from desk_app.core.sla import SlaPolicy, SlaTarget
from desk_app.core.sla_clock import (
    SlaState,
    is_breached,
    moved_by_pause,
    replanned_due,
    resolution_end,
    response_end,
    sla_state,
)
from desk_app.services.catalogue import service_terms
from desk_app.services.recording import TicketEdit
from desk_app.storage.models import Ticket


def ticket_sla(ticket: Ticket, policy: Policy) -> SlaPolicy:
    """The SLA targets the ticket is measured by (its service's own, where it has them)."""
    return service_sla(policy.sla, service_terms(ticket.service), policy.calendars)


def replan_due_times(edit: TicketEdit, policy: Policy, old_priority: str,
                     at: datetime) -> None:
    """After a priority change at ``at``: each clock still running (or paused) keeps the
    business time it used on the old priority's calendar and gets the rest of the new
    target, counted on the new priority's calendar. A response already given keeps its
    due time."""
    ticket = edit.ticket
    new_priority = ticket.priority
    if new_priority == old_priority:
        return
    sla = ticket_sla(ticket, policy)
    _replan(edit, sla.targets[old_priority], sla.targets[new_priority], at)


def replan_for_service(edit: TicketEdit, policy: Policy, old_service: str | None,
                       at: datetime) -> None:
    """After the service changed at ``at``: as a priority change, from the old service's
    targets for the priority to the new service's (where either has its own)."""
    ticket = edit.ticket
    old = service_sla(policy.sla, service_terms(old_service), policy.calendars)
    new = ticket_sla(ticket, policy)
    if old.targets[ticket.priority] != new.targets[ticket.priority]:
        _replan(edit, old.targets[ticket.priority], new.targets[ticket.priority], at)


def _replan(edit: TicketEdit, old: SlaTarget, new: SlaTarget, at: datetime) -> None:
    ticket = edit.ticket
    # the response clock never pauses; the resolution clock may be stopped by a hold
    for clock, met_at, end in (("response", ticket.responded_at, at),
                               ("resolution", ticket.resolved_at,
                                ticket.sla_stopped_since or at)):
        if met_at is not None:
            continue
        edit.set(f"{clock}_due", replanned_due(
            due=getattr(ticket, f"{clock}_due"),
            used_length=getattr(old, clock).length(old.calendar, ticket.logged_at),
            used_calendar=old.calendar,
            new_length=getattr(new, clock).length(new.calendar, ticket.logged_at),
            new_calendar=new.calendar, end=end))


def stop_clock(edit: TicketEdit, at: datetime) -> None:
    """Stop the resolution clock (on a pausing hold, or at resolution)."""
    if edit.ticket.sla_stopped_since is None:
        edit.set("sla_stopped_since", at)


def restart_clock(edit: TicketEdit, policy: Policy, at: datetime) -> None:
    """Restart a stopped resolution clock, moving its due time out by the business time
    it was stopped."""
    ticket = edit.ticket
    if ticket.sla_stopped_since is None:
        return
    calendar = ticket_sla(ticket, policy).targets[ticket.priority].calendar
    due, stopped = moved_by_pause(ticket.resolution_due, calendar, ticket.sla_stopped_since,
                                  at)
    edit.set("sla_stopped_ms", ticket.sla_stopped_ms + stopped // timedelta(milliseconds=1))
    edit.set("sla_stopped_since", None)
    edit.set("resolution_due", due)


def ticket_sla_state(ticket: Ticket, policy: Policy, now: datetime) -> SlaState:
    """Both SLA clocks of a stored ticket at ``now``."""
    return sla_state(
        policy.sla, priority=ticket.priority, logged_at=ticket.logged_at,
        response_due=ticket.response_due, resolution_due=ticket.resolution_due,
        responded_at=ticket.responded_at, resolved_at=ticket.resolved_at,
        stopped_since=ticket.sla_stopped_since,
        on_hold=ticket.status == Status.ON_HOLD, now=now)


def mark_responded(edit: TicketEdit, at: datetime) -> None:
    """Record the first response (a technician took the ticket up), and a late one as a
    response breach."""
    if edit.ticket.responded_at is None:
        edit.set("responded_at", at)
        mark_response_breach(edit, at)


def mark_response_breach(edit: TicketEdit, at: datetime) -> None:
    """Record a response breach if a response at ``at`` (or none by then) is late."""
    ticket = edit.ticket
    if not ticket.response_breached and is_breached(
            ticket.response_due, response_end(at, ticket.responded_at)):
        edit.set("response_breached", True)


def mark_resolution_breach(edit: TicketEdit, at: datetime) -> None:
    """Record a resolution breach if the clock is breached at ``at`` (a stopped clock is
    judged where it stopped)."""
    ticket = edit.ticket
    if not ticket.resolution_breached and is_breached(
            ticket.resolution_due,
            resolution_end(at, ticket.resolved_at, ticket.sla_stopped_since)):
        edit.set("resolution_breached", True)
