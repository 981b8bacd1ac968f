"""Worklog: notes, calls, emails and visits, with time spent; append-only."""

from datetime import datetime

from desk_app.core.enums import Status, WorklogKind, parse_enum
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_new_row
from desk_app.services.session import Session, activity
from desk_app.storage.models import Ticket, Worklog


def write_worklog(session: Session, ticket: Ticket, note: str, kind: str = "note",
                  minutes: int = 0, entry_id: str | None = None,
                  at: datetime | None = None) -> Worklog:
    """Append a worklog entry inside the running activity (``entry_id``: the id a
    time-driven rule gives its entry on every desk; ``at``: when the rule applied)."""
    values = {"ticket": ticket.id, "at": at or session.now(), "by": session.login,
              "kind": kind, "note": note, "minutes": minutes}
    return record_new_row(session, Worklog, values | ({"id": entry_id} if entry_id else {}))


@activity(Permission.WORKLOG)
def add_worklog(session: Session, number: str, note: str, kind: str = "note",
                minutes: int = 0) -> Worklog:
    """Add a worklog entry to an open or resolved ticket."""
    ticket = ticket_by_number(number)
    if not note or not note.strip():
        raise InvalidValue("note", "is empty")
    worklog_kind = parse_enum(WorklogKind, "kind", kind)
    if not isinstance(minutes, int) or minutes < 0 or minutes > 24 * 60:
        raise InvalidValue("minutes", "must be a whole number from 0 to 1440")
    if ticket.status in (Status.CLOSED, Status.CANCELLED):
        raise Refused("status", f"{ticket.number} is {ticket.status}; reopen it to add work")
    return write_worklog(session, ticket, note.strip(), worklog_kind.value, minutes)
