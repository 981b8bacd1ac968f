"""Outgoing mail end to end against a real SMTP server (aiosmtpd on 127.0.0.1): what a
ticket's life queues, that each mail is sent once with a worklog entry, and that a
server problem keeps the mail queued with a clear reason."""

import keyring
import keyring.backends.fail
import pytest
from peewee import SQL

from desk_app.core.errors import Refused
from desk_app.services import mail_out, workflow
from desk_app.services.admin import change_policy
from desk_app.services.intake import log_ticket
from desk_app.services.mail_sender import mail_queue, retry_delay, send_queued
from desk_app.services.mail_settings import (
    MailServerProblem,
    check_smtp,
    set_desk_sending,
    set_smtp,
    smtp_password,
)
from desk_app.storage.models import MailMessage, MailOutcome, Technician, Ticket, Worklog
from tests.conftest import new_ticket
from tests.mail_server import (  # noqa: F401
    LOGIN,
    PASSWORD,
    free_port,
    smtp_server,
    start_server,
    starttls_server,
    tls_server,
)


def use_server(session, server, login: str = "", password: str | None = None) -> None:
    set_smtp(session, {"host": server.host, "port": server.port, "security": server.security,
                       "login": login, "from_address": "desk@example.com",
                       "from_name": "IT Service Desk", "reply_to": "support@example.com"},
             password=password)


def life_of_a_ticket(session, clock) -> str:
    """Log, assign, wait for the user, resolve, close: the mails a reporter gets."""
    number = log_ticket(session, new_ticket()).number
    workflow.assign(session, number, technician="alice")
    clock.advance(minutes=5)
    workflow.hold(session, number, "awaiting_user", note="asked for the error text")
    clock.advance(minutes=30)
    workflow.resume(session, number)
    workflow.resolve(session, number, "permanent", "config", "Reinstalled the VPN client",
                     knowledge="not_needed", problem_decision="not_needed")
    clock.advance(days=5)
    workflow.confirm(session, number)
    workflow.close(session, number)
    return number


def test_a_tickets_life_sends_each_mail_once_with_a_worklog_entry(
        session, clock, smtp_server):  # noqa: F811
    use_server(session, smtp_server)
    number = life_of_a_ticket(session, clock)
    assert [m.event for m in MailMessage.select().order_by(MailMessage.at, SQL("rowid"))] == [
        "logged", "assigned", "awaiting_user", "resolved", "closed"]
    report = send_queued(session)
    assert (report.sent, report.failed, report.waiting) == (5, 0, 0)
    assert send_queued(session).sent == 0  # nothing twice
    inbox = smtp_server.inbox
    assert len(inbox.messages) == 5
    assert all(f"[{number}]" in subject for subject in inbox.subjects())
    assert {to for _, tos in inbox.envelopes for to in tos} == {"bob@example.com"}
    alice = Technician.get(Technician.login == "alice")
    assert f"{number} is now with {alice.name}." in inbox.messages[1].get_content()
    resolved = inbox.messages[3]
    assert 'write "yes" on the first line' in resolved.get_content()
    assert "Reinstalled the VPN client" in resolved.get_content()
    assert "number 1-5" in inbox.messages[4].get_content()
    assert resolved["Reply-To"] == "support@example.com"
    assert resolved["In-Reply-To"] == inbox.messages[0]["Message-ID"]
    assert resolved["Auto-Submitted"] == "auto-generated"
    ticket = Ticket.get(Ticket.number == number)
    assert resolved["Message-ID"].endswith(f".{ticket.id}@example.com>")
    emails = [w.note for w in Worklog.select().where(Worklog.kind == "email")]
    assert sorted(note.split(" (")[0] for note in emails) == sorted(
        f"email to reporter: {event}"
        for event in ("logged", "assigned", "awaiting user", "resolved", "closed"))
    assert [m.state for m in mail_queue(session, everything=True)] == ["sent"] * 5


def test_threading_headers_go_out_as_plain_message_ids(session, clock,
                                                       smtp_server):  # noqa: F811
    """Mail clients thread by In-Reply-To and References: a Message-ID longer than a
    line must not be folded into encoded words there (the stdlib does that for headers
    it does not know as ids)."""
    use_server(session, smtp_server)
    life_of_a_ticket(session, clock)
    send_queued(session)
    first, *later = smtp_server.inbox.messages
    wanted = first["Message-ID"]
    assert len(wanted) > 78
    for message in later:
        raw = {name: " ".join(value.split()) for name, value in message.raw_items()}
        assert raw["In-Reply-To"] == wanted and raw["References"] == wanted


def test_a_ticket_opened_by_mail_tells_the_reporter_its_number_in_the_thread(
        session, smtp_server):  # noqa: F811
    from desk_app.services.mail_in import import_bytes

    use_server(session, smtp_server)
    data = (b"From: Bob <bob@example.com>\r\nTo: support@example.com\r\n"
            b"Subject: Printer jams\r\nMessage-ID: <printer-1@mail.example.com>\r\n"
            b"\r\nThe printer jams.\r\n")
    number = import_bytes(session, data).number
    assert send_queued(session).sent == 1
    [ack] = smtp_server.inbox.messages
    assert ack["To"] == "bob@example.com" and f"[{number}]" in ack["Subject"]
    assert f"logged as {number}" in ack.get_content()
    raw = {name: " ".join(value.split()) for name, value in ack.raw_items()}
    assert raw["In-Reply-To"] == raw["References"] == "<printer-1@mail.example.com>"


@pytest.mark.parametrize("why", ["no address", "do not email", "event off",
                                 "desk off", "no server"])
def test_no_mail_when_it_is_not_due(session, smtp_server, why):  # noqa: F811
    if why != "no server":
        use_server(session, smtp_server)
    form = {"contact": "call 555-0100", "reporter": "Bob"} if why == "no address" else {}
    if why == "event off":
        change_policy(session, {"mail": {**session.policy.sections["mail"],
                                         "templates": {"logged": {"enabled": False}}}})
    if why == "desk off":
        set_desk_sending(False)
    number = log_ticket(session, new_ticket(**form)).number
    if why == "do not email":
        from desk_app.services.updates import save_edits

        MailMessage.delete().execute()  # the logging mail went before the switch
        save_edits(session, number, {"no_email": "yes"})
        assert Ticket.get(Ticket.number == number).no_email is True
        workflow.assign(session, number, technician="alice")
        workflow.hold(session, number, "awaiting_user")
    assert MailMessage.select().count() == 0


def test_the_reporter_address_may_be_in_the_reporter_field(session, smtp_server):  # noqa: F811
    use_server(session, smtp_server)
    log_ticket(session, new_ticket(contact="ext 4411", reporter="Bob <bob@example.org>"))
    assert MailMessage.get().recipient == "bob@example.org"


def test_starttls_with_login_from_the_keyring(session, starttls_server,  # noqa: F811
                                              memory_keyring):
    use_server(session, starttls_server, login=LOGIN, password=PASSWORD)
    assert list(memory_keyring.passwords.values()) == [PASSWORD]
    log_ticket(session, new_ticket())
    context = starttls_server.client_context
    assert "logged in as" in check_smtp(session, context)
    assert send_queued(session, context).sent == 1
    assert len(starttls_server.inbox.messages) == 1


def test_implicit_tls(session, tls_server, memory_keyring):  # noqa: F811
    use_server(session, tls_server, login=LOGIN, password=PASSWORD)
    log_ticket(session, new_ticket())
    assert send_queued(session, tls_server.client_context).sent == 1


def test_an_untrusted_certificate_keeps_the_mail_queued(session, starttls_server,  # noqa: F811
                                                        memory_keyring):
    use_server(session, starttls_server, login=LOGIN, password=PASSWORD)
    log_ticket(session, new_ticket())
    report = send_queued(session)  # the system's trust: our throwaway CA is not in it
    assert report.waiting == 1 and "TLS check" in report.problem


def test_a_wrong_password_keeps_the_mail_queued_with_a_clear_message(
        session, clock, starttls_server, memory_keyring):  # noqa: F811
    use_server(session, starttls_server, login=LOGIN, password="wrong")
    log_ticket(session, new_ticket())
    report = send_queued(session, starttls_server.client_context)
    assert (report.sent, report.waiting) == (0, 1)
    assert f"refused the login {LOGIN} (wrong password?)" in report.problem
    [queued] = mail_queue(session)
    assert queued.state == "queued" and "1 tries" in queued.detail
    assert "wrong password" in queued.detail
    # not retried before its time, then sent once the password is right
    use_server(session, starttls_server, login=LOGIN, password=PASSWORD)
    assert send_queued(session, starttls_server.client_context).sent == 0
    clock.advance(minutes=1)
    assert send_queued(session, starttls_server.client_context).sent == 1
    assert MailOutcome.get().outcome == "sent"


def test_an_unreachable_server_then_a_desk_back_online_sends(session, clock):
    port = free_port()
    set_smtp(session, {"host": "127.0.0.1", "port": port, "security": "none",
                       "from_address": "desk@example.com"})
    number = log_ticket(session, new_ticket()).number
    for _ in range(3):  # offline for days: every try fails, nothing is lost
        report = send_queued(session)
        assert report.waiting == 1 and "unreachable" in report.problem
        clock.advance(days=1)
    workflow.assign(session, number, technician="alice")
    server = start_server("none", port=port)
    try:
        report = send_queued(session)
        assert (report.sent, report.waiting) == (2, 0)
        assert [s.split("]")[0] for s in server.inbox.subjects()] == [f"[{number}"] * 2
    finally:
        server.stop()


def test_a_refused_recipient_fails_for_good_with_the_reason(session, smtp_server):  # noqa: F811
    smtp_server.inbox.refused.add("gone@example.com")
    use_server(session, smtp_server)
    number = log_ticket(session, new_ticket(contact="gone@example.com")).number
    log_ticket(session, new_ticket())
    report = send_queued(session)
    assert (report.sent, report.failed, report.waiting) == (1, 1, 0)
    failed = [m for m in mail_queue(session, everything=True) if m.state == "failed"]
    assert [(m.number, m.recipient) for m in failed] == [(number, "gone@example.com")]
    assert "550" in failed[0].detail and "no such mailbox" in failed[0].detail
    assert send_queued(session, retry_now=True).failed == 0  # never retried
    assert Worklog.select().where(Worklog.note.contains("not sent")).count() == 1


def test_major_update_queues_a_mail_with_the_update(session, smtp_server):  # noqa: F811
    use_server(session, smtp_server)
    number = log_ticket(session, new_ticket()).number
    mail = mail_out.queue_major_update(session, number, "Failover done; VPN back at 10:40")
    assert mail.event == "major_update" and "Failover done" in mail.body
    send_queued(session)
    assert "Major incident update" in smtp_server.inbox.subjects()[-1]


def test_no_keyring_refuses_the_password_and_changes_nothing(session, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    before = session.policy.sections["mail"]
    try:
        with pytest.raises(Refused, match="DESK_APP_SMTP_PASSWORD"):
            set_smtp(session, {"host": "smtp.example.com", "login": "desk",
                               "from_address": "desk@example.com"}, password="pw")
        assert session.policy.sections["mail"] == before  # nothing was stored
        monkeypatch.setenv("DESK_APP_SMTP_PASSWORD", "from-env")
        assert smtp_password(mail_out.mail_policy(session).smtp) == "from-env"
    finally:
        keyring.set_keyring(previous)


def test_plain_text_to_another_computer_is_refused(session):
    with pytest.raises(Refused, match=r"smtp\.security.*127\.0\.0\.1"):
        set_smtp(session, {"host": "smtp.example.com", "security": "none",
                           "from_address": "desk@example.com"})


def test_no_server_set_is_a_clear_problem(session):
    with pytest.raises(MailServerProblem, match="no mail server is set"):
        check_smtp(session)


def test_retry_delay_grows_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]


def test_one_sender_at_a_time_on_a_desk(session, smtp_server):  # noqa: F811
    from desk_app.services.mail_sender import release_lease, take_lease

    use_server(session, smtp_server)
    log_ticket(session, new_ticket())
    assert take_lease("other process")  # the window's round, say
    report = send_queued(session)
    assert (report.sent, report.waiting) == (0, 1) and "another desk-app" in report.problem
    release_lease("other process")
    assert send_queued(session).sent == 1
    assert take_lease("next")  # given back after the round


def test_a_refused_sender_keeps_every_mail_queued(session, smtp_server):  # noqa: F811
    smtp_server.inbox.refused_senders.add("desk@example.com")
    use_server(session, smtp_server)
    log_ticket(session, new_ticket())
    log_ticket(session, new_ticket())
    report = send_queued(session)
    assert (report.sent, report.failed, report.waiting) == (0, 0, 2)
    assert "refused the sender desk@example.com: 553" in report.problem
    smtp_server.inbox.refused_senders.clear()
    assert send_queued(session, retry_now=True).sent == 2


def test_content_refused_for_good_fails_and_for_now_waits(session, smtp_server):  # noqa: F811
    use_server(session, smtp_server)
    log_ticket(session, new_ticket())
    smtp_server.inbox.data_answer = "451 4.3.0 try again later"
    report = send_queued(session)
    assert report.waiting == 1 and "answered 451" in report.problem
    smtp_server.inbox.data_answer = "554 5.6.0 message refused"
    report = send_queued(session, retry_now=True)
    assert (report.failed, report.waiting) == (1, 0)
    [failed] = mail_queue(session, everything=True)
    assert failed.state == "failed" and "554" in failed.detail
