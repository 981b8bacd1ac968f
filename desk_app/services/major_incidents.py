"""The major-incident procedure: declaring with a manager, team, bridge and the
stakeholders to inform; standing down; changing team, bridge and stakeholders later;
the timeline of actions, decisions and notes.

Declaring and standing down are history rows: the ``major`` field (its row's ``at`` is
the declaration moment) and a ``major_reason`` row with the reason, at the same moment.
The manager, bridge and stakeholders are ticket fields; each team change and each
timeline entry is a row appended to the ticket (merged by union across desks).
Updates and the rhythm: :mod:`desk_app.services.major_updates`; child incidents:
:mod:`desk_app.services.major_children`; what the board shows:
:mod:`desk_app.services.major_board`.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from desk_app.core.enums import OPEN_STATUSES, Status, TicketType
from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.core.major_incidents import (
    TeamRole,
    TimelineKind,
    is_call_link,
    timeline_closed,
)
from desk_app.core.permissions import Permission
from desk_app.core.stakeholders import clean_addresses
from desk_app.core.validation import TEXT_MAX, check_length, checked_moment, required_text
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import TicketEdit, record_event, record_new_row
from desk_app.services.session import Session, activity
from desk_app.services.watch_routing import send_straight_to_l3, tell_major_incident
from desk_app.services.worklog import write_worklog
from desk_app.storage.models import (
    History,
    MajorTeamChange,
    MajorTimelineEntry,
    Technician,
    Ticket,
)

TEXT_LIMIT = 2000  # a timeline entry, a bridge field


def major_ticket(number: str) -> Ticket:
    """The ticket, refusing unless it is a major incident."""
    ticket = ticket_by_number(number)
    if not ticket.major:
        raise Refused("major", f"{ticket.number} is not a major incident")
    return ticket


def active_technician(field: str, login: str | None) -> Technician:
    """The active technician with ``login``; refusals name ``field``."""
    login = required_text(field, login)
    person = Technician.get_or_none(Technician.login == login)
    if person is None:
        raise NotFound(field, f"no technician {login!r}")
    if not person.active:
        raise Refused(field, f"{login} is no longer active")
    return person


def checked_team(members: Mapping[str, str] | None) -> dict[str, TeamRole]:
    """login -> role, checked (each technician active, each role known); refusals name
    ``team``."""
    team: dict[str, TeamRole] = {}
    for login, role in (members or {}).items():
        person = active_technician("team", login)
        try:
            team[person.id] = TeamRole((role or "").strip().lower())
        except ValueError:
            raise InvalidValue("team", f"{role!r} (for {login}) is not a role; roles: "
                               + ", ".join(r.value for r in TeamRole)) from None
    return team


def checked_bridge(link: str | None, phone: str | None,
                   room: str | None) -> tuple[str | None, str | None, str | None]:
    """The bridge's call link, phone and room, trimmed (blank: none). The link is a web
    address (or a sip: / tel: one): every desk opens it with a click."""
    values = []
    for name, value in (("bridge_link", link), ("bridge_phone", phone),
                        ("bridge_room", room)):
        text = (value or "").strip() or None
        check_length(name, text, TEXT_LIMIT)
        values.append(text)
    if values[0] is not None and not is_call_link(values[0]):
        raise InvalidValue("bridge_link", f"{values[0]!r} is not a call link: give its web "
                           "address (https://…), or a sip: or tel: address")
    return values[0], values[1], values[2]



@activity(Permission.DECLARE_MAJOR)
def declare(session: Session, number: str, manager: str | None, reason: str,
            team: Mapping[str, str] | None = None, bridge_link: str | None = None,
            bridge_phone: str | None = None, bridge_room: str | None = None,
            stakeholders: Sequence[str] = ()) -> Ticket:
    """Declare an open incident a major incident, with its manager (a technician's
    login: required), team (login -> commander | communications | resolver), bridge
    (call link, phone, room), stakeholders (mail addresses that receive the updates)
    and the reason. Sends it straight to L3 and tells the group. An incident flagged
    major by the criteria but with no manager yet is declared the same way (its
    declaration moment stays the flag's). Refusals name the field; nothing is written."""
    manager_row = active_technician("manager", manager)
    reason = required_text("reason", reason, TEXT_MAX)
    members = checked_team(team)
    bridge = checked_bridge(bridge_link, bridge_phone, bridge_room)
    addresses = clean_addresses("stakeholders", stakeholders)
    ticket = ticket_by_number(number)
    if ticket.type != TicketType.INCIDENT:
        raise Refused("type", "only incidents can be major incidents")
    if Status(ticket.status) not in OPEN_STATUSES:
        raise Refused("status", f"{ticket.number} is {ticket.status}, not open")
    parent = ticket.parent if ticket.parent_id else None
    if parent is not None and parent.major and Status(parent.status) in OPEN_STATUSES:
        raise Refused("parent", f"{ticket.number} is a child of the major incident "
                      f"{parent.number}; detach it first")
    if ticket.major and ticket.major_manager_id:
        raise Refused("major", f"{ticket.number} is already a major incident (managed by "
                      f"{ticket.major_manager.login}); change its team, bridge or "
                      "stakeholders instead")
    edit = TicketEdit(session, ticket)
    edit.set("major", True)
    edit.set("major_manager", manager_row)
    for name, value in zip(("major_bridge_link", "major_bridge_phone", "major_bridge_room"),
                           bridge, strict=True):
        edit.set(name, value)
    edit.set("major_stakeholders", "\n".join(addresses) or None)
    edit.save()
    record_event(session, ticket, "major_reason", None, reason)
    _record_team(session, ticket, {tid: role.value for tid, role in members.items()})
    write_worklog(session, ticket, f"Major incident declared (manager {manager_row.login}): "
                  + reason)
    if not send_straight_to_l3(session, ticket, "major incident"):
        tell_major_incident(session, ticket)
    return ticket


@activity(Permission.DECLARE_MAJOR)
def stand_down(session: Session, number: str, reason: str) -> Ticket:
    """Stand a major incident down (it stays an incident; its rhythm stops), with the
    reason as a history row."""
    reason = required_text("reason", reason, TEXT_MAX)
    ticket = major_ticket(number)
    if ticket.status in (Status.CLOSED.value, Status.CANCELLED.value):
        raise Refused("status", f"{ticket.number} is {ticket.status}; a closed major "
                      "incident stays one")
    edit = TicketEdit(session, ticket)
    edit.set("major", False)
    edit.save()
    record_event(session, ticket, "major_reason", None, reason)
    write_worklog(session, ticket, "Major incident stood down: " + reason)
    return ticket


@activity(Permission.DECLARE_MAJOR)
def set_manager(session: Session, number: str, manager: str) -> Ticket:
    """Hand the major incident to another manager (a technician's login)."""
    person = active_technician("manager", manager)
    ticket = major_ticket(number)
    edit = TicketEdit(session, ticket)
    edit.set("major_manager", person)
    if not edit.changes:
        raise Refused("manager", f"{person.login} already manages {ticket.number}")
    return edit.save()


@activity(Permission.DECLARE_MAJOR)
def set_team(session: Session, number: str, members: Mapping[str, str | None]) -> Ticket:
    """Change the team: login -> role puts a technician on it (or changes the role);
    login -> None (or "") takes them off. Others stay as they are."""
    adding = {login: role for login, role in members.items() if role}
    checked = checked_team(adding)
    removing = [_technician_id("team", login) for login, role in members.items() if not role]
    ticket = major_ticket(number)
    current = team_roles(ticket.id)
    changes = {tid: role.value for tid, role in checked.items() if current.get(tid) != role}
    changes.update({tid: "" for tid in removing if tid in current})
    if not changes:
        raise Refused("team", f"the team of {ticket.number} already is like that")
    _record_team(session, ticket, changes)
    return ticket


@activity(Permission.WORKLOG)
def change_team(session: Session, number: str, manager: str | None = None,
                members: Mapping[str, str | None] | None = None,
                stakeholders: Sequence[str] | None = None) -> Ticket:
    """Change the manager, the team and the stakeholders in one step: all of it, or
    (when one is refused) none of it. A manager who already manages it is left as is
    when something else changes."""
    if manager is not None:
        current = major_ticket(number).major_manager
        if (current is None or current.login != manager.strip()
                or (not members and stakeholders is None)):
            set_manager(session, number, manager)
    if members:
        set_team(session, number, members)
    if stakeholders is not None:
        set_stakeholders(session, number, stakeholders)
    return major_ticket(number)


@activity(Permission.WORKLOG)
def set_bridge(session: Session, number: str, link: str | None, phone: str | None,
               room: str | None) -> Ticket:
    """Set the bridge: call link, phone and room (blank: none); they change together."""
    bridge = checked_bridge(link, phone, room)
    ticket = major_ticket(number)
    edit = TicketEdit(session, ticket)
    for name, value in zip(("major_bridge_link", "major_bridge_phone", "major_bridge_room"),
                           bridge, strict=True):
        edit.set(name, value)
    return edit.save()


@activity(Permission.WORKLOG)
def set_stakeholders(session: Session, number: str, addresses: Sequence[str]) -> Ticket:
    """Replace the stakeholders: the mail addresses that receive every update."""
    cleaned = clean_addresses("stakeholders", addresses)
    ticket = major_ticket(number)
    edit = TicketEdit(session, ticket)
    edit.set("major_stakeholders", "\n".join(cleaned) or None)
    return edit.save()


@activity(Permission.WORKLOG)
def log_entry(session: Session, number: str, kind: str, text: str,
              at: datetime | None = None) -> MajorTimelineEntry:
    """A quick timeline entry: ``kind`` action | decision | note, its text, and when it
    happened (default now; not in the future, nor before the incident was detected or
    logged)."""
    try:
        chosen = TimelineKind((kind or "").strip().lower())
    except ValueError:
        raise InvalidValue("kind", f"{kind!r} is not one of: "
                           + ", ".join(k.value for k in TimelineKind)) from None
    text = required_text("text", text, TEXT_LIMIT)
    moment = session.now() if at is None else checked_moment("at", at)
    if moment > session.now():
        raise InvalidValue("at", "a timeline entry cannot be in the future")
    ticket = major_ticket(number)
    closed = timeline_closed(ticket.number, ticket.status)
    if closed:
        raise Refused("status", closed)
    began = min(filter(None, (ticket.detected_at, ticket.logged_at)))
    if moment < began:
        raise InvalidValue("at", f"a timeline entry cannot be before the incident began "
                           f"({began:%Y-%m-%d %H:%M} UTC)")
    return record_new_row(session, MajorTimelineEntry, {
        "ticket": ticket.id, "kind": chosen.value, "text": text, "at": moment,
        "by": session.login})


def team_roles(ticket_id: str) -> dict[str, TeamRole]:
    """technician id -> role of the current team (each technician's latest change)."""
    latest: dict[str, str] = {}
    for technician_id, role in (MajorTeamChange.select(MajorTeamChange.technician_id,
                                                       MajorTeamChange.role)
                                .where(MajorTeamChange.ticket == ticket_id)
                                .order_by(MajorTeamChange.at, MajorTeamChange.id).tuples()):
        latest[technician_id] = role
    return {tid: TeamRole(role) for tid, role in latest.items() if role}


def manager_of(ticket: Ticket, criteria_manager: str | None) -> Technician | None:
    """The major incident's manager: the one named, else the policy's incident manager
    (``criteria_manager``, a login) while an active technician, else whoever set the
    major flag."""
    if ticket.major_manager_id:
        return ticket.major_manager
    person = _active(criteria_manager)
    if person is not None:
        return person
    flagged_by = _flagged_by(ticket.id)
    return Technician.get_or_none(Technician.login == flagged_by) if flagged_by else None


def manager_notice(ticket: Ticket, criteria_manager: str | None) -> str | None:
    """What to say when the policy's incident manager would manage the major incident but
    is not an active technician (unknown here, or deactivated since the policy named
    them), so :func:`manager_of` fell back; None otherwise."""
    if ticket.major_manager_id or not criteria_manager or _active(criteria_manager):
        return None
    fallback = manager_of(ticket, criteria_manager)
    return (f"incident manager {criteria_manager} is not an active technician; using "
            + (fallback.login if fallback else "nobody (name a manager)"))


def _active(login: str | None) -> Technician | None:
    person = Technician.get_or_none(Technician.login == login) if login else None
    return person if person is not None and person.active else None


def _flagged_by(ticket_id: str) -> str | None:
    row = (History.select(History.by).where((History.ticket == ticket_id)
                                            & (History.field == "major")
                                            & (History.new == "yes"))
           .order_by(History.at.desc()).first())
    return row.by if row else None


def _technician_id(field: str, login: str) -> str:
    person = Technician.get_or_none(Technician.login == (login or "").strip())
    if person is None:
        raise NotFound(field, f"no technician {login!r}")
    return person.id


def _record_team(session: Session, ticket: Ticket, changes: Mapping[str, str]) -> None:
    for technician_id, role in sorted(changes.items()):
        record_new_row(session, MajorTeamChange, {
            "ticket": ticket.id, "technician_id": technician_id, "role": role,
            "at": session.now(), "by": session.login})

