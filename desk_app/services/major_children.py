"""Child incidents of a major incident: attaching (one or many at once), detaching, the
majors a new ticket may belong to, and the rule that a child closes only after its
parent is resolved. Resolving the major incident resolves its open children
(:func:`desk_app.services.workflow.resolve` calls :func:`open_children`)."""

from collections.abc import Sequence

from desk_app.core.enums import OPEN_STATUSES, Status, TicketType
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.labels import with_article
from desk_app.core.permissions import Permission
from desk_app.services.lookup import ticket_by_number
from desk_app.services.major_incidents import major_ticket
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.storage.models import Ticket

OPEN = tuple(s.value for s in OPEN_STATUSES)


@activity(Permission.LINK)
def attach_children(session: Session, number: str, child_numbers: Sequence[str]) -> list[Ticket]:
    """Make each of ``child_numbers`` a child of the major incident ``number``, all or
    none. Refused (naming ``child``): a major incident itself, a closed or cancelled
    ticket, a child of another ticket, a problem or a service request, a number given
    twice or none at all."""
    major = major_ticket(number)
    if Status(major.status) not in OPEN_STATUSES:
        raise Refused("status", f"{major.number} is {major.status}, not open")
    if not child_numbers:
        raise InvalidValue("child", "name at least one incident to attach")
    children: list[Ticket] = []
    for child_number in child_numbers:
        child = ticket_by_number(child_number)
        if child.type != TicketType.INCIDENT:
            raise Refused("child", f"{child.number} is {with_article(child.type)}; only "
                          "incidents are children of a major incident")
        if child.id == major.id or child.major:
            raise Refused("child", f"{child.number} is a major incident itself")
        if child.status in (Status.CLOSED.value, Status.CANCELLED.value):
            raise Refused("child", f"{child.number} is {child.status}")
        if child.parent_id == major.id:
            raise Refused("child", f"{child.number} is already a child of {major.number}")
        if child.parent_id:
            raise Refused("child", f"{child.number} is already a child of "
                          f"{child.parent.number}")
        if any(c.id == child.id for c in children):
            raise InvalidValue("child", f"{child.number} is named twice")
        children.append(child)
    for child in children:
        edit = TicketEdit(session, child)
        edit.set("parent", major)
        edit.save()
    return children


@activity(Permission.LINK)
def detach_child(session: Session, child_number: str) -> Ticket:
    """Take a child incident off its major incident."""
    child = ticket_by_number(child_number)
    if not child.parent_id:
        raise Refused("parent", f"{child.number} is not a child of any incident")
    if child.status in (Status.CLOSED.value, Status.CANCELLED.value):
        raise Refused("child", f"{child.number} is {child.status}; it stays as it was")
    edit = TicketEdit(session, child)
    edit.set("parent", None)
    return edit.save()


def children_of(ticket_id: str) -> list[Ticket]:
    """Every child of a ticket, by number."""
    return list(Ticket.select().where(Ticket.parent == ticket_id).order_by(Ticket.number))


def open_children(ticket_id: str) -> list[Ticket]:
    """The children of a ticket that are still open, by number."""
    return list(Ticket.select().where((Ticket.parent == ticket_id) & Ticket.status.in_(OPEN))
                .order_by(Ticket.number))


def open_major_parent(ticket: Ticket) -> Ticket | None:
    """The major incident ``ticket`` is a child of, while that one is still open."""
    if not ticket.parent_id:
        return None
    parent = Ticket.get_or_none(Ticket.id == ticket.parent_id)
    return parent if parent is not None and parent.major and parent.status in OPEN else None


def check_parent_resolved(ticket: Ticket) -> None:
    """Refuse (naming ``parent``) closing a child of a major incident that is still
    open."""
    parent = open_major_parent(ticket)
    if parent is not None:
        raise Refused("parent", f"{ticket.number} is a child of the major incident "
                      f"{parent.number}, which is not resolved yet")


def majors_matching(service: str | None, ci: str | None) -> list[Ticket]:
    """The open major incidents on ``service`` or ``ci`` (case aside), newest first: what
    a ticket being logged is offered to attach to."""
    wanted = []
    if service and service.strip():
        wanted.append(Ticket.service.collate("NOCASE") == service.strip())
    if ci and ci.strip():
        wanted.append(Ticket.ci.collate("NOCASE") == ci.strip())
    if not wanted:
        return []
    condition = wanted[0] if len(wanted) == 1 else (wanted[0] | wanted[1])
    return list(Ticket.select().where((Ticket.major == True)  # noqa: E712
                                      & Ticket.status.in_(OPEN) & condition)
                .order_by(Ticket.logged_at.desc()))
