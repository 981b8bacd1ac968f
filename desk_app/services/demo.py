"""Realistic demo tickets: a living desk. The closed history the reports need, and an
open backlog relative to now in every queue: new tickets nobody has taken, work of the
acting technician and of their group, escalations at L2 and L3, tickets on hold for
each reason, resolutions awaiting the user's confirmation, clocks near their warning
and breached, and one major incident with its child incidents.

Written straight into stored form through the bulk writer (a million tickets in a few
minutes). Every demo ticket (and technician) is marked as demo (``demo_row``) so that
it can be removed, and so that a desk is warned before they would reach a team.
"""

from collections.abc import Callable

from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.services.demo_generator import DemoGenerator
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.storage.bulk import BulkWriter
from desk_app.storage.demo_rows import (
    DEMO_TECHNICIAN,
    DEMO_TICKET,
    delete_demo_tickets,
    delete_unused_demo_technicians,
    demo_ticket_ids,
    mark_demo,
    real_tickets_pointing_at,
    record_demo_mail_arrivals,
)
from desk_app.storage.meta import get_meta
from desk_app.storage.models import History, Outbox, Ticket, Worklog
from desk_app.storage.outbox import as_row, outbox_entry

MAX_DEMO_TICKETS = 10_000_000  # a 33 GB desk; more would only fill the disk


def _refuse_on_a_team_desk() -> None:
    if get_meta("remote"):
        raise Refused("demo", "this desk syncs with a team database; demo tickets would "
                              "reach every colleague")


@activity(Permission.IMPORT)
def write_demo_tickets(session: Session, count: int, seed: int = 1,
                       progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` demo tickets (a local desk only); returns how many were written.
    They are queued for sync like any ticket, and marked as demo: the desk warns before
    they would go to a team database (:func:`remove_demo_tickets` takes them out)."""
    if not 1 <= count <= MAX_DEMO_TICKETS:
        raise InvalidValue("tickets", f"must be between 1 and {MAX_DEMO_TICKETS:,}")
    _refuse_on_a_team_desk()
    generator = DemoGenerator(session, count, seed)
    history_rows: list[tuple] = []
    worklog_rows: list[tuple] = []
    with BulkWriter(progress) as writer:
        for ticket, history, worklog in generator.tickets():
            writer.add(Ticket, [ticket])
            writer.add(Outbox, [as_row(outbox_entry(session.hlc, "ticket", ticket[0]))])
            history_rows += history
            worklog_rows += worklog
            if len(history_rows) >= 5_000:
                writer.add(History, history_rows)
                writer.add(Worklog, worklog_rows)
                history_rows, worklog_rows = [], []
            writer.ticket_done()
        writer.add(History, history_rows)
        writer.add(Worklog, worklog_rows)
    mark_demo(DEMO_TICKET, generator.made)
    record_demo_mail_arrivals(generator.made)
    mark_demo(DEMO_TECHNICIAN, generator.technicians)
    return count


@activity(Permission.IMPORT)
def remove_demo_tickets(session: Session) -> int:
    """Take every demo ticket out of this desk, with its history, worklog, links and
    queued changes, and the demo's technicians nobody else's ticket names; returns how
    many tickets went. A real ticket that named a demo ticket as its parent or problem
    loses that link (recorded in its history). Refused once the desk has synced: then
    they are on the team database too."""
    if get_meta("server_id"):
        raise Refused("demo", "this desk has synced with its team database, so its demo "
                              "tickets are there too; removing them here would not "
                              "remove them there")
    ids = demo_ticket_ids()
    for ticket_id, column in real_tickets_pointing_at(ids):
        edit = TicketEdit(session, Ticket.get_by_id(ticket_id))
        edit.set(column.removesuffix("_id"), None)
        edit.save()
    delete_demo_tickets(ids)
    delete_unused_demo_technicians(keep=session.actor.id)
    return len(ids)
