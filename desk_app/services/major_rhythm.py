"""The watcher's communications-rhythm rules on running major incidents: "update due"
at the moment the next update is due and "update missed" the policy's
``major_procedure.missed_after`` later. Each tells the team's communications role
(else the manager) once per due moment: the history marker and the notifications have
ids made from the ticket, the rule and the due moment, so desks that watch the same
incident make one of each."""

from dataclasses import dataclass
from datetime import datetime

from desk_app.core.major_incidents import TeamRole
from desk_app.core.merge import entry_id
from desk_app.core.permissions import Permission
from desk_app.core.watch import Due, rhythm_rules
from desk_app.services.major_children import OPEN
from desk_app.services.major_incidents import manager_of, team_roles
from desk_app.services.major_updates import next_update_of
from desk_app.services.notify import notify
from desk_app.services.recording import record_event
from desk_app.services.session import Session, activity
from desk_app.storage.models import History, Ticket

MARKER_FIELDS = {"update_due": "major_update_due", "update_missed": "major_update_missed"}


@dataclass(frozen=True)
class RhythmDue:
    """A rhythm rule due on one major incident."""

    ticket_id: str
    number: str
    due: Due


def marker_id(ticket_id: str, due: Due) -> str:
    """The id of the history row that records a rhythm rule once per due moment."""
    return entry_id(ticket_id, f"{due.rule}:{due.key}", MARKER_FIELDS[due.rule])


def rhythm_dues(session: Session, now: datetime) -> tuple[list[RhythmDue], datetime | None]:
    """The rhythm rules due at ``now`` and not yet recorded, and the next moment one
    comes due."""
    policy = session.policy
    missed_after = policy.major_procedure.missed_after
    found: list[RhythmDue] = []
    moments: list[datetime] = []
    for ticket in Ticket.select().where((Ticket.major == True)  # noqa: E712
                                        & Ticket.status.in_(OPEN)).order_by(Ticket.number):
        verdict = rhythm_rules(next_update_of(ticket, policy), missed_after, now)
        if verdict.next_at is not None:
            moments.append(verdict.next_at)
        for due in verdict.due:
            if History.get_or_none(History.id == marker_id(ticket.id, due)) is None:
                found.append(RhythmDue(ticket.id, ticket.number, due))
    return found, min(moments) if moments else None


@activity(Permission.HOUSEKEEPING)
def apply_rhythm_rule(session: Session, ticket_id: str, due: Due) -> bool:
    """Record one rhythm rule on one major incident if it is still due (the ticket is
    read again): the history marker, and the communications role (else the manager)
    told. False when it no longer applies or is recorded already."""
    ticket = Ticket.get_or_none(Ticket.id == ticket_id)
    if ticket is None:
        return False
    policy = session.policy
    still = rhythm_rules(next_update_of(ticket, policy), policy.major_procedure.missed_after,
                         session.now()).due
    row_id = marker_id(ticket.id, due)
    if due not in still or History.get_or_none(History.id == row_id) is not None:
        return False
    due_moment = due.at if due.rule == "update_due" \
        else due.at - policy.major_procedure.missed_after
    record_event(session, ticket, MARKER_FIELDS[due.rule], None, due_moment, row_id=row_id,
                 at=due.at)
    text = (f"{ticket.number}: the major incident's update is due now" if due.rule ==
            "update_due" else f"{ticket.number}: the major incident's update was due at "
            f"{due_moment:%H:%M} UTC and has not been sent")
    notify(session, ticket, f"major_{due.rule}", due.key, communicators(ticket, session), text,
           at=due.at)
    return True


def communicators(ticket: Ticket, session: Session) -> list[str]:
    """Who hears about the rhythm: the team's communications role, else the manager."""
    told = [tid for tid, role in team_roles(ticket.id).items()
            if role == TeamRole.COMMUNICATIONS]
    if told:
        return told
    manager = manager_of(ticket, session.policy.major_procedure.incident_manager)
    return [manager.id] if manager else []
