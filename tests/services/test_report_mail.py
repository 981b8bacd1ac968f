"""The weekly report mail on one desk, against a real SMTP server: the watcher queues it
once per week when its moment passes (an injected clock across the week boundary), the
sender sends it once to every recipient, and a queued report survives a restart."""

from datetime import timedelta
from email.utils import getaddresses

import pytest

from desk_app.app import open_desk
from desk_app.services import kpi_report
from desk_app.services.admin import change_policy
from desk_app.services.mail_sender import mail_queue, send_queued
from desk_app.services.watch import watch_pass
from desk_app.storage.models import ReportMail
from tests.conftest import LONDON
from tests.mail_server import smtp_server  # noqa: F401

RECIPIENTS = ["boss@example.com", "lead@example.com"]


@pytest.fixture
def placeholder_report(monkeypatch):
    """A tiny report body naming its period (the KPI report is the kpi work's)."""
    asked = []

    def report(session, since, until, by=None):
        asked.append((since, until))
        return f"# KPI report\n\n{since.isoformat()} - {until.isoformat()}\n"

    monkeypatch.setattr(kpi_report, "report_markdown", report)
    return asked


def schedule(session, server, **overrides) -> None:
    change_policy(session, {
        "mail": {"smtp": {"host": server.host, "port": server.port, "security": "none",
                          "from_address": "desk@example.com", "from_name": "IT Desk"}},
        "report_schedule": {"enabled": True, "recipients": RECIPIENTS, "weekday": "mon",
                            "hour": 10, **overrides}})


def test_one_report_per_week_across_the_week_boundary(session, clock, smtp_server,  # noqa: F811
                                                      placeholder_report):
    # the clock starts Monday 23 Nov 2026 09:00 London: this week's report is due at 10:00
    schedule(session, smtp_server)
    first = watch_pass(session)
    reports = [e for e in first.done if e.rule == "weekly_report"]
    assert [e.number for e in reports] == ["weekly:2026-W47"]  # last week's, due 16 Nov
    assert first.next_due is not None and first.next_due <= clock().replace(hour=10)
    assert send_queued(session).sent == 1
    clock.advance(minutes=59)  # 09:59: nothing new
    assert not [e for e in watch_pass(session).done if e.rule == "weekly_report"]
    clock.advance(minutes=1)  # 10:00: this week's
    assert [e.number for e in watch_pass(session).done
            if e.rule == "weekly_report"] == ["weekly:2026-W48"]
    assert not watch_pass(session).done  # once
    assert send_queued(session).sent == 1
    assert send_queued(session, retry_now=True).sent == 0
    clock.advance(days=7)
    watch_pass(session)
    assert send_queued(session).sent == 1

    messages = smtp_server.inbox.messages
    assert len(messages) == 3
    assert len({m["Message-ID"] for m in messages}) == 3
    latest = messages[1]
    assert [a for _n, a in getaddresses([str(latest["To"])])] == RECIPIENTS
    assert sorted(smtp_server.inbox.envelopes[1][1]) == RECIPIENTS
    assert str(latest["Subject"]) == "IT Service Desk: weekly report 16 Nov - 23 Nov 2026"
    assert latest["Auto-Submitted"] == "auto-generated"
    assert "2026-11-16T10:00:00+00:00 - 2026-11-23T10:00:00+00:00" in \
        latest.get_content()
    assert all(until - since == timedelta(days=7) for since, until in placeholder_report)
    assert ReportMail.select().where(ReportMail.state == "sent").count() == 3


def test_nothing_is_queued_when_off_or_without_a_mail_server(session, clock, smtp_server,  # noqa: F811
                                                             placeholder_report):
    change_policy(session, {"report_schedule": {"enabled": True, "recipients": RECIPIENTS}})
    assert not watch_pass(session).done  # no mail server yet
    schedule(session, smtp_server, enabled=False)
    result = watch_pass(session)
    assert not result.done and ReportMail.select().count() == 0
    assert placeholder_report == []


def test_a_queued_report_survives_a_restart_and_is_sent_once(tmp_path, clock, smtp_server,  # noqa: F811
                                                             placeholder_report, desk):
    schedule(desk.session, smtp_server)
    smtp_server.stop()  # the mail server is away
    watch_pass(desk.session)
    report = send_queued(desk.session)
    assert (report.sent, report.waiting) == (0, 1) and report.problem
    desk.close()  # the desk stops (or dies) with the report queued

    again = open_desk(tmp_path / "data", login="alice", now_fn=clock)
    try:
        assert ReportMail.get().state == "queued"
        smtp_server.start()
        watch_pass(again.session)  # the same week: not queued twice
        assert ReportMail.select().count() == 1
        assert send_queued(again.session, retry_now=True).sent == 1
        assert send_queued(again.session, retry_now=True).sent == 0
        assert len(smtp_server.inbox.messages) == 1
    finally:
        again.close()


def test_a_recipient_refused_for_good_is_noted_the_others_get_it(session, clock,
                                                                 smtp_server,  # noqa: F811
                                                                 placeholder_report):
    smtp_server.inbox.refused.add("lead@example.com")
    schedule(session, smtp_server)
    watch_pass(session)
    assert send_queued(session).sent == 1
    row = ReportMail.get()
    assert row.state == "sent" and "lead@example.com" in row.detail
    assert smtp_server.inbox.envelopes[0][1] == ["boss@example.com"]


def test_the_body_is_the_kpi_report_of_the_past_week(session, clock, smtp_server):  # noqa: F811
    from desk_app.services import workflow
    from desk_app.services.intake import log_ticket
    from tests.conftest import new_ticket

    clock.advance(days=-3)  # Friday 20 Nov: an incident of the reported week, rated 5
    number = log_ticket(session, new_ticket(impact="low", urgency="low",
                                            detected_at=clock())).number
    workflow.resolve(session, number, "permanent", "config", "Replaced the token",
                     knowledge="not_needed", problem_decision="not_needed")
    workflow.confirm(session, number, score=5, comment="Great")
    clock.advance(days=3, hours=2)  # Monday 23 Nov 11:00: this week's report is due
    schedule(session, smtp_server)
    watch_pass(session)
    row = ReportMail.get(ReportMail.key == "weekly:2026-W48")
    expected = kpi_report.report_markdown(session, *_period(row))
    assert row.body == expected and "Satisfaction" in row.body
    assert send_queued(session).sent >= 1
    mailed = smtp_server.inbox.messages[-1].get_content().replace("\r\n", "\n")
    assert mailed.strip() == expected.strip()


def _period(row):
    from desk_app.core.report_schedule import week_of

    week = week_of(row.at, LONDON)
    return week.since, week.until


def test_a_refused_sender_keeps_the_report_queued_not_failed(session, clock,
                                                             smtp_server,  # noqa: F811
                                                             placeholder_report):
    smtp_server.inbox.refused_senders.add("desk@example.com")
    schedule(session, smtp_server)
    watch_pass(session)
    report = send_queued(session)
    assert report.sent == 0 and "refused the sender desk@example.com: 553" in report.problem
    assert ReportMail.get().state == "queued"  # our settings, not the report: it waits
    smtp_server.inbox.refused_senders.clear()
    assert send_queued(session, retry_now=True).sent == 1
def test_mail_queue_lists_the_weekly_report_while_queued_and_once_sent(session, clock,
                                                                       smtp_server,  # noqa: F811
                                                                       placeholder_report):
    schedule(session, smtp_server)
    watch_pass(session)
    queued = mail_queue(session)
    assert [(m.number, m.event, m.state) for m in queued] == [
        ("weekly:2026-W47", "weekly_report", "queued")]
    assert queued[0].recipient == ", ".join(RECIPIENTS)
    assert send_queued(session).sent == 1
    assert mail_queue(session) == []
    assert [(m.number, m.state) for m in mail_queue(session, everything=True)] == [
        ("weekly:2026-W47", "sent")]
