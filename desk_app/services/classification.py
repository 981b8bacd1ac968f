"""Categorisation, its checklist, prioritisation, record type and major incidents."""

from typing import Any

from desk_app.core.catalogue import service_major_reason
from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
from desk_app.core.enums import Level, TicketType, parse_enum
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.core.priority import parse_priority
from desk_app.core.validation import required_text
from desk_app.services import major_incidents
from desk_app.services.catalogue import service_terms
from desk_app.services.major_children import open_major_parent
from desk_app.services.recording import TicketEdit, record_event, record_new_row
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import replan_due_times
from desk_app.services.watch_routing import send_straight_to_l3
from desk_app.services.workflow import open_ticket
from desk_app.services.worklog import write_worklog
from desk_app.storage.models import ChecklistTick, Ticket
from desk_app.storage.numbering import issue_number

CATEGORISATION = "categorisation"


@activity(Permission.CATEGORISE)
def categorise(session: Session, number: str, category: str,
               subcategory: str | None = None) -> Ticket:
    """Set the category and subcategory (checked against the policy's categories)."""
    category = required_text("category", category)
    session.policy.check_category(category, subcategory)
    ticket = open_ticket(number)
    edit = TicketEdit(session, ticket)
    edit.set("category", category)
    edit.set("subcategory", subcategory.strip() if subcategory else None)
    return edit.save()


def ticked_items(ticket: Ticket) -> dict[str, ChecklistTick]:
    """The categorisation checklist items already ticked on ``ticket``."""
    return {t.item: t for t in ChecklistTick.select().where(
        (ChecklistTick.ticket == ticket.id) & (ChecklistTick.checklist == CATEGORISATION))}


@activity(Permission.CATEGORISE)
def tick_checklist(session: Session, number: str, items: list[str]) -> Ticket:
    """Tick categorisation checklist items (by text or 1-based position)."""
    ticket = open_ticket(number)
    known = session.policy.categorisation_items(ticket.category)
    already = ticked_items(ticket)
    chosen = []
    for item in items:
        text = item.strip()
        if text.isdigit() and 1 <= int(text) <= len(known):
            text = known[int(text) - 1]
        if text not in known:
            raise InvalidValue("item", f"{item!r} is not on the categorisation checklist of "
                               f"{ticket.category or 'uncategorised tickets'}; items: "
                               + "; ".join(f"{i}. {k}" for i, k in enumerate(known, 1)))
        if text == SEARCHED_KNOWN_ERRORS and text not in already:
            raise Refused("item", f"{text!r} is ticked by opening the suggestions (the "
                          "Suggestions panel, or desk-app suggest NUMBER), not by hand")
        if text not in already and text not in chosen:
            chosen.append(text)
    for text in chosen:
        record_new_row(session, ChecklistTick, {
            "ticket": ticket.id, "checklist": CATEGORISATION, "item": text,
            "at": session.now(), "by": session.login})
        record_event(session, ticket, "categorisation_checklist", None, text)
    return ticket


@activity(Permission.PRIORITISE)
def reprioritise(session: Session, number: str, reason: str, impact: str | None = None,
                 urgency: str | None = None, priority: str | None = None) -> Ticket:
    """Change impact, urgency or (overriding the matrix) the priority, with a reason.

    A new priority re-plans the running SLA clocks: the business time used so far (on
    the old priority's calendar, pauses excluded) counts against the new target, and the
    rest is counted from now on the new priority's calendar."""
    if not reason or not reason.strip():
        raise InvalidValue("reason", "a priority change needs a reason")
    if impact is None and urgency is None and priority is None:
        raise InvalidValue("priority", "give a new impact, urgency or priority")
    ticket = open_ticket(number)
    policy = session.policy
    new_impact = parse_enum(Level, "impact", impact) if impact else Level(ticket.impact)
    new_urgency = parse_enum(Level, "urgency", urgency) if urgency else Level(ticket.urgency)
    new_priority = (parse_priority(priority) if priority
                    else policy.matrix.priority(new_impact, new_urgency))
    old_priority = ticket.priority
    edit = TicketEdit(session, ticket)
    edit.set("impact", new_impact.value)
    edit.set("urgency", new_urgency.value)
    edit.set("priority", new_priority)
    if ticket.type == TicketType.INCIDENT and open_major_parent(ticket) is None and (
            new_priority in policy.major_priorities
            or service_major_reason(service_terms(ticket.service), new_priority)):
        edit.set("major", True)  # a child of a running major incident is part of that one
    replan_due_times(edit, policy, old_priority, session.now())
    if not edit.changes:
        raise Refused("priority", f"{ticket.number} already has these values")
    edit.save()
    record_event(session, ticket, "priority_reason", None, reason.strip())
    write_worklog(session, ticket, f"Priority {old_priority} -> {new_priority}: {reason.strip()}")
    send_straight_to_l3(session, ticket, f"priority {new_priority}")
    return ticket


@activity(Permission.DECLARE_MAJOR)
def declare_major(session: Session, number: str, major: bool, reason: str,
                  manager: str | None = None, **procedure: Any) -> Ticket:
    """Declare (or stand down) a major incident; incident managers only. Declaring
    needs the manager (refused naming "manager" without one); ``procedure`` takes the
    rest of :func:`desk_app.services.major_incidents.declare` (team, bridge_link,
    bridge_phone, bridge_room, stakeholders)."""
    if major:
        return major_incidents.declare(session, number, manager, reason, **procedure)
    return major_incidents.stand_down(session, number, reason)


@activity(Permission.CONVERT)
def convert(session: Session, number: str, to_type: str) -> Ticket:
    """Turn an incident into a service request or back; the ticket gets a number of its
    new kind and keeps the old one findable."""
    target = parse_enum(TicketType, "type", to_type)
    ticket = open_ticket(number)
    if target == TicketType.PROBLEM or ticket.type == TicketType.PROBLEM:
        raise Refused("type", "only incidents and service requests convert into each other")
    if ticket.type == target:
        raise Refused("type", f"{ticket.number} is already a {target.value}")
    edit = TicketEdit(session, ticket)
    edit.set("type", target.value)
    edit.set("number", issue_number(target.prefix))
    if target == TicketType.REQUEST:
        edit.set("major", False)
    return edit.save()
