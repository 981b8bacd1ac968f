"""Routing a ticket to a support group: automatic assignment by the group's policy
(round robin or least open work among the members on shift and not away) and the
notifications that tell the assignee, or the group when nobody is assigned.

Every service that changes a ticket's group or assignee saves through
:func:`save_routed` (a newly logged ticket through :func:`route_new_ticket`), so
logging, reassignment and functional escalation all assign and notify the same way.
"""

from collections.abc import Iterable
from datetime import datetime

from desk_app.core.assignment import (
    ROUND_ROBIN,
    AssignmentPolicy,
    Candidate,
    Choice,
    available,
    choose,
    open_work,
)
from desk_app.core.enums import Status
from desk_app.core.lifecycle import check_transition
from desk_app.core.merge import entry_id
from desk_app.services.notify import notify
from desk_app.services.preferences import stored_preferences
from desk_app.services.recording import TicketEdit, record_event, record_new_row
from desk_app.services.session import Session
from desk_app.storage.database import database
from desk_app.storage.fields import to_millis
from desk_app.storage.models import AssignmentPick, SupportGroup, Technician, Ticket
from desk_app.storage.ticket_queries import OPEN_SQL


def assignment_policy(session: Session) -> AssignmentPolicy:
    """The policy's automatic assignment section."""
    return AssignmentPolicy.from_section(session.policy.sections.get("assignment"))


def candidates(session: Session, group: SupportGroup, at: datetime,
               rules: AssignmentPolicy) -> list[Candidate]:
    """The active members of ``group`` who are on shift and not away at ``at``, with
    their skills and weighted open work."""
    calendars = session.policy.calendars
    people = []
    for person in Technician.select().where((Technician.group == group.id)
                                            & Technician.active):
        prefs = stored_preferences(person)
        calendar = calendars.get(prefs.calendar) if prefs.calendar else None
        if available(at, prefs.away_until, calendar):
            people.append((person, prefs))
    work = _open_priorities([person.id for person, _ in people])
    return [Candidate(person.id, person.login, frozenset(prefs.skills),
                      open_work(work.get(person.id, ()), rules))
            for person, prefs in people]


def _open_priorities(technician_ids: list[str]) -> dict[str, list[str]]:
    if not technician_ids:
        return {}
    marks = ", ".join("?" for _ in technician_ids)
    found: dict[str, list[str]] = {}
    for who, priority, count in database.execute_sql(
            f"SELECT t.assignee_id, t.priority, COUNT(*) FROM ticket t WHERE {OPEN_SQL} "
            f"AND t.assignee_id IN ({marks}) GROUP BY 1, 2", technician_ids):
        found.setdefault(who, []).extend([priority] * count)
    return found


def last_rotation_login(group_id: str) -> str | None:
    """The login the group's round robin picked last (on any desk, once synced)."""
    row = database.execute_sql(
        "SELECT p.login FROM assignment_pick a JOIN technician p ON p.id = a.technician_id "
        "WHERE a.group_id = ? AND a.method = ? ORDER BY a.at DESC, a.id DESC LIMIT 1",
        (group_id, ROUND_ROBIN)).fetchone()
    return row[0] if row else None


def auto_assign(session: Session, edit: TicketEdit) -> Choice | None:
    """Assign the edited ticket by its group's policy when it has a group and nobody
    assigned; records the pick (the rotation's memory). None when nobody was picked."""
    ticket = edit.ticket
    if ticket.assignee_id is not None or ticket.group_id is None:
        return None
    rules = assignment_policy(session)
    group = SupportGroup.get_by_id(ticket.group_id)
    method = rules.method_for(group.name)
    at = session.now()  # not a rule's edit.at (days back): who is on shift now
    last = last_rotation_login(group.id) if method == ROUND_ROBIN else None
    choice = choose(method, candidates(session, group, at, rules), ticket.category, last,
                    rules.prefer_skills)
    if choice is None:
        return None
    edit.set("assignee", Technician.get_by_id(choice.technician_id))
    if Status(ticket.status) in (Status.NEW, Status.IN_PROGRESS):
        check_transition(Status(ticket.status), Status.ASSIGNED)
        edit.set("status", Status.ASSIGNED.value)
    pick = {"ticket": ticket.id, "group_id": group.id, "technician_id": choice.technician_id,
            "method": method, "at": at}
    if edit.rule:  # one pick however many desks apply the rule
        pick["id"] = entry_id(ticket.id, edit.rule, "assignment_pick")
    record_new_row(session, AssignmentPick, pick)
    return choice


def save_routed(edit: TicketEdit) -> Ticket:
    """Save an edit that may have changed the ticket's group or assignee: a ticket that
    reached a group with nobody assigned is assigned by the group's policy; the new
    assignee is told, or the group's members when nobody is assigned."""
    return _route(edit, group_arrived="group" in edit.changes)


def route_new_ticket(session: Session, ticket: Ticket) -> Ticket:
    """Assign and notify for a ticket just logged into its first group."""
    return _route(TicketEdit(session, ticket), group_arrived=True)


def _route(edit: TicketEdit, group_arrived: bool) -> Ticket:
    session = edit.session
    choice = auto_assign(session, edit) if group_arrived else None
    assignee_changed = "assignee" in edit.changes
    ticket = edit.save()
    # A rule's routing (the watcher's) gets ids and times every desk makes alike, and
    # tells the desk's own technician too: the rule acted, not the person.
    rule, at = edit.rule, edit.at
    if choice is not None:
        record_event(session, ticket, "assignment", None, choice.reason,
                     row_id=entry_id(ticket.id, rule, "assignment") if rule else None, at=at)
    key = rule or str(to_millis(session.now()))
    told = (lambda ids: [t for t in ids if t]) if rule else (lambda ids: _others(session, ids))
    if assignee_changed and ticket.assignee_id is not None:
        text = f"{ticket.number} assigned to you: {ticket.summary}"
        if choice is not None:
            text += f" ({choice.reason.split(';')[0].split(' by ', 1)[1]})"
        notify(session, ticket, "assigned", key, told([ticket.assignee_id]), text, at=at)
    elif group_arrived and ticket.assignee_id is None and ticket.group_id is not None:
        members = [t.id for t in Technician.select(Technician.id).where(
            (Technician.group == ticket.group_id) & Technician.active)]
        group = SupportGroup.get_by_id(ticket.group_id)
        notify(session, ticket, "group_unassigned", key, told(members),
               f"{ticket.number} waits in {group.name} with nobody assigned: "
               f"{ticket.summary}", at=at)
    return ticket


def _others(session: Session, technician_ids: Iterable[str]) -> list[str]:
    """Nobody is told about what they did themselves."""
    return [t for t in technician_ids if t != session.actor.id]
