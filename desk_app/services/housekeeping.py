"""What the desk does as time passes: record SLA breaches, escalate to management when
the resolution clock crosses the hierarchic thresholds, and auto-close resolved tickets
whose confirmation grace period has expired.

Every desk runs these rules, so what they write has ids made from the ticket, the rule
and its threshold (:func:`desk_app.core.merge.entry_id`): two desks recording the same
breach, escalation or auto-close make one entry once they sync.
"""

from dataclasses import dataclass, field

from desk_app.core.enums import OPEN_STATUSES, Status
from desk_app.core.errors import ChecklistIncomplete
from desk_app.core.merge import entry_id
from desk_app.core.permissions import Permission
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import (
    mark_resolution_breach,
    mark_response_breach,
    ticket_sla_state,
)
from desk_app.services.workflow import close_checked
from desk_app.services.worklog import write_worklog
from desk_app.storage.fields import to_millis
from desk_app.storage.models import Ticket


@dataclass
class HousekeepingResult:
    """What one round changed, by ticket number."""

    breaches: list[tuple[str, str]] = field(default_factory=list)
    escalated: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    awaiting_closure: list[tuple[str, list[str]]] = field(default_factory=list)


@activity(Permission.HOUSEKEEPING)
def housekeeping(session: Session) -> HousekeepingResult:
    """One round of the time-driven rules; running it again at once changes nothing."""
    result = HousekeepingResult()
    now = session.now()
    policy = session.policy
    open_values = [s.value for s in OPEN_STATUSES]
    for ticket in Ticket.select().where(Ticket.status.in_(open_values)):
        edit = TicketEdit(session, ticket, rule="breach")
        if ticket.responded_at is None:
            mark_response_breach(edit, now)
        mark_resolution_breach(edit, now)
        result.breaches += [(ticket.number, clock) for clock in ("response", "resolution")
                            if f"{clock}_breached" in edit.changes]
        edit.save()
        state = ticket_sla_state(ticket, policy, now)
        level = policy.hierarchic.level_due(state.resolution.percent)
        if level > ticket.hierarchic_level:
            rule = f"hierarchic:{level}"
            edit = TicketEdit(session, ticket, rule=rule)
            edit.set("hierarchic_level", level)
            edit.save()
            name = policy.hierarchic.level_name(level)
            write_worklog(session, ticket, f"Escalated to management ({name}): resolution "
                                           f"SLA at {state.resolution.percent:.0f}%",
                          entry_id=entry_id(ticket.id, rule, "worklog"))
            result.escalated.append((ticket.number, name))

    grace_ended = now - policy.auto_close_grace
    for ticket in Ticket.select().where((Ticket.status == Status.RESOLVED.value)
                                        & Ticket.confirmation.is_null()
                                        & (Ticket.resolved_at <= grace_ended)):
        edit = TicketEdit(session, ticket, rule=f"auto_close:{to_millis(ticket.resolved_at)}")
        try:
            close_checked(edit)
        except ChecklistIncomplete as refused:
            result.awaiting_closure.append((ticket.number, refused.unmet))
            continue
        edit.save()
        result.closed.append(ticket.number)
    return result
