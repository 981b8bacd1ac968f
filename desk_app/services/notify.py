"""Recording notifications: what the desk tells technicians, written inside the running
activity. Every desk that notices the same event makes the same rows (ids from ticket,
event, key and technician), so after sync each person is told once."""

from collections.abc import Iterable
from datetime import datetime

from desk_app.core.notice_ids import notification_id
from desk_app.services.recording import queue_appended
from desk_app.services.session import Session
from desk_app.storage.fields import to_millis
from desk_app.storage.models import Notification, Ticket
from desk_app.storage.rows import insert_rows, rows_where_in


def notify(session: Session, ticket: Ticket, event: str, key: str,
           technician_ids: Iterable[str], text: str, at: datetime | None = None) -> list[str]:
    """Tell each technician in ``technician_ids`` about ``event`` on ``ticket`` (call it
    inside an activity). ``key`` tells repeats of an event apart (a threshold, a history
    row id, a message id); ``at`` is when it happened (default now). A notification that
    exists already (made by this or another desk) is not made again. Returns the ids of
    the notifications made."""
    recipients = sorted({t for t in technician_ids if t})
    if not recipients:
        return []
    moment = to_millis(at or session.now())
    rows = [{"id": notification_id(ticket.id, event, key, who), "ticket": ticket.id,
             "technician_id": who, "event": event, "at": moment, "text": text}
            for who in recipients]
    here = {row["id"] for row in rows_where_in("notification", "id", [r["id"] for r in rows])}
    rows = [row for row in rows if row["id"] not in here]
    insert_rows(Notification, rows)
    queue_appended(session, Notification, ticket.id, [row["id"] for row in rows])
    return [row["id"] for row in rows]
