"""Where the watcher's rules send a ticket and whom they tell: major incidents and the
priorities the policy names go straight to the L3 group (at logging, and when a ticket
becomes one), and a rule tells the assignee, or the group's members when nobody is
assigned."""

from datetime import datetime

from desk_app.core.enums import OPEN_STATUSES, Status, SupportLevel, TicketType
from desk_app.core.merge import entry_id
from desk_app.core.policy import Policy
from desk_app.services.assignment import save_routed
from desk_app.services.lookup import group_by_name
from desk_app.services.notify import notify
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session
from desk_app.services.worklog import write_worklog
from desk_app.storage.models import Ticket
from desk_app.storage.watch_queries import group_members


def goes_straight_to_l3(policy: Policy, ticket_type: str, priority: str, major: bool) -> bool:
    """True for a major incident, or an incident of a priority the policy sends to L3."""
    return ticket_type == TicketType.INCIDENT and (
        major or priority in policy.watch.l3_priorities)


def recipients(ticket: Ticket) -> list[str]:
    """Who a rule tells about ``ticket``: its assignee, else its group's members."""
    if ticket.assignee_id:
        return [ticket.assignee_id]
    return group_members(ticket.group_id)


def send_straight_to_l3(session: Session, ticket: Ticket, reason: str,
                        rule: str | None = None, at: datetime | None = None) -> bool:
    """Inside an activity: move an open ticket that qualifies (see
    :func:`goes_straight_to_l3`) to its category's L3 group (assigned by that group's
    policy) and tell the group of a major incident. Returns True when it moved."""
    policy = session.policy
    if Status(ticket.status) not in OPEN_STATUSES or ticket.support_level == \
            SupportLevel.L3.value or not goes_straight_to_l3(
                policy, ticket.type, ticket.priority, ticket.major):
        return False
    group = group_by_name(policy.functional.group_for(ticket.category, SupportLevel.L3))
    edit = TicketEdit(session, ticket, rule=rule, at=at)
    edit.set("group", group)
    edit.set("support_level", SupportLevel.L3.value)
    if ticket.assignee_id and ticket.assignee.group_id != group.id:
        edit.set("assignee", None)
    if ticket.status in (Status.NEW.value, Status.IN_PROGRESS.value):
        edit.set("status", Status.ASSIGNED.value)
    edit.count("escalation_count")
    save_routed(edit)
    write_worklog(session, ticket, f"Sent straight to L3 ({group.name}): {reason}",
                  entry_id=entry_id(ticket.id, rule, "l3_worklog") if rule else None, at=at)
    tell_major_incident(session, ticket, by_rule=rule is not None)
    return True


def tell_major_incident(session: Session, ticket: Ticket, by_rule: bool = False) -> None:
    """Tell the ticket's group (or assignee) that it is a major incident (once); the
    person who logged or declared it is not told what they did themselves (a rule's
    declaration, the watcher's, tells everyone)."""
    if ticket.major:
        told = [t for t in recipients(ticket) if by_rule or t != session.actor.id]
        notify(session, ticket, "major_incident", "declared", told,
               f"{ticket.number} is a major incident: {ticket.summary}")
