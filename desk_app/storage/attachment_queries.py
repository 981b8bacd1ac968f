"""Reads and bookkeeping of attachment rows: a ticket's files, contents waiting to be
sent to the team database, contents this desk lacks."""

import time

from desk_app.core.enums import Status
from desk_app.storage.database import database
from desk_app.storage.meta import get_meta
from desk_app.storage.models import Attachment, AttachmentSent, Technician, Ticket


def attachments_of(ticket_id: str) -> list[Attachment]:
    """A ticket's attachments, oldest first."""
    return list(Attachment.select().where(Attachment.ticket == ticket_id)
                .order_by(Attachment.at, Attachment.id))


def _server() -> str:
    return get_meta("server_id") or ""


def unsent_contents() -> list[tuple[str, int]]:
    """(sha256, size) of every content an attachment here refers to that the team
    database this desk syncs with is not known to hold."""
    return database.execute_sql(
        "SELECT a.sha256, MAX(a.size) FROM attachment a "
        "LEFT JOIN attachment_sent s ON s.sha256 = a.sha256 AND s.server_id = ? "
        "WHERE s.sha256 IS NULL GROUP BY a.sha256 ORDER BY MIN(a.at)",
        (_server(),)).fetchall()


def mark_sent(hashes: list[str]) -> None:
    """Record that the team database this desk syncs with holds these contents."""
    now, server = int(time.time() * 1000), _server()
    with database.atomic():
        AttachmentSent.insert_many([{"sha256": h, "server_id": server, "at": now}
                                    for h in hashes]).on_conflict_ignore().execute()


def contents_of_my_tickets(login: str) -> list[tuple[str, int]]:
    """(sha256, size) of the attachments on the open tickets assigned to ``login``."""
    done = (Status.CLOSED.value, Status.CANCELLED.value)
    return list(Attachment.select(Attachment.sha256, Attachment.size)
                .join(Ticket).join(Technician, on=Ticket.assignee == Technician.id)
                .where(Technician.login == login, Ticket.status.not_in(done))
                .distinct().tuples())
