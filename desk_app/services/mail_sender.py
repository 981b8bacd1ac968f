"""Sending the queued mail: exactly once, by the desk that queued it.

A desk sends the mails it queued itself (their ``device_id`` is its own) that have no
outcome yet. Each sent mail gets a ``sent`` outcome (its id derived from the mail's, so
the mark syncs and merges into one) and a worklog entry, in one short activity after
the server accepted it; the network is never used inside a transaction. A server that
cannot be reached, or refuses the login, leaves the mail queued: this desk notes the
error and tries again later, waiting longer each time (:func:`retry_delay`). A
recipient the server refuses for good (a 5xx answer) gets a ``failed`` outcome with the
reason and is not tried again.
"""

import os
import re
import smtplib
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy as email_policy
from email.headerregistry import HeaderRegistry, MessageIDHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr
from typing import Any, TypeVar

from peewee import SQL

from desk_app.core.labels import human_label
from desk_app.core.mail_templates import SmtpSettings
from desk_app.core.permissions import Permission
from desk_app.services.mail_out import desk_sends_mail, mail_policy, reporter_address
from desk_app.services.mail_settings import MailServerProblem, open_connection, smtp_password
from desk_app.services.session import Session, activity, reads
from desk_app.services.worklog import write_worklog
from desk_app.storage.database import database
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.meta import device_id, get_meta, set_meta, system_millis
from desk_app.storage.models import (
    MailAttempt,
    MailImport,
    MailMessage,
    MailOutcome,
    Meta,
    ReportMail,
    Ticket,
)
from desk_app.storage.rows import insert_row
from desk_app.sync.local import LocalRunner, run_here

T = TypeVar("T")

_OUTCOMES = uuid.UUID("c4a9e2d7-1b3f-4e58-9d06-5f7a8b2c3e91")
MAX_DELAY = timedelta(hours=1)
_SENDING = threading.Lock()  # one sender at a time in this process
# one sender at a time on this desk (the window and `mail send` may run at once): a
# lease in the desk's meta table, taken for a round, given back after it; a process
# that died leaves it to expire
LEASE_KEY = "mail_sending_lease"
LEASE_MS = 10 * 60 * 1000


def take_lease(holder: str) -> bool:
    """Take this desk's sending lease for ``holder``; False while another holds it."""
    with database.atomic(lock_type="IMMEDIATE"):
        current, now = get_meta(LEASE_KEY), system_millis()
        if current:
            who, _, until = current.rpartition(" ")
            if who != holder and until.isdigit() and int(until) > now:
                return False
        set_meta(LEASE_KEY, f"{holder} {now + LEASE_MS}")
        return True


def release_lease(holder: str) -> None:
    """Give the lease back (only ``holder``'s own)."""
    with database.atomic(lock_type="IMMEDIATE"):
        current = get_meta(LEASE_KEY)
        if current and current.rpartition(" ")[0] == holder:
            Meta.delete().where(Meta.key == LEASE_KEY).execute()


def outcome_id(mail_id: str) -> str:
    """The id of a mail's outcome row: one per mail, whichever desk records it."""
    return str(uuid.uuid5(_OUTCOMES, mail_id))


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4... minutes, at
    most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


@dataclass(frozen=True)
class SendReport:
    """What one round of sending did; ``problem`` says why mail stayed queued."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    problem: str | None = None
    deferred: bool = False  # nothing tried: every queued mail waits for its next try

    def describe(self) -> str:
        """One line for people."""
        text = f"{self.sent} sent, {self.failed} failed, {self.waiting} still queued"
        return f"{text}: {self.problem}" if self.problem else text


_QUEUED = """
    SELECT m.id, m.ticket_id AS ticket, m.event, m.message_id, m.device_id, m.recipient,
           m.subject, m.body, m.at, coalesce(a.next_at, 0) AS next_at
      FROM mail_message m
      LEFT JOIN mail_outcome o ON o.mail_id = m.id
      LEFT JOIN mail_attempt a ON a.mail_id = m.id
     WHERE o.id IS NULL AND m.device_id = ?
     ORDER BY m.at, m.rowid"""


def _queued(mine: str) -> list[dict[str, Any]]:
    """This desk's mails without an outcome, oldest first."""
    cursor = database.execute_sql(_QUEUED, (mine,))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _threading_policy() -> EmailPolicy:
    """The standard policy, but In-Reply-To and References are read as message ids like
    Message-ID: otherwise an id longer than a line is folded into encoded words, and
    mail clients no longer thread the reporter's mail."""
    registry = HeaderRegistry()  # a copy: the stdlib's shared one stays as it is
    registry.map_to_type("in-reply-to", MessageIDHeader)
    registry.map_to_type("references", MessageIDHeader)
    return email_policy.default.clone(header_factory=registry)


_THREADING_POLICY = _threading_policy()
_PLAIN_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]{1,900}>")  # printable ASCII, no <>


def build_message(mail: dict[str, Any], smtp: SmtpSettings,
                  thread: str | None = None) -> EmailMessage:
    """The mail as sent: our sender and reply-to, its Message-ID, threaded under the
    ticket's first mail (``thread``), marked as automatic (RFC 3834) so that
    auto-responders do not answer it."""
    message = EmailMessage(policy=_THREADING_POLICY)
    message["From"] = formataddr((smtp.from_name, smtp.from_address))
    message["To"] = mail["recipient"]
    if smtp.reply_to:
        message["Reply-To"] = smtp.reply_to
    message["Subject"] = mail["subject"]
    message["Message-ID"] = mail["message_id"]
    at = mail["at"]
    message["Date"] = format_datetime(at if isinstance(at, datetime) else from_millis(at))
    if thread and thread != mail["message_id"]:
        message["In-Reply-To"] = thread
        message["References"] = thread
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail["body"])
    return message


def _thread_of(ticket_id: str) -> str | None:
    """The Message-ID the ticket's mail threads under: the reporter's message that
    opened it, else the first mail the desk sent about it."""
    opened = (MailImport.select(MailImport.message_id)
              .where(MailImport.ticket == ticket_id, MailImport.outcome == "new").first())
    if opened is not None and _PLAIN_ID.fullmatch(opened.message_id):
        return opened.message_id
    first = (MailMessage.select(MailMessage.message_id).where(MailMessage.ticket == ticket_id)
             .order_by(MailMessage.at, SQL("rowid")).first())
    return first.message_id if first else None


@activity(Permission.WORKLOG)
def _record_outcome(session: Session, mail: dict[str, Any], outcome: str,
                    detail: str = "") -> None:
    if MailOutcome.get_or_none(MailOutcome.id == outcome_id(mail["id"])):
        return
    from desk_app.services.recording import record_new_row

    ticket = Ticket.get_by_id(mail["ticket"])
    record_new_row(session, MailOutcome, {
        "id": outcome_id(mail["id"]), "ticket": ticket.id, "mail_id": mail["id"],
        "outcome": outcome, "at": session.now(), "detail": detail})
    whom = "reporter" if mail["recipient"] == reporter_address(ticket) else "stakeholder"
    if outcome == "sent":
        write_worklog(session, ticket, f"email to {whom}: {_event_words(mail['event'])} "
                      f"({mail['recipient']}: {mail['subject']})", kind="email")
    else:
        write_worklog(session, ticket, f"email to {whom} not sent: {_event_words(mail['event'])} "
                      f"({mail['recipient']}): {detail}")
    MailAttempt.delete().where(MailAttempt.mail_id == mail["id"]).execute()


def _event_words(event: str) -> str:
    """A mail's event as the timeline reads it: "awaiting_user" -> "awaiting user"."""
    return human_label(event).lower()


def _note_failures(mail_ids: list[str], error: str, now: datetime) -> None:
    """Note a failed try of each mail (local: the backoff is this desk's own)."""
    with database.atomic(lock_type="IMMEDIATE"):
        for mail_id in mail_ids:
            attempt = MailAttempt.get_or_none(MailAttempt.mail_id == mail_id)
            attempts = (attempt.attempts if attempt else 0) + 1
            values = {"mail_id": mail_id, "attempts": attempts, "error": error[:1000],
                      "next_at": to_millis(now + retry_delay(attempts))}
            if attempt is None:
                insert_row(MailAttempt, values)
            else:
                MailAttempt.update(values).where(MailAttempt.mail_id == mail_id).execute()


def send_queued(session: Session, context: ssl.SSLContext | None = None,
                retry_now: bool = False, local: LocalRunner = run_here) -> SendReport:
    """Send this desk's queued mail that is due (``retry_now``: also the mail waiting
    after a failure), the scheduled report mail it may send included
    (:mod:`desk_app.services.report_mail`). Never raises for a server problem: the
    report says it. Every local step goes through ``local`` (the database's owner in
    the desktop client); the network is used only between them."""
    from desk_app.services.report_mail import combined, send_reports

    with _SENDING:
        tickets = _send_round(session, context, retry_now, local)
        return combined(tickets, send_reports(session, context, retry_now, local))


@dataclass(frozen=True)
class _Round:
    queued: list[dict[str, Any]]
    smtp: SmtpSettings
    password: str | None
    sends: bool
    last_error: str


def _prepare(session: Session) -> _Round:
    queued = _queued(device_id())
    smtp = mail_policy(session).smtp
    return _Round(queued, smtp, smtp_password(smtp) if queued else None, desk_sends_mail(),
                  _last_error(queued[0]["id"]) if queued else "")


def _send_round(session: Session, context: ssl.SSLContext | None, retry_now: bool,
                local: LocalRunner) -> SendReport:
    now = session.now_fn()
    ready = local(lambda: _prepare(session))
    queued, smtp = ready.queued, ready.smtp
    due = queued if retry_now else [m for m in queued if m["next_at"] <= to_millis(now)]
    if not queued:
        return SendReport()
    if not ready.sends:
        return SendReport(waiting=len(queued), problem="this desk does not send mail "
                          "(desk-app mail desk on turns it on)")
    if not due:
        return SendReport(waiting=len(queued), problem="waiting to retry after: "
                          + ready.last_error, deferred=True)
    holder = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
    if not local(lambda: take_lease(holder)):
        return SendReport(waiting=len(queued), problem="another desk-app on this desk is "
                          "sending mail now")
    try:
        return _send_due(session, context, local, queued, due, smtp, ready.password)
    finally:
        local(lambda: release_lease(holder))


def _send_due(session: Session, context: ssl.SSLContext | None, local: LocalRunner,
              queued: list[dict[str, Any]], due: list[dict[str, Any]], smtp: SmtpSettings,
              password: str | None) -> SendReport:
    threads = local(lambda: {m["ticket"]: _thread_of(m["ticket"]) for m in due})

    def failed(mails: list[dict[str, Any]], why: str) -> None:
        local(lambda: _note_failures([m["id"] for m in mails], why, session.now_fn()))

    def outcome(mail: dict[str, Any], what: str, detail: str = "") -> None:
        local(lambda: _record_outcome(session, mail, what, detail))

    return deliver_all(
        smtp, password, context, due, len(queued),
        lambda mail: build_message(mail, smtp, threads[mail["ticket"]]),
        failed, lambda mail, result: outcome(mail, result.state,
                                             result.detail if result.state == "failed" else ""))


def deliver_all(smtp: SmtpSettings, password: str | None, context: ssl.SSLContext | None,
                items: list[T], waiting: int, build: Callable[[T], EmailMessage],
                wait: Callable[[list[T], str], None],
                done: Callable[[T, "Delivery"], None]) -> SendReport:
    """Hand ``items`` to the mail server over one connection, in order (ticket mail and
    the weekly report alike): ``wait`` is told which wait and why (the server could not
    be reached, a message is to be tried again, or every one from it on), ``done`` each
    one sent or refused for good. ``waiting``: how many the round had queued."""
    try:
        connection = open_connection(smtp, password, context)
    except MailServerProblem as problem:
        wait(items, str(problem))
        return SendReport(waiting=waiting, problem=str(problem))
    sent = refusals = 0
    problem = None
    try:
        for index, item in enumerate(items):
            result = deliver(connection, build(item), smtp)
            if result.state == "stop":
                problem = result.detail
                wait(items[index:], problem)
                break
            if result.state == "later":
                problem = result.detail
                wait([item], problem)
                continue
            done(item, result)
            if result.state == "failed":
                refusals += 1
            else:
                sent += 1
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return SendReport(sent, refusals, waiting - sent - refusals, problem)


def _last_error(mail_id: str) -> str:
    attempt = MailAttempt.get_or_none(MailAttempt.mail_id == mail_id)
    return attempt.error if attempt else ""


@dataclass(frozen=True)
class Delivery:
    """What handing one message to the mail server came to. ``state``: "sent" (``detail``
    names recipients it was not delivered to, if any), "failed" (refused for good),
    "later" (this message waits and is tried again), "stop" (the sender was refused or
    the connection went away: this message and every one after it wait)."""

    state: str
    detail: str = ""


def deliver(connection: smtplib.SMTP, message: EmailMessage, smtp: SmtpSettings) -> Delivery:
    """Send ``message`` on the open ``connection`` and say what came of it (ticket mail
    and the weekly report read a server's answers the same way)."""
    try:
        refused = connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:  # nobody got it
        answers = list(error.recipients.values())
        reason = ", ".join(f"{code} {_text(text)}" for code, text in answers)
        if min(code for code, _text_ in answers) >= 500:
            return Delivery("failed", f"recipient refused: {reason}")
        return Delivery("later", f"recipient refused for now: {reason}")
    except smtplib.SMTPSenderRefused as error:  # our settings: every mail waits
        return Delivery("stop", f"the mail server refused the sender {smtp.from_address}: "
                                f"{error.smtp_code} {_text(error.smtp_error)}")
    except smtplib.SMTPResponseException as error:
        reason = f"{error.smtp_code} {_text(error.smtp_error)}"
        if error.smtp_code >= 500:
            return Delivery("failed", f"refused by the server: {reason}")
        return Delivery("later", f"the mail server answered {reason}")
    except OSError as error:  # smtplib's errors are OSErrors too: this one last
        return Delivery("stop", f"the mail server {smtp.host}:{smtp.port} went away: "
                                f"{error}")
    return Delivery("sent", ("not delivered to: " + ", ".join(sorted(refused)))
                    if refused else "")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


_LISTED = """
    SELECT t.number, m.event, m.recipient, m.subject, m.device_id, m.at, o.outcome,
           o.detail, a.error, a.attempts
      FROM mail_message m
      JOIN ticket t ON t.id = m.ticket_id
      LEFT JOIN mail_outcome o ON o.mail_id = m.id
      LEFT JOIN mail_attempt a ON a.mail_id = m.id
     WHERE ? OR (o.id IS NULL AND m.device_id = ?)
     ORDER BY m.at DESC, m.rowid DESC
     LIMIT ?"""


@dataclass(frozen=True)
class QueuedMail:
    """One mail as ``mail queue`` lists it."""

    number: str
    event: str
    recipient: str
    subject: str
    state: str  # queued | sent | failed | other desk
    at: datetime
    detail: str


@reads
def mail_queue(session: Session, everything: bool = False,
               limit: int = 200) -> list[QueuedMail]:
    """The mail this desk is to send, newest first, with the last error; with
    ``everything`` all mail (at most ``limit``), sent and failed with their reason, and
    mail another desk queued as "other desk" while no outcome has arrived."""
    del session
    mine = device_id()
    cursor = database.execute_sql(_LISTED, (everything, mine, limit))
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    listed = []
    for row in rows:
        state = row["outcome"] or ("queued" if row["device_id"] == mine else "other desk")
        detail = row["detail"] or (f"{row['attempts']} tries; last: {row['error']}"
                                   if row["attempts"] else "")
        listed.append(QueuedMail(row["number"], row["event"], row["recipient"], row["subject"],
                                 state, from_millis(row["at"]), detail or ""))
    listed += _report_mail(everything, limit)
    listed.sort(key=lambda mail: mail.at, reverse=True)
    return listed[:limit]


def _report_mail(everything: bool, limit: int) -> list[QueuedMail]:
    """The scheduled report mail (the weekly report) as ``mail queue`` lists it: the
    queued ones, or all with ``everything``; its last error while it is queued."""
    rows = ReportMail.select().order_by(ReportMail.at.desc()).limit(limit)
    if not everything:
        rows = rows.where(ReportMail.state == "queued")
    listed = []
    for row in rows:
        detail = row.detail
        if row.state == "queued" and row.attempts:
            detail = f"{row.attempts} tries; last: {row.detail}"
        listed.append(QueuedMail(row.key, "weekly_report", row.recipients, row.subject,
                                 row.state.replace("_", " "), row.at, detail))
    return listed
