"""What the desk does as time passes: record SLA breaches, escalate to management when
the resolution clock crosses the hierarchic thresholds, and auto-close resolved tickets
whose confirmation grace period has expired."""

from dataclasses import dataclass, field
from datetime import timedelta

from desk_app.core.checklists import unmet_closure_items
from desk_app.core.enums import OPEN_STATUSES, Confirmation, Status
from desk_app.core.sla import sla_state
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import mark_resolution_breach
from desk_app.services.workflow import closure_facts, move
from desk_app.services.worklog import write_worklog
from desk_app.storage.models import Ticket


@dataclass
class HousekeepingResult:
    """What one round changed, by ticket number."""

    breaches: list[tuple[str, str]] = field(default_factory=list)
    escalated: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    awaiting_closure: list[tuple[str, list[str]]] = field(default_factory=list)


@activity("housekeeping")
def housekeeping(session: Session) -> HousekeepingResult:
    """One round of the time-driven rules; running it again at once changes nothing."""
    result = HousekeepingResult()
    now = session.now()
    policy = session.policy
    open_values = [s.value for s in OPEN_STATUSES]
    for ticket in Ticket.select().where(Ticket.status.in_(open_values)):
        edit = TicketEdit(session, ticket)
        if ticket.responded_at is None and not ticket.response_breached \
                and now > ticket.response_due:
            edit.set("response_breached", True)
            result.breaches.append((ticket.number, "response"))
        was_breached = ticket.resolution_breached
        mark_resolution_breach(edit, now)
        if ticket.resolution_breached and not was_breached:
            result.breaches.append((ticket.number, "resolution"))
        state = sla_state(
            policy.sla, priority=ticket.priority, logged_at=ticket.logged_at,
            responded_at=ticket.responded_at, resolved_at=None,
            stopped_since=ticket.sla_stopped_since,
            stopped_total=timedelta(milliseconds=ticket.sla_stopped_ms),
            on_hold=ticket.status == Status.ON_HOLD, now=now)
        due_level = policy.hierarchic.level_due(state.resolution.percent)
        level = ticket.hierarchic_level
        if due_level > level:
            edit.set("hierarchic_level", due_level)
        edit.save()
        if due_level > level:
            name = policy.hierarchic.level_name(due_level)
            write_worklog(session, ticket, f"Escalated to management ({name}): resolution "
                                           f"SLA at {state.resolution.percent:.0f}%")
            result.escalated.append((ticket.number, name))

    grace_ended = now - policy.auto_close_grace
    for ticket in Ticket.select().where((Ticket.status == Status.RESOLVED.value)
                                        & Ticket.confirmation.is_null()
                                        & (Ticket.resolved_at <= grace_ended)):
        unmet = unmet_closure_items(closure_facts(ticket, session), policy.closure_checklist)
        if unmet:
            result.awaiting_closure.append((ticket.number, unmet))
            continue
        edit = TicketEdit(session, ticket)
        edit.set("confirmation", Confirmation.AUTO_CLOSED.value)
        move(edit, Status.CLOSED)
        edit.set("closed_at", now)
        edit.save()
        result.closed.append(ticket.number)
    return result
