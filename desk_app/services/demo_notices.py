"""Sample notifications for the demo desk (screenshots, trying the bell): a few of the
acting technician's open tickets told about as the watcher and assignment would."""

from datetime import timedelta

from desk_app.core.permissions import Permission
from desk_app.services.notifications import mark_read
from desk_app.services.notify import notify
from desk_app.services.session import Session, activity
from desk_app.storage.database import database
from desk_app.storage.models import Ticket
from desk_app.storage.ticket_queries import OPEN_SQL

SAMPLES = (  # event, key, text ({n}: the number, {s}: the summary), minutes ago
    ("breach", "resolution", "{n} breached its resolution target: {s}", 3),
    ("warning", "75", "{n} reached 75 % of its resolution target: {s}", 18),
    ("assigned", "demo", "{n} assigned to you (round robin): {s}", 42),
    ("group_unassigned", "demo", "{n} waits in your group with nobody assigned: {s}", 65),
    ("escalated", "L2", "{n} escalated to you at L2: {s}", 190),
    ("major_incident", "declared", "{n} declared a major incident: {s}", 1500),
)


@activity(Permission.HOUSEKEEPING)
def write_demo_notices(session: Session) -> int:
    """Tell the acting technician about a few open tickets; returns how many."""
    ids = [row[0] for row in database.execute_sql(
        f"SELECT t.id FROM ticket t WHERE {OPEN_SQL} ORDER BY t.resolution_due LIMIT ?",
        (len(SAMPLES),))]
    tickets = sorted(Ticket.select().where(Ticket.id.in_(ids)), key=lambda t: ids.index(t.id))
    now = session.now()
    made: list[str] = []
    for ticket, (event, key, text, ago) in zip(tickets, SAMPLES, strict=False):
        made += notify(session, ticket, event, key, [session.actor.id],
                       text.format(n=ticket.number, s=ticket.summary),
                       now - timedelta(minutes=ago))
    mark_read(session, made[-1:])  # the oldest was read already
    return len(made)
