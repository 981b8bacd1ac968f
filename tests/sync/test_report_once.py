"""Across a team (a real PostgreSQL): the weekly report goes out once per week although
every desk runs the watcher and the sender, also when the desk that claimed it crashes
before sending; and the satisfaction fields merge (the later answer wins everywhere)."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk_app.core.calendar import WEEKDAYS
from desk_app.services import kpi_report, workflow
from desk_app.services.admin import change_policy
from desk_app.services.lookup import ticket_by_number
from desk_app.services.mail_sender import send_queued
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.watch import watch_pass
from desk_app.storage.meta import set_meta
from desk_app.storage.models import ReportMail
from tests.mail_server import free_port, smtp_server  # noqa: F401
from tests.sync.conftest import each_desk, sync_all
from tests.sync.test_merge_units import _two_desks


@pytest.fixture(autouse=True)
def placeholder_report(monkeypatch):
    monkeypatch.setattr(kpi_report, "report_markdown",
                        lambda session, since, until, by=None: f"# Report\n{since} - {until}\n")


def _team_with_a_schedule(clients, server):
    """A boss who sets the mail server and a report due this hour; amy and ben."""
    boss = clients("boss", login="admin_ada")
    boss.open()
    now = datetime.now(ZoneInfo(boss.session.policy.time_zone))
    change_policy(boss.session, {
        "mail": {"smtp": {"host": server.host, "port": server.port, "security": "none",
                          "from_address": "desk@example.com"}},
        "report_schedule": {"enabled": True, "recipients": ["boss@example.com"],
                            "weekday": WEEKDAYS[now.weekday()], "hour": now.hour}})
    boss.sync()
    amy, ben = clients("amy"), clients("ben")
    for desk in (amy, ben):
        desk.open()
        desk.sync()
    return amy, ben


def _run(desk) -> int:
    """The watcher then the sender on ``desk``; returns how many mails it sent."""
    desk.open()
    watch_pass(desk.session)
    return send_queued(desk.session, retry_now=True).sent


def test_two_desks_send_one_report_per_week(clients, smtp_server):  # noqa: F811
    amy, ben = _team_with_a_schedule(clients, smtp_server)
    for skew in (timedelta(days=-7), timedelta(0)):  # last week, then this week
        for desk in (amy, ben):
            desk.skew = skew
        sent = [_run(amy), _run(ben), _run(amy), _run(ben)]
        assert sorted(sent) == [0, 0, 0, 1], skew
    subjects = smtp_server.inbox.subjects()
    assert len(subjects) == 2 and subjects[0] != subjects[1]
    assert len({m["Message-ID"] for m in smtp_server.inbox.messages}) == 2
    states = []
    for desk in (amy, ben):
        desk.open()
        states += [row.state for row in ReportMail.select()]
    assert sorted(states) == ["other_desk", "other_desk", "sent", "sent"]


def test_the_desk_that_claimed_sends_after_a_crash_and_nobody_else(clients,
                                                                   smtp_server):  # noqa: F811
    amy, ben = _team_with_a_schedule(clients, smtp_server)
    smtp_server.stop()
    assert _run(amy) == 0  # amy claimed the report, then could not reach the mail server
    amy.close()  # and stops (or dies) with it queued
    smtp_server.start()
    assert _run(ben) == 0  # amy holds the claim: ben leaves it to her
    ben.open()
    assert ReportMail.get().state == "other_desk" and "amy" in ReportMail.get().detail
    assert _run(amy) == 1  # back: amy sends it
    assert _run(ben) == 0 and _run(amy) == 0
    assert len(smtp_server.inbox.messages) == 1


def test_a_team_desk_that_cannot_reach_the_team_database_waits(clients,
                                                               smtp_server):  # noqa: F811
    amy, _ben = _team_with_a_schedule(clients, smtp_server)
    amy.open()  # the team database is down (amy's settings point where none listens)
    set_meta("remote", replace(amy.team.settings(amy.login), port=free_port()).to_json())
    watch_pass(amy.session)
    report = send_queued(amy.session, retry_now=True)
    assert (report.sent, report.waiting) == (0, 1)
    assert "no other desk sends it" in report.problem
    assert smtp_server.inbox.messages == []


def test_satisfaction_merges_across_desks_the_later_answer_wins(clients, team_db):
    amy, ben, number = _two_desks(clients)
    amy.open()
    workflow.resolve(amy.session, number, "permanent", "fixed", "Restarted the VPN",
                     knowledge="not_needed", problem_decision="not_needed")
    amy.sync()
    ben.open()
    ben.sync()
    amy.open()
    workflow.confirm(amy.session, number, score=2, comment="Took all day")
    amy.later()
    ben.open()
    record_satisfaction(ben.session, number, 5)  # no comment: never amy's with ben's score
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(number)
        assert (ticket.satisfaction_score, ticket.satisfaction_comment,
                ticket.satisfaction_source) == (5, None, "technician"), \
            desk.name
        assert ticket.confirmation == "confirmed"
