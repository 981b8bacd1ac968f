"""Queueing mail to a ticket's reporter, inside the activity that caused it.

The lifecycle activities (logging, assignment, hold awaiting the user, resolution,
closure) call :func:`queue_mail`; it writes a :class:`MailMessage` row in the same
transaction, so the mail exists exactly when the change does. The row's id derives from
the Message-ID (ticket, event, key), it records this desk's device id (only this desk
sends it: :mod:`desk_app.services.mail_sender`), and it syncs like a worklog entry.

Nothing is queued when the team has no mail server, this desk does not send mail, the
event's template is off, the ticket says "do not email the reporter", or the reporter
has no address.
"""

import uuid
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from desk_app.core.labels import human_label
from desk_app.core.mail_ids import message_id
from desk_app.core.mail_templates import EVENTS, MailPolicy, looks_like_address, reply_instructions
from desk_app.core.permissions import Permission
from desk_app.core.validation import TEXT_MAX, required_text
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_new_row
from desk_app.services.session import Session, activity
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.meta import device_id, get_meta
from desk_app.storage.models import MailMessage, SupportGroup, Technician, Ticket

_MAIL_ROWS = uuid.UUID("3b1f7c0e-9a52-4d6b-8f0e-71c2d5a9e046")
SENDING_META = "mail_sending"  # this desk's switch: "on" (the default) or "off"
FALLBACK_DOMAIN = "desk.invalid"


def mail_row_id(message: str) -> str:
    """The id of the outbox row of the mail with Message-ID ``message`` (every desk that
    queues the same mail makes the same row)."""
    return str(uuid.uuid5(_MAIL_ROWS, message))


def mail_policy(session: Session) -> MailPolicy:
    """The policy's mail section, built-in templates filled in."""
    return MailPolicy.from_section(session.policy.sections.get("mail"))


def desk_sends_mail() -> bool:
    """Whether this desk sends mail (its own switch, on unless turned off)."""
    return get_meta(SENDING_META) != "off"


def reporter_address(ticket: Ticket) -> str | None:
    """The reporter's mail address: the contact, else the reporter, when it is one
    (``Name <a@b.c>`` or ``a@b.c``); None when neither is."""
    for text in (ticket.contact, ticket.reporter):
        address = parseaddr(text or "")[1]
        if address and looks_like_address(address):
            return address
    return None


def queue_mail(session: Session, ticket: Ticket, event: str, key: str,
               update: str = "", owner: str | None = None,
               recipient: str | None = None) -> MailMessage | None:
    """Queue the mail of ``event`` to the ticket's reporter, inside the running
    activity; ``key`` tells repeats of the event apart. ``owner`` is the device that
    sends it (default: this one). ``recipient``: another address to send it to (a
    major incident's stakeholder; the caller decides whether it may be mailed, the
    ticket's "do not email" is about its reporter). Returns the queued row, or None
    when no mail is due (see the module's docstring)."""
    if event not in EVENTS:
        raise ValueError(f"unknown mail event {event!r}")
    policy = mail_policy(session)
    template = policy.templates[event]
    address = recipient or reporter_address(ticket)
    if (not policy.smtp.configured or not desk_sends_mail() or not template.enabled
            or (ticket.no_email and recipient is None) or address is None):
        return None
    domain = policy.smtp.from_address.rpartition("@")[2] or FALLBACK_DOMAIN
    mid = message_id(ticket.id, event, key, domain)
    values = placeholder_values(session, ticket, event, update)
    if recipient is not None and recipient != reporter_address(ticket):
        values["reporter"] = recipient  # a stakeholder, not the ticket's reporter
    subject, body = template.render(values, ticket.number)
    return record_new_row(session, MailMessage, {
        "id": mail_row_id(mid), "ticket": ticket.id, "event": event, "message_id": mid,
        "device_id": owner or device_id(), "recipient": address, "subject": subject, "body": body,
        "at": session.now(), "by": session.login})


def resolution_mail_owner(ticket: Ticket) -> str | None:
    """The device that sent (or sends) the ticket's latest resolution mail: a rule
    that several desks run alike (the auto-close) gives its mail to that one desk, so
    the reporter hears once."""
    latest = (MailMessage.select(MailMessage.device_id)
              .where(MailMessage.ticket == ticket.id, MailMessage.event == "resolved")
              .order_by(MailMessage.at.desc()).first())
    return latest.device_id if latest else None


def placeholder_values(session: Session, ticket: Ticket, event: str,
                       update: str = "") -> dict[str, str]:
    """What each placeholder stands for in the mail of ``event`` on ``ticket``."""
    zone = ZoneInfo(session.policy.time_zone)
    group = SupportGroup.get_or_none(SupportGroup.id == ticket.group_id) \
        if ticket.group_id else None
    person = Technician.get_or_none(Technician.id == ticket.assignee_id) \
        if ticket.assignee_id else None
    return {
        "number": ticket.number, "summary": ticket.summary, "priority": ticket.priority,
        "status": human_label(ticket.status),
        "reporter": parseaddr(ticket.reporter or "")[0] or ticket.reporter or "",
        "response_due": _when(ticket.response_due, zone),
        "resolution_due": _when(ticket.resolution_due, zone),
        "assignee": person.name if person else (group.name if group else "the service desk"),
        "group": group.name if group else "", "resolution_notes": ticket.resolution_notes or "",
        "reply_instructions": reply_instructions(event), "update": update,
        "team": session.policy.team_name,
    }


def _when(value: datetime | int | None, zone: ZoneInfo) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        value = from_millis(value)
    return value.astimezone(zone).strftime("%a %d %b %Y %H:%M")


@activity(Permission.WORKLOG)
def queue_major_update(session: Session, number: str, text: str) -> MailMessage | None:
    """Queue a major-incident update to the ticket's reporter (the major-incident
    procedure calls this for each update it sends). None when no mail is due."""
    text = required_text("update", text, TEXT_MAX)
    ticket = ticket_by_number(number)
    return queue_mail(session, ticket, "major_update", str(to_millis(session.now())), text)
