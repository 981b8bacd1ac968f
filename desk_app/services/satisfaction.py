"""Recording the user's satisfaction on a resolved or closed incident.

One activity: the four satisfaction fields change together (a later answer replaces
an earlier one; the history keeps both), so they travel as one unit in sync and the
latest answer wins on every desk.
"""

from datetime import datetime

from desk_app.core.permissions import Permission
from desk_app.core.satisfaction import (
    check_rateable,
    checked_comment,
    checked_score,
    checked_source,
)
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.storage.models import Ticket


@activity(Permission.CONFIRM)
def record_satisfaction(session: Session, number: str, score: object,
                        comment: str | None = None, source: str = "technician",
                        at: datetime | None = None) -> Ticket:
    """Record the reporter's score (1-5) and comment on a resolved or closed incident;
    ``source`` is ``technician`` (told to a technician) or ``mail`` (a reply to the
    closure mail, answered at ``at``). Refuses naming the field; nothing changes then."""
    score = checked_score(score)
    comment = checked_comment(comment)
    source = checked_source(source)
    ticket = ticket_by_number(number)
    check_rateable(ticket.number, ticket.type, ticket.status)
    edit = TicketEdit(session, ticket)
    edit.set("satisfaction_score", score)
    edit.set("satisfaction_comment", comment)
    edit.set("satisfaction_source", source)
    edit.set("satisfaction_at", at or session.now())
    return edit.save()
