"""Functional escalation (to the next support level) and hierarchic escalation (to the
next management level)."""

from datetime import datetime

from desk_app.core.enums import Status, SupportLevel
from desk_app.core.merge import entry_id
from desk_app.core.permissions import Permission
from desk_app.core.validation import TEXT_MAX, required_text
from desk_app.services.assignment import save_routed
from desk_app.services.lookup import group_by_name
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import restart_clock
from desk_app.services.workflow import move, open_ticket
from desk_app.services.worklog import write_worklog
from desk_app.storage.models import Ticket


@activity(Permission.ESCALATE_FUNCTIONAL)
def escalate_functional(session: Session, number: str, reason: str, rule: str | None = None,
                        at: datetime | None = None) -> Ticket:
    """Pass the ticket to the next support level's group for its category. The watcher
    names its ``rule`` (entries every desk makes alike) and when it applied (``at``)."""
    reason = required_text("reason", reason, TEXT_MAX)
    ticket = open_ticket(number)
    policy = session.policy
    level = policy.functional.next_level(SupportLevel(ticket.support_level))
    group = group_by_name(policy.functional.group_for(ticket.category, level))
    edit = TicketEdit(session, ticket, rule=rule, at=at)
    if ticket.status == Status.ON_HOLD:
        edit.set("hold_reason", None)
        restart_clock(edit, policy, session.now())
    move(edit, Status.ASSIGNED)
    edit.set("support_level", level.value)
    edit.set("group", group)
    edit.set("assignee", None)
    edit.count("escalation_count")
    edit.count("reassignment_count")
    save_routed(edit)
    write_worklog(session, ticket, f"Escalated to {level.value} ({group.name}): "
                  f"{reason}", entry_id=entry_id(ticket.id, rule, "worklog") if rule else None,
                  at=at)
    return ticket


@activity(Permission.ESCALATE_HIERARCHIC)
def escalate_hierarchic(session: Session, number: str, reason: str) -> Ticket:
    """Inform the next management level (SLA at risk, major impact, complaint...)."""
    reason = required_text("reason", reason, TEXT_MAX)
    ticket = open_ticket(number)
    matrix = session.policy.hierarchic
    level = matrix.next_level(ticket.hierarchic_level)
    edit = TicketEdit(session, ticket)
    edit.set("hierarchic_level", level)
    edit.save()
    write_worklog(session, ticket, f"Escalated to management ({matrix.level_name(level)}): "
                  f"{reason}")
    return ticket
