"""The scheduled report mail: the weekly KPI report to the people the policy names.

Queueing: the watcher asks :func:`due_report` for the week whose report is due and
not queued here yet, and :func:`queue_report` writes it (the Markdown report of the
past week, computed before the short write) as a :class:`ReportMail` row keyed by the
week. The row's Message-ID derives from that key, so every desk that runs the watcher
queues the same mail.

Sending exactly once: a desk of a team first claims the report's key on the team
database (:mod:`desk_app.sync.report_claim`); only the desk holding the claim sends it,
the others mark their copy "sent by another desk". The claim is kept, so the holder
sends it after a crash too, and nobody else ever does. A team desk that cannot reach
the team database leaves the report queued (sending it unclaimed could send it twice);
a desk without a team sends its own. The network is never used inside a transaction:
every local step goes through ``local``, like :mod:`desk_app.services.mail_sender`.
"""

import logging
import os
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from desk_app.core.mail_templates import SmtpSettings
from desk_app.core.permissions import Permission
from desk_app.core.report_schedule import (
    SECTION,
    ReportSchedule,
    ReportWeek,
    latest_due,
    next_due,
    report_subject,
)
from desk_app.services.mail_out import FALLBACK_DOMAIN, desk_sends_mail, mail_policy
from desk_app.services.mail_sender import (
    SendReport,
    build_message,
    deliver_all,
    release_lease,
    retry_delay,
    take_lease,
)
from desk_app.services.mail_settings import smtp_password
from desk_app.services.session import Session, activity
from desk_app.services.team_sync import remote_settings
from desk_app.storage.database import database
from desk_app.storage.fields import to_millis
from desk_app.storage.meta import device_id, get_meta
from desk_app.storage.models import ReportMail
from desk_app.storage.rows import insert_row
from desk_app.sync.local import LocalRunner, run_here
from desk_app.sync.remote import connect, describe_error
from desk_app.sync.report_claim import claim_report

log = logging.getLogger(__name__)
_REPORTS = uuid.UUID("6f2d8a41-93c7-4b1e-a0d5-c81e2f7b9a36")


def report_message_id(key: str, domain: str) -> str:
    """The Message-ID of the report ``key`` (the same on every desk)."""
    return f"<desk.report.{uuid.uuid5(_REPORTS, key).hex}@{domain}>"


def report_row_id(key: str) -> str:
    """The id of the report's outbox row."""
    return str(uuid.uuid5(_REPORTS, f"row:{key}"))


def schedule_of(session: Session) -> ReportSchedule:
    """The policy's report schedule."""
    return ReportSchedule.from_section(session.policy.sections.get(SECTION))


def due_report(session: Session, now: datetime) -> tuple[ReportWeek | None, datetime | None]:
    """The week whose report is due at ``now`` and still to queue on this desk (None:
    nothing to queue), and the next scheduled moment after ``now``. Nothing is due
    while the team has no mail server or this desk does not send mail."""
    policy = session.policy
    schedule, zone = schedule_of(session), ZoneInfo(policy.time_zone)
    week = latest_due(schedule, zone, now)
    if week is None or not mail_policy(session).smtp.configured or not desk_sends_mail() \
            or ReportMail.get_or_none(ReportMail.key == week.key) is not None:
        week = None
    return week, next_due(schedule, zone, now)


def queue_weekly_report(session: Session, week: ReportWeek) -> ReportMail | None:
    """Compute the report of ``week`` (a read) and queue its mail (one short activity);
    None when it was queued already."""
    from desk_app.services import kpi_report

    body = kpi_report.report_markdown(session, week.since, week.until)
    return queue_report(session, week, body)


@activity(Permission.HOUSEKEEPING)
def queue_report(session: Session, week: ReportWeek, body: str) -> ReportMail | None:
    """Queue the mail of the report ``week`` with ``body`` to the schedule's recipients;
    None when this desk has it already."""
    if ReportMail.get_or_none(ReportMail.key == week.key) is not None:
        return None
    schedule, smtp = schedule_of(session), mail_policy(session).smtp
    zone = ZoneInfo(session.policy.time_zone)
    domain = smtp.from_address.rpartition("@")[2] or FALLBACK_DOMAIN
    row = ReportMail(id=report_row_id(week.key), key=week.key,
                     message_id=report_message_id(week.key, domain),
                     recipients=", ".join(schedule.recipients),
                     subject=report_subject(session.policy.team_name, week, zone),
                     body=body, at=week.due_at)
    insert_row(ReportMail, row.__data__)
    log.info("report %s queued for %s", week.key, row.recipients)
    return row


# --- sending ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Ready:
    queued: list[dict[str, Any]]
    smtp: SmtpSettings
    password: str | None
    sends: bool
    team: Any  # the team database's settings; None for a desk without a team
    device: str


def _prepare(session: Session) -> _Ready:
    queued = list(ReportMail.select().where(ReportMail.state == "queued")
                  .order_by(ReportMail.at).dicts())
    smtp = mail_policy(session).smtp
    team = remote_settings() if get_meta("server_id") else None
    return _Ready(queued, smtp, smtp_password(smtp) if queued else None, desk_sends_mail(),
                  team, device_id())


def _mark(row_id: str, state: str, detail: str = "") -> None:
    with database.atomic(lock_type="IMMEDIATE"):
        ReportMail.update(state=state, detail=detail[:1000]).where(
            (ReportMail.id == row_id) & (ReportMail.state == "queued")).execute()


def _note_failures(row_ids: list[str], error: str, now: datetime) -> None:
    with database.atomic(lock_type="IMMEDIATE"):
        for row_id in row_ids:
            row = ReportMail.get_by_id(row_id)
            attempts = row.attempts + 1
            ReportMail.update(attempts=attempts, detail=error[:1000],
                              next_at=to_millis(now + retry_delay(attempts))).where(
                ReportMail.id == row_id).execute()


def send_reports(session: Session, context: ssl.SSLContext | None = None,
                 retry_now: bool = False, local: LocalRunner = run_here) -> SendReport:
    """Send the queued report mail this desk may send (see the module's docstring);
    never raises for a server problem: the report says it."""
    now = session.now_fn()
    ready = local(lambda: _prepare(session))
    if not ready.queued:
        return SendReport()
    waiting = len(ready.queued)
    if not ready.sends:
        return SendReport(waiting=waiting, problem="this desk does not send mail")
    due = [r for r in ready.queued if retry_now or r["next_at"] <= to_millis(now)]
    if not due:
        return SendReport(waiting=waiting, deferred=True,
                          problem="waiting to retry after: " + ready.queued[0]["detail"])
    holder = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
    if not local(lambda: take_lease(holder)):
        return SendReport(waiting=waiting, problem="another desk-app on this desk is "
                          "sending mail now")
    try:
        mine, problem = _claimed(session, ready, due, local)
        if not mine:
            left = local(lambda: ReportMail.select().where(ReportMail.state == "queued")
                         .count())
            return SendReport(waiting=left, problem=problem)
        return _send(session, ready, mine, context, local)
    finally:
        local(lambda: release_lease(holder))


def _claimed(session: Session, ready: _Ready, due: list[dict[str, Any]],
             local: LocalRunner) -> tuple[list[dict[str, Any]], str | None]:
    """The due reports this desk holds the claim of (a desk without a team: all of
    them); the others are marked as another desk's. And why none, when none."""
    if ready.team is None:
        return due, None
    mine = []
    try:
        with connect(ready.team) as conn:
            for row in due:
                claim = claim_report(conn, row["key"], ready.device)
                if claim.held:
                    mine.append(row)
                else:
                    local(lambda row=row, claim=claim: _mark(
                        row["id"], "other_desk",
                        f"sent by the desk of {claim.holder_login}"))
    except psycopg.Error as error:
        problem = (f"{describe_error(error)}: the report waits until this desk can check "
                   "that no other desk sends it")
        local(lambda: _note_failures([r["id"] for r in due if r not in mine], problem,
                                     session.now_fn()))
        return mine, problem
    return mine, None


def build_report_message(row: dict[str, Any], smtp: SmtpSettings) -> EmailMessage:
    """The report mail as sent: to every recipient, marked as automatic (the ticket
    mail's headers, with no thread)."""
    return build_message({**row, "recipient": row["recipients"]}, smtp)


def _send(session: Session, ready: _Ready, rows: list[dict[str, Any]],
          context: ssl.SSLContext | None, local: LocalRunner) -> SendReport:
    smtp = ready.smtp

    def failed(batch: list[dict[str, Any]], why: str) -> None:
        local(lambda: _note_failures([r["id"] for r in batch], why, session.now_fn()))

    return deliver_all(
        smtp, ready.password, context, rows, len(rows),
        lambda row: build_report_message(row, smtp), failed,
        lambda row, result: local(lambda: _mark(
            row["id"], result.state, result.detail)))


def combined(first: SendReport, second: SendReport) -> SendReport:
    """Two rounds' reports as one (ticket mail, then report mail)."""
    busy = [r for r in (first, second) if r.waiting or r.sent or r.failed]
    return SendReport(first.sent + second.sent, first.failed + second.failed,
                      first.waiting + second.waiting, first.problem or second.problem,
                      bool(busy) and all(r.deferred for r in busy))
