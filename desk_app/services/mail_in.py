"""Incoming mail: a new message opens a ticket, a reply lands on its ticket.

One activity per message. A new message opens a ticket on the email channel (reporter
and contact from From, summary from Subject, description from the text) with the
logging fields mail cannot give taken from the policy's defaults for the mailbox; it
shows in the "Needs triage" queue until someone takes it up. A reply (the ticket's
number in the subject, or one of our Message-IDs in In-Reply-To/References) becomes
an email worklog entry and, depending on the ticket's state, resumes it, confirms or
rejects its resolution, or reopens it. Auto-replies and bounces change nothing. Ids
derive from the Message-ID, so a message is imported once on every desk.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desk_app.core.enums import Channel, HoldReason, Level, LinkKind, Status, TicketType
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.mail_ids import numbers_in_subject, ticket_ids_in
from desk_app.core.mail_in_ids import (
    attachment_id_for,
    import_id,
    skipped_note_id_for,
    ticket_id_for,
    worklog_id_for,
)
from desk_app.core.mail_message import MailMessage, parse_message
from desk_app.core.mail_text import confirms, new_part_of_reply, only_thanks, satisfaction
from desk_app.core.mailboxes import mailbox_defaults
from desk_app.core.permissions import Permission
from desk_app.core.reopen import reopen_within_window
from desk_app.core.satisfaction import mail_comment
from desk_app.core.validation import LABEL_MAX, SUMMARY_MAX, TEXT_MAX
from desk_app.services import mail_out, workflow
from desk_app.services.intake import create_ticket, derived_ticket
from desk_app.services.recording import queue_appended, record_new_row
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.session import Session, activity
from desk_app.services.worklog import write_worklog
from desk_app.storage.database import database
from desk_app.storage.mail_queries import (
    any_row_exists,
    technician_with_email,
    ticket_of_messages,
)
from desk_app.storage.models import Link, MailImport, Ticket
from desk_app.storage.rows import insert_row

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_FILES = 100  # of one message: more is a hostile mail, not a person's


@dataclass(frozen=True)
class MailOutcome:
    """What became of one message. ``outcome``: new, reply, ignored, duplicate or
    refused; ``number`` the ticket it opened or replied to; ``action`` what the reply
    did (worklog, resumed, confirmed, rejected, reopened, follow-up, rated: a
    satisfaction score answering the closure mail); ``reason`` why
    it was ignored or refused."""

    outcome: str
    message_id: str = ""
    number: str | None = None
    action: str | None = None
    reason: str | None = None
    source: str = ""  # the file or mailbox it came from
    attachments: int = 0
    attachments_skipped: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The outcome for JSON output (empty fields left out)."""
        values = {"source": self.source, "outcome": self.outcome,
                  "message_id": self.message_id, "number": self.number,
                  "action": self.action, "reason": self.reason,
                  "attachments": self.attachments,
                  "attachments_skipped": list(self.attachments_skipped)}
        return {k: v for k, v in values.items() if v not in (None, "", [], ())}

    @property
    def text(self) -> str:
        """One line for people."""
        match self.outcome:
            case "new":
                return f"{self.source}: new ticket {self.number}"
            case "reply":
                return f"{self.source}: reply to {self.number} ({self.action})"
            case "ignored":
                return f"{self.source}: ignored ({self.reason})"
            case "duplicate":
                return f"{self.source}: duplicate of a message already imported" + (
                    f" ({self.number})" if self.number else "")
        return f"{self.source}: refused: {self.reason}"


def import_bytes(session: Session, data: bytes, source: str = "",
                 mailbox: str | None = None) -> MailOutcome:
    """Import one message; a message that cannot be imported is an outcome
    ``refused`` with the reason, and changes nothing."""
    try:
        if not data or not data.strip():
            raise InvalidValue("message", "the file is empty")
        if len(data) > MAX_MESSAGE_BYTES:
            raise InvalidValue("message", f"larger than {MAX_MESSAGE_BYTES // 2**20} MB")
        message = _parsed(data)
        if message.automatic:
            return MailOutcome("ignored", message.message_id, reason=message.automatic,
                               source=source)
        return import_message(session, message, source, mailbox)
    except Refused as error:
        return MailOutcome("refused", reason=str(error), source=source)


def _parsed(data: bytes) -> MailMessage:
    """The parsed message; a message the parser fails on (a fault of ours, logged with
    its trace) is refused, so it stays unread and never blocks the rest of a mailbox."""
    try:
        return parse_message(data)
    except Exception:
        log.exception("a message could not be parsed")
        raise InvalidValue("message", "it could not be read (a fault in desk-app: the "
                           "details are in its log)") from None


def import_files(session: Session, paths: list[Path],
                 mailbox: str | None = None) -> list[MailOutcome]:
    """Import .eml files, one activity each; a file that cannot be read is refused."""
    outcomes = []
    for path in paths:
        try:
            if path.suffix.lower() == ".msg":
                raise InvalidValue("file", "Outlook .msg files are not read; save the "
                                   "message as .eml (File > Save As) or forward it")
            data = Path(path).read_bytes()
        except InvalidValue as error:
            outcomes.append(MailOutcome("refused", reason=str(error), source=str(path)))
            continue
        except OSError as error:
            outcomes.append(MailOutcome("refused", reason=f"file: {error.strerror or error}",
                                        source=str(path)))
            continue
        outcomes.append(import_bytes(session, data, str(path), mailbox))
    return outcomes


def already_imported(message_id: str) -> bool:
    """True when this desk has the message already (imported here or synced)."""
    return any_row_exists(import_id(message_id), ticket_id_for(message_id),
                          worklog_id_for(message_id))


@activity(Permission.LOG)
def import_message(session: Session, message: MailMessage, source: str = "",
                   mailbox: str | None = None) -> MailOutcome:
    """Import one parsed message (not an automatic one: see :func:`import_bytes`)."""
    if already_imported(message.message_id):
        found = MailImport.get_or_none(MailImport.id == import_id(message.message_id))
        return MailOutcome("duplicate", message.message_id,
                           found.ticket.number if found else None, source=source)
    if not message.sender_address:
        raise InvalidValue("from", "the message has no sender address")
    target = replied_ticket(message)
    if target is None:
        ticket = _open_ticket(session, message, mailbox)
        outcome = MailOutcome("new", message.message_id, ticket.number, source=source)
    else:
        ticket, action = _reply(session, target, message)
        outcome = MailOutcome("new" if action == "follow-up" else "reply",
                              message.message_id, ticket.number, action, source=source)
    _record(session, ticket, message, mailbox,
            "new" if outcome.outcome == "new" else "reply")
    if outcome.outcome == "new":  # the reporter hears its number, as a logged ticket's
        mail_out.queue_mail(session, ticket, "logged", "logged")
    kept, skipped = _attach(session, ticket, message)
    log.info("mail %s from %s: %s", message.message_id, message.sender_address,
             outcome.outcome)
    return MailOutcome(outcome.outcome, outcome.message_id, outcome.number, outcome.action,
                       source=source, attachments=kept, attachments_skipped=skipped)


def replied_ticket(message: MailMessage) -> Ticket | None:
    """The ticket a message answers: one of our Message-IDs in In-Reply-To or
    References, a message imported onto a ticket, or a number tagged in the subject."""
    threads = f"{message.in_reply_to} {message.references}"
    for ticket_id in ticket_ids_in(threads):
        found = Ticket.get_or_none(Ticket.id == ticket_id)
        if found is not None:
            return found
    earlier = [word for word in threads.split() if word.startswith("<")][-50:]
    ticket_id = ticket_of_messages(earlier)
    if ticket_id is not None:
        return Ticket.get_by_id(ticket_id)
    for number in numbers_in_subject(message.subject):
        found = Ticket.get_or_none(Ticket.number == number)
        if found is not None:
            return found
    return None


def _detected(session: Session, moment: datetime | None) -> datetime:
    now = session.now()
    return moment if moment is not None and moment <= now else now


def _open_ticket(session: Session, message: MailMessage, mailbox: str | None) -> Ticket:
    policy = session.policy
    defaults = mailbox_defaults(policy.sections, message.recipients, mailbox)
    category, subcategory = defaults.category or None, defaults.subcategory or None
    try:
        policy.check_category(category, subcategory)
    except InvalidValue:
        category = subcategory = None
    summary = message.subject or "(no subject)"
    description = message.text or "(the message has no text)"
    if len(summary) > SUMMARY_MAX:
        description = f"{summary}\n\n{description}"
        summary = summary[:SUMMARY_MAX - 1] + "…"
    return create_ticket(session, {
        "id": ticket_id_for(message.message_id),
        "type": TicketType.INCIDENT, "impact": Level(defaults.impact),
        "urgency": Level(defaults.urgency), "channel": Channel.EMAIL,
        "summary": summary, "description": description[:TEXT_MAX],
        "category": category, "subcategory": subcategory,
        "service": defaults.service[:LABEL_MAX] or None, "ci": None,
        "reporter": (message.sender_name or message.sender_address)[:LABEL_MAX],
        "contact": message.sender_address[:LABEL_MAX],
        "detected_at": _detected(session, message.date),
    })


def _reply(session: Session, ticket: Ticket, message: MailMessage) -> tuple[Ticket, str]:
    text = new_part_of_reply(message.text)
    who = (f"{message.sender_name} <{message.sender_address}>" if message.sender_name
           else message.sender_address)
    note = f"Email from {who}: {message.subject or '(no subject)'}\n\n{text}"[:TEXT_MAX]
    status = Status(ticket.status)
    score = satisfaction(text) if status == Status.CLOSED else None
    if score is not None:  # the answer to the closure mail's question, not a complaint
        note = f"Satisfaction: {score}/5 (answer to the closure mail)\n{note}"[:TEXT_MAX]
    thanks = score is None and only_thanks(text)
    ended = ticket.resolved_at or ticket.closed_at
    if status == Status.CLOSED and score is None and not thanks and not confirms(text) and (
            ended is None or not (
            reopen_within_window(ended, session.now(), session.policy.reopen_window))):
        successor = derived_ticket(
            session, ticket, TicketType(ticket.type), id=ticket_id_for(message.message_id),
            channel=Channel.EMAIL, summary=(message.subject or ticket.summary)[:SUMMARY_MAX],
            description=f"Follows {ticket.number} (closed, past its reopen window).\n\n"
                        f"{note}"[:TEXT_MAX])
        record_new_row(session, Link, {"ticket": successor.id, "kind": LinkKind.FOLLOWS.value,
                                       "target": ticket.id, "at": session.now(),
                                       "by": session.login})
        return successor, "follow-up"
    if not _may_act(ticket, message.sender_address):
        # Anyone who knows a ticket's number can write its tag in a subject: their mail is
        # kept, but only the reporter (or a technician) confirms, rejects, reopens or rates.
        write_worklog(session, ticket, f"{note}\n\n(Not from the reporter's address "
                      f"{ticket.contact or '(none)'}: nothing was changed.)"[:TEXT_MAX],
                      kind="email", entry_id=worklog_id_for(message.message_id))
        return ticket, "worklog"
    write_worklog(session, ticket, note, kind="email", entry_id=worklog_id_for(
        message.message_id))
    reason = (text.splitlines() or ["(no text)"])[0][:500] or "(no text)"
    if thanks and status in (Status.RESOLVED, Status.CLOSED):
        return ticket, "worklog"  # a courtesy: it neither confirms nor reopens
    match status:
        case Status.ON_HOLD if ticket.hold_reason == HoldReason.AWAITING_USER:
            workflow.resume(session, ticket.number)
            return ticket, "resumed"
        case Status.RESOLVED if confirms(text):
            workflow.confirm(session, ticket.number)
            return ticket, "confirmed"
        case Status.RESOLVED:
            workflow.reject(session, ticket.number, f"{reason} (by email)")
            return ticket, "rejected"
        case Status.CLOSED if score is not None:
            _record_score(session, ticket, score, text, message)
            return ticket, "rated"
        case Status.CLOSED if not confirms(text):
            workflow.reopen(session, ticket.number, f"{reason} (by email)")
            return ticket, "reopened"
    return ticket, "worklog"


def _may_act(ticket: Ticket, sender: str) -> bool:
    """Whether a reply from ``sender`` may change the ticket's state: it comes from the
    ticket's contact address or from a technician's."""
    address = sender.strip().lower()
    if address and address == (ticket.contact or "").strip().lower():
        return True
    return technician_with_email(address)


def _record_score(session: Session, ticket: Ticket, score: int, text: str,
                  message: MailMessage) -> None:
    """The reply's score and comment into the ticket's satisfaction fields (an
    incident's; another type keeps the worklog note only). Answered when the message
    was sent (not before the closure, not in the future), so desks importing the same
    message record the same answer."""
    if ticket.type != TicketType.INCIDENT:
        return
    ended = ticket.closed_at or session.now()
    sent = message.date if message.date is not None else session.now()
    record_satisfaction(session, ticket.number, score, mail_comment(text), source="mail",
                        at=min(max(sent, ended), session.now()))


def _record(session: Session, ticket: Ticket, message: MailMessage, mailbox: str | None,
            outcome: str) -> None:
    # not record_new_row: import_message checked that this id is not here yet
    row_id = import_id(message.message_id)
    insert_row(MailImport, MailImport(
        id=row_id, ticket=ticket.id, message_id=message.message_id[:LABEL_MAX * 5],
        sender=message.sender_address[:LABEL_MAX], mailbox=(mailbox or "")[:LABEL_MAX],
        outcome=outcome, at=session.now()).__data__)
    queue_appended(session, MailImport, ticket.id, [row_id])


def _attach(session: Session, ticket: Ticket,
            message: MailMessage) -> tuple[int, tuple[str, ...]]:
    """Keep the message's files on the ticket through the attachments service, when
    this desk has it; a file it refuses (too large...) is named, the mail still lands.
    Row ids derive from the Message-ID: two desks that import it keep each file once."""
    attachments = message.attachments
    if not attachments:
        return 0, ()
    try:
        from desk_app.services.attachments import attach_bytes
    except ImportError:
        return 0, tuple(f"{a.name}: this desk does not keep attachments" for a in attachments)
    kept, skipped = 0, []
    if len(attachments) > MAX_FILES:
        skipped.append(f"{len(attachments) - MAX_FILES} more files: at most {MAX_FILES} "
                       "of a message are kept")
    for position, item in enumerate(attachments[:MAX_FILES]):
        try:
            with database.atomic():  # a savepoint: a refused file leaves nothing behind
                attach_bytes(session, ticket, item.name, item.content_type, item.data,
                             source="email",
                             row_id=attachment_id_for(message.message_id, position))
            kept += 1
        except Refused as error:
            skipped.append(f"{item.name}: {error}")
    if skipped:
        write_worklog(session, ticket, "Attachments of the email not kept:\n"
                      + "\n".join(skipped), kind="email",
                      entry_id=skipped_note_id_for(message.message_id))
    return kept, tuple(skipped)
