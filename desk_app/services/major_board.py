"""What the major-incident board and ``desk-app major show`` read: one major incident
with its clocks, manager, team, bridge, stakeholders, timeline, children, updates and
the next update due; and the list of active major incidents."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desk_app.core.enums import OPEN_STATUSES, Status
from desk_app.services.lookup import ticket_by_number
from desk_app.services.major_children import OPEN, children_of
from desk_app.services.major_incidents import manager_notice, manager_of, team_roles
from desk_app.services.major_updates import (
    declared_at,
    next_update_of,
    rhythm_closed,
    updates_of,
)
from desk_app.services.session import Session, reads
from desk_app.storage.models import History, MajorTimelineEntry, Technician, Ticket


@dataclass(frozen=True)
class TeamMember:
    login: str
    name: str
    role: str  # commander | communications | resolver


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # action | decision | note
    text: str
    at: datetime
    by: str


@dataclass(frozen=True)
class ChildIncident:
    number: str
    summary: str
    status: str
    reporter: str
    service: str | None
    ci: str | None


@dataclass(frozen=True)
class SentUpdateView:
    sequence: int  # its place among the incident's updates once merged (1 = first)
    status: str
    impact: str
    actions: str
    workaround: str
    next_update_at: datetime | None
    final: bool
    at: datetime
    by: str


@dataclass(frozen=True)
class MajorBoard:
    """One major incident as the board shows it (times aware, UTC)."""

    number: str
    summary: str
    priority: str
    status: str
    major: bool
    reason: str | None
    declared_at: datetime | None
    detected_at: datetime | None
    logged_at: datetime
    response_due: datetime | None
    resolution_due: datetime | None
    resolved_at: datetime | None
    manager: TeamMember | None
    team: list[TeamMember]
    bridge_link: str | None
    bridge_phone: str | None
    bridge_room: str | None
    stakeholders: list[str]
    timeline: list[TimelineItem]
    children: list[ChildIncident]
    updates: list[SentUpdateView]
    next_update_due: datetime | None
    rhythm_closed: bool
    services: list[str] = field(default_factory=list)  # the major's and its children's
    cis: list[str] = field(default_factory=list)
    # the policy's incident manager is not an active technician: who is used instead
    manager_notice: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (times ISO 8601)."""
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, list):
                return [plain(v) for v in value]
            if hasattr(value, "__dataclass_fields__"):
                return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
            return value
        return {name: plain(getattr(self, name)) for name in self.__dataclass_fields__}


@reads
def major_board(session: Session, number: str) -> MajorBoard:
    """The board of the major incident ``number`` (a ticket that was declared and stood
    down still shows, with ``major`` False)."""
    ticket = ticket_by_number(number)
    people = {t.id: t for t in Technician.select()}
    manager = manager_of(ticket, session.policy.major_procedure.incident_manager) \
        if ticket.major else (ticket.major_manager if ticket.major_manager_id else None)
    children = children_of(ticket.id)

    def member(tid: str, role: str) -> TeamMember:
        person = people.get(tid)
        return TeamMember(person.login if person else tid, person.name if person else tid,
                          role)

    since = declared_at(ticket.id)
    return MajorBoard(
        number=ticket.number, summary=ticket.summary, priority=ticket.priority,
        status=ticket.status, major=ticket.major, reason=_reason(ticket.id),
        declared_at=since, detected_at=ticket.detected_at, logged_at=ticket.logged_at,
        response_due=ticket.response_due, resolution_due=ticket.resolution_due,
        resolved_at=ticket.resolved_at,
        manager=TeamMember(manager.login, manager.name, "manager") if manager else None,
        team=sorted((member(tid, role.value) for tid, role in team_roles(ticket.id).items()),
                    key=lambda m: (m.role, m.login)),
        bridge_link=ticket.major_bridge_link, bridge_phone=ticket.major_bridge_phone,
        bridge_room=ticket.major_bridge_room,
        stakeholders=[s for s in (ticket.major_stakeholders or "").splitlines() if s],
        timeline=[TimelineItem(e.kind, e.text, e.at, e.by) for e in MajorTimelineEntry
                  .select().where(MajorTimelineEntry.ticket == ticket.id)
                  .order_by(MajorTimelineEntry.at, MajorTimelineEntry.id)],
        children=[ChildIncident(c.number, c.summary, c.status, c.reporter or "", c.service,
                                c.ci) for c in children],
        updates=[SentUpdateView(position, u.status, u.impact, u.actions, u.workaround,
                                u.next_update_at, u.final, u.at, u.by)
                 for position, u in enumerate(updates_of(ticket.id), start=1)],
        next_update_due=next_update_of(ticket, session.policy),
        rhythm_closed=rhythm_closed(ticket),
        services=_distinct([ticket.service, *(c.service for c in children)]),
        cis=_distinct([ticket.ci, *(c.ci for c in children)]),
        manager_notice=manager_notice(ticket, session.policy.major_procedure.incident_manager)
        if ticket.major else None,
    )


@dataclass(frozen=True)
class ActiveMajor:
    """A line of the list of active major incidents."""

    number: str
    summary: str
    priority: str
    status: str
    service: str | None
    ci: str | None
    manager: str | None  # login
    children: int
    next_update_due: datetime | None


@reads
def active_majors(session: Session) -> list[ActiveMajor]:
    """The open major incidents, the soonest update due first (then by number)."""
    policy = session.policy
    rows = []
    for ticket in Ticket.select().where((Ticket.major == True)  # noqa: E712
                                        & Ticket.status.in_(OPEN)):
        manager = manager_of(ticket, policy.major_procedure.incident_manager)
        rows.append(ActiveMajor(
            ticket.number, ticket.summary, ticket.priority, ticket.status, ticket.service,
            ticket.ci, manager.login if manager else None,
            Ticket.select().where(Ticket.parent == ticket.id).count(),
            next_update_of(ticket, policy)))
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(rows, key=lambda r: (r.next_update_due or far, r.number))


def is_running(ticket: Ticket) -> bool:
    """A major incident still being worked."""
    return bool(ticket.major) and Status(ticket.status) in OPEN_STATUSES


def _reason(ticket_id: str) -> str | None:
    row = (History.select(History.new).where((History.ticket == ticket_id)
                                             & (History.field == "major_reason"))
           .order_by(History.at.desc(), History.id.desc()).first())
    return row.new if row else None


def _distinct(values: list[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())
