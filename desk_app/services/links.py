"""Links: problem records, RFC references, parent incidents, related incidents."""

from desk_app.core.enums import Channel, LinkKind, TicketType
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.labels import with_article
from desk_app.core.permissions import Permission
from desk_app.core.problems import ProblemStatus
from desk_app.core.validation import required_text
from desk_app.services.intake import derived_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import TicketEdit, record_new_row
from desk_app.services.session import Session, activity
from desk_app.services.workflow import resolve
from desk_app.storage.models import Link, Ticket


@activity(Permission.LINK)
def link_problem(session: Session, number: str, problem_number: str) -> Ticket:
    """Link an incident to an existing problem record."""
    ticket = ticket_by_number(number)
    problem = ticket_by_number(problem_number)
    if problem.type != TicketType.PROBLEM:
        raise InvalidValue("problem", f"{problem.number} is {with_article(problem.type)}, "
                                      "not a problem")
    if ticket.type == TicketType.PROBLEM:
        raise Refused("type", "a problem cannot be linked to another problem")
    edit = TicketEdit(session, ticket)
    edit.set("problem", problem)
    return edit.save()


@activity(Permission.LINK)
def raise_problem(session: Session, number: str, summary: str | None = None) -> Ticket:
    """Open a problem record from an incident and link the incident to it."""
    ticket = ticket_by_number(number)
    if ticket.type == TicketType.PROBLEM:
        raise Refused("type", f"{ticket.number} is already a problem")
    if ticket.problem_id:
        raise Refused("problem", f"{ticket.number} is already linked to {ticket.problem.number}")
    problem = derived_ticket(
        session, ticket, TicketType.PROBLEM,
        summary=(summary or ticket.summary).strip(),
        description=f"Raised from {ticket.number}.\n\n{ticket.description}",
        reporter=session.login, contact=session.actor.email or session.login,
        channel=Channel.TECHNICIAN)
    edit = TicketEdit(session, problem)
    edit.set("problem_status", ProblemStatus.NEW.value)
    edit.save()
    edit = TicketEdit(session, ticket)
    edit.set("problem", problem)
    edit.save()
    return problem


@activity(Permission.RESOLVE)
def resolve_raising_problem(session: Session, number: str, resolution_type: str, code: str,
                            notes: str, may_recur: bool = False,
                            knowledge: str | None = None) -> Ticket:
    """Resolve and open the problem record the resolution calls for, as one activity:
    either both happen or neither does. Returns the problem record."""
    resolve(session, number, resolution_type, code, notes, may_recur=may_recur,
            knowledge=knowledge)
    return raise_problem(session, number)


@activity(Permission.LINK)
def set_rfc(session: Session, number: str, rfc: str) -> Ticket:
    """Record the request for change (or supplier) reference of a ticket."""
    rfc = required_text("rfc", rfc)
    ticket = ticket_by_number(number)
    edit = TicketEdit(session, ticket)
    edit.set("rfc", rfc)
    return edit.save()


@activity(Permission.LINK)
def set_parent(session: Session, number: str, parent_number: str) -> Ticket:
    """Make ``number`` a child of the parent incident (e.g. of a major incident)."""
    ticket = ticket_by_number(number)
    parent = ticket_by_number(parent_number)
    if parent.type != TicketType.INCIDENT or ticket.type != TicketType.INCIDENT:
        raise InvalidValue("parent", "parent and child must both be incidents")
    ancestors = parent_chain(parent.id)
    if ticket.id in ancestors:
        raise InvalidValue("parent", f"{parent.number} is {ticket.number} or its child")
    if ancestors and Ticket.get_by_id(ancestors[-1]).parent_id in ancestors:
        raise Refused("parent", f"the parents of {parent.number} already form a cycle; "
                      "give one of them another parent first")
    edit = TicketEdit(session, ticket)
    edit.set("parent", parent)
    return edit.save()


def parent_chain(ticket_id: str) -> list[str]:
    """The ids of ``ticket_id`` and its parents, nearest first. The walk visits each
    ticket once, so it ends even where (damaged) data holds a cycle: then the last id's
    parent is one of the list."""
    chain: list[str] = []
    seen: set[str] = set()
    current: str | None = ticket_id
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        row = Ticket.select(Ticket.parent).where(Ticket.id == current).tuples().first()
        current = row[0] if row else None
    return chain


@activity(Permission.LINK)
def relate(session: Session, number: str, other_number: str) -> Link:
    """Mark two tickets as related (found during initial diagnosis)."""
    ticket, other = ticket_by_number(number), ticket_by_number(other_number)
    if ticket.id == other.id:
        raise InvalidValue("related", "a ticket cannot be related to itself")
    existing = Link.get_or_none(
        (Link.kind == LinkKind.RELATED.value)
        & (((Link.ticket == ticket.id) & (Link.target == other.id))
           | ((Link.ticket == other.id) & (Link.target == ticket.id))))
    if existing:
        raise Refused("related", f"{ticket.number} and {other.number} are already related")
    return record_new_row(session, Link, {"ticket": ticket.id, "kind": LinkKind.RELATED.value,
                                          "target": other.id, "at": session.now(),
                                          "by": session.login})
