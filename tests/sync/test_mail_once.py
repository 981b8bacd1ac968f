"""Mail to a reporter goes out once across a team: only the desk that performed the
activity sends it, the sent mark syncs (through a real PostgreSQL), and a desk that
did not reach the team for a while still sends what it queued."""

from desk_app.services import workflow
from desk_app.services.admin import change_policy
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.mail_sender import mail_queue, send_queued
from desk_app.storage.models import MailMessage, MailOutcome, Worklog
from tests.conftest import new_ticket
from tests.mail_server import smtp_server  # noqa: F401


def _mail_policy(server) -> dict:
    return {"smtp": {"host": server.host, "port": server.port, "security": "none",
                     "from_address": "desk@example.com", "reply_to": "support@example.com"}}


def test_two_desks_send_each_mail_once(clients, smtp_server):  # noqa: F811
    boss = clients("boss", login="admin_ada")
    boss.open()
    change_policy(boss.session, {"mail": _mail_policy(smtp_server),  # auto-close at once
                                 "lifecycle": {"reopen_window_days": 5,
                                               "auto_close_grace_days": 0}})
    boss.sync()
    amy, ben = clients("amy"), clients("ben")
    for desk in (amy, ben):
        desk.open()
        desk.sync()

    amy.open()
    number = log_ticket(amy.session, new_ticket()).number
    amy.sync()  # the queued mail reaches the team before amy sends it
    ben.open()
    ben.sync()
    assert [m.state for m in mail_queue(ben.session, everything=True)] == ["other desk"]
    assert send_queued(ben.session).sent == 0  # not ben's to send
    amy.open()
    assert send_queued(amy.session).sent == 1
    amy.sync()

    ben.open()
    ben.sync()
    assert [m.state for m in mail_queue(ben.session, everything=True)] == ["sent"]
    workflow.resolve(ben.session, number, "permanent", "config", "Replaced the token",
                     knowledge="not_needed", problem_decision="not_needed")
    ben.sync()
    amy.open()
    amy.sync()
    assert send_queued(amy.session, retry_now=True).sent == 0  # ben's resolution mail
    ben.open()
    assert send_queued(ben.session).sent == 1
    ben.sync()

    # the auto-close runs on every desk alike: its mail goes to the resolution's sender
    amy.open()
    amy.sync()
    housekeeping(amy.session)
    assert send_queued(amy.session, retry_now=True).sent == 0
    amy.sync()
    ben.open()
    housekeeping(ben.session)  # before ben hears of amy's closure: the same mail
    ben.sync()
    assert send_queued(ben.session).sent == 1
    ben.sync()
    amy.open()
    amy.sync()

    subjects = smtp_server.inbox.subjects()
    assert len(subjects) == 3 and all(f"[{number}]" in s for s in subjects)
    assert "Closed" in subjects[-1]
    for desk in (amy, ben):
        desk.open()
        assert MailMessage.select().count() == 3
        assert MailOutcome.select().where(MailOutcome.outcome == "sent").count() == 3
        assert Worklog.select().where(Worklog.kind == "email").count() == 3
        assert send_queued(desk.session, retry_now=True).sent == 0


def test_a_desk_offline_for_days_sends_on_return(clients, smtp_server):  # noqa: F811
    boss = clients("boss", login="admin_ada")
    boss.open()
    change_policy(boss.session, {"mail": _mail_policy(smtp_server)})
    boss.sync()
    kim = clients("kim")
    kim.open()
    kim.sync()
    smtp_server.stop()  # kim goes offline: neither the team nor the mail server
    number = log_ticket(kim.session, new_ticket()).number
    workflow.hold(kim.session, number, "awaiting_user")
    assert send_queued(kim.session).waiting == 2
    smtp_server.start()  # back: "send now" (the timer's later tries are test_mail_out's)
    assert send_queued(kim.session, retry_now=True).sent == 2
    kim.sync()
    boss.open()
    boss.sync()
    assert MailMessage.select().count() == 2
    assert MailOutcome.select().count() == 2
    assert send_queued(boss.session, retry_now=True).sent == 0
    assert len(smtp_server.inbox.messages) == 2
