"""Communications updates of a major incident and their rhythm.

An update has five parts (status, impact, what is being done, workaround, the next
update's time; the final "resolved" update needs no next time). It is stored as a row
appended to the ticket with its sequence number, recorded in the history (field
``major_update``), and mailed to the stakeholders, the major incident's reporter and
the reporters of its children: each address once, a reporter only when their ticket
does not say "do not email". Each mail's Message-ID comes from the update and the
address, so desks that both hold the update never send it twice.

The final update closes the rhythm. Resolving a major incident whose rhythm is open
either sends the final update itself, from the resolution (policy
``major_procedure.final_update_on_resolve = "send"``, the default; mailed to the
stakeholders only, as the reporters get the resolution's own mail), or is refused until
one was sent (``"require"``).
"""

from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from desk_app.core.enums import OPEN_STATUSES, Status
from desk_app.core.errors import InvalidValue, MissingFields, Refused
from desk_app.core.major_incidents import SentUpdate, next_update_due
from desk_app.core.permissions import Permission
from desk_app.core.policy import Policy
from desk_app.core.validation import checked_moment, required_text
from desk_app.services import mail_out
from desk_app.services.major_children import children_of
from desk_app.services.major_incidents import major_ticket
from desk_app.services.recording import record_event, record_new_row
from desk_app.services.session import Session, activity
from desk_app.storage.fields import from_millis
from desk_app.storage.models import History, MajorUpdate, Ticket

PART_LIMIT = 4000
RESOLVED_STATUS = "Resolved"


@activity(Permission.WORKLOG)
def send_update(session: Session, number: str, status: str, impact: str, actions: str,
                workaround: str, next_update_at: datetime | None,
                final: bool = False) -> MajorUpdate:
    """Send an update of the major incident ``number``: every part is required
    (``next_update_at`` only when not ``final``; it must be in the future). Refusals name
    the part; nothing is written. Returns the stored update."""
    given = {"status": status, "impact": impact, "actions": actions,
             "workaround": workaround}
    missing = [name for name, value in given.items() if value is None or not value.strip()]
    if next_update_at is None and not final:
        missing.append("next_update_at")
    if missing:
        raise MissingFields(missing, "an update needs every part; missing: "
                            + ", ".join(missing)
                            + (" (say when the next update will come: only the final "
                               "update has none)" if "next_update_at" in missing else ""))
    parts = {name: required_text(name, value, PART_LIMIT) for name, value in given.items()}
    if next_update_at is not None:
        checked_moment("next_update_at", next_update_at)
        if next_update_at <= session.now():
            raise InvalidValue("next_update_at", "must be in the future")
    ticket = major_ticket(number)
    if Status(ticket.status) not in OPEN_STATUSES and ticket.status != Status.RESOLVED:
        raise Refused("status", f"{ticket.number} is {ticket.status}")
    if rhythm_closed(ticket):
        raise Refused("final", f"the final update of {ticket.number} was sent already")
    return _record_update(session, ticket, parts, next_update_at, final)


def _record_update(session: Session, ticket: Ticket, parts: dict[str, str],
                   next_update_at: datetime | None, final: bool,
                   reporters: bool = True) -> MajorUpdate:
    sequence = MajorUpdate.select().where(MajorUpdate.ticket == ticket.id).count() + 1
    update = record_new_row(session, MajorUpdate, {
        "ticket": ticket.id, "sequence": sequence, **parts,
        "next_update_at": next_update_at if not final else None, "final": final,
        "at": session.now(), "by": session.login})
    record_event(session, ticket, "major_update", None,
                 f"#{sequence}{' (final)' if final else ''}: {parts['status']}")
    text = update_text(update, session.policy.time_zone)
    for mail_ticket, address in update_recipients(ticket, reporters):
        mail_out.queue_mail(session, mail_ticket, "major_update",
                            f"{update.id}:{address.casefold()}", text, recipient=address)
    return update


def update_text(update: MajorUpdate, time_zone: str) -> str:
    """The update as the mail says it (the five parts)."""
    lines = [f"Status: {update.status}", f"Impact: {update.impact}",
             f"What is being done: {update.actions}", f"Workaround: {update.workaround}"]
    if update.final:
        lines.append("This is the final update.")
    elif update.next_update_at is not None:
        moment = update.next_update_at
        if isinstance(moment, int):
            moment = from_millis(moment)
        lines.append("Next update: " + moment.astimezone(ZoneInfo(time_zone))
                     .strftime("%a %d %b %Y %H:%M"))
    return "\n".join(lines)


def update_recipients(ticket: Ticket, reporters: bool = True) -> list[tuple[Ticket, str]]:
    """Who an update of ``ticket`` is mailed to, each address once (case aside): the
    stakeholders, then (``reporters``) the major incident's reporter and the reporters
    of its children (each on the ticket they reported, unless it says "do not
    email")."""
    seen: set[str] = set()
    chosen: list[tuple[Ticket, str]] = []

    def add(owner: Ticket, address: str | None) -> None:
        if address and address.casefold() not in seen:
            seen.add(address.casefold())
            chosen.append((owner, address))

    for line in (ticket.major_stakeholders or "").splitlines():
        add(ticket, parseaddr(line)[1] or None)
    for reported in [ticket, *children_of(ticket.id)] if reporters else []:
        if not reported.no_email:
            add(reported, mail_out.reporter_address(reported))
    return chosen


def updates_of(ticket_id: str) -> list[MajorUpdate]:
    """The updates of a ticket, oldest first: by sent time, then id (the same order on
    every desk once they synced, whatever number each sending desk gave them)."""
    return list(MajorUpdate.select().where(MajorUpdate.ticket == ticket_id)
                .order_by(MajorUpdate.at, MajorUpdate.id))


def declared_at(ticket_id: str) -> datetime | None:
    """When the ticket last became a major incident (its latest ``major`` history row
    that says yes), None when it never did."""
    row = (History.select(History.at).where((History.ticket == ticket_id)
                                            & (History.field == "major")
                                            & (History.new == "yes"))
           .order_by(History.at.desc()).first())
    return row.at if row else None


def rhythm_closed(ticket: Ticket) -> bool:
    """True when the final update since the latest declaration was sent."""
    since = declared_at(ticket.id)
    return any(u.final for u in updates_of(ticket.id) if since is None or u.at >= since)


def next_update_of(ticket: Ticket, policy: Policy) -> datetime | None:
    """When the next update of the major incident is due; None when it is not a running
    major incident (stood down, resolved, closed) or its final update was sent."""
    if not ticket.major or Status(ticket.status) not in OPEN_STATUSES:
        return None
    since = declared_at(ticket.id)
    if since is None:
        return None
    sent = [SentUpdate(u.at, u.next_update_at, u.final) for u in updates_of(ticket.id)]
    return next_update_due(policy.major_procedure.rhythm(ticket.priority), since, sent)


def check_resolvable(session: Session, ticket: Ticket) -> None:
    """Under ``final_update_on_resolve = "require"``: refuse (naming ``final_update``) to
    resolve a major incident before its final update was sent."""
    if (ticket.major and session.policy.major_procedure.final_update_on_resolve == "require"
            and declared_at(ticket.id) is not None and not rhythm_closed(ticket)):
        raise Refused("final_update", f"{ticket.number} is a major incident: send its final "
                      "update (desk-app major update --final) before resolving it")


def final_update_on_resolve(session: Session, ticket: Ticket) -> MajorUpdate | None:
    """Inside the resolving activity: send the final update from the resolution when
    the rhythm is still open (policy "send"); None when none was due. It is mailed to
    the stakeholders only: the reporters hear of the resolution by its own mail, sent
    in the same step."""
    if not ticket.major or declared_at(ticket.id) is None or rhythm_closed(ticket):
        return None
    parts = {"status": RESOLVED_STATUS, "impact": "Service restored",
             "actions": (ticket.resolution_notes or "Resolved")[:PART_LIMIT],
             "workaround": "Not needed any more"}
    return _record_update(session, ticket, parts, None, True, reporters=False)
