"""Polling a real IMAP server (pymap on 127.0.0.1, STARTTLS)."""

import pytest

from desk_app.core.errors import InvalidValue, PermissionDenied
from desk_app.services.imap_settings import (
    ImapSettings,
    checked_settings,
    imap_password,
    imap_settings,
    save_imap,
)
from desk_app.services.lookup import ticket_by_number
from desk_app.services.mail_poll import MailboxUnavailable, check_mailbox, poll_once
from desk_app.storage.models import Ticket
from tests.imap_server import PASSWORD, USER, free_port


@pytest.fixture(autouse=True)
def _keyring(memory_keyring):
    return memory_keyring


def settings_for(imap, **overrides) -> ImapSettings:
    values = {"host": "127.0.0.1", "port": imap.port, "login": USER,
              "security": "starttls", "ca_file": str(imap.ca_file), "poll_seconds": 60}
    return checked_settings(values | overrides)


def mail(n: int, extra: str = "") -> bytes:
    return (f"From: User {n} <user{n}@example.com>\r\nTo: {USER}\r\nSubject: Problem {n}\r\n"
            f"Message-ID: <poll-{n}@example.com>\r\n{extra}\r\nSomething broke ({n}).\r\n"
            ).encode()


def test_settings_are_checked_and_the_password_goes_to_the_keyring(session, imap,
                                                                    memory_keyring):
    with pytest.raises(InvalidValue, match="security: 'plain'"):
        settings_for(imap, security="plain")
    with pytest.raises(InvalidValue, match="poll_seconds"):
        settings_for(imap, poll_seconds=5)
    with pytest.raises(InvalidValue, match="host: is required"):
        checked_settings({"login": "x"})
    settings = settings_for(imap)
    save_imap(session, settings, PASSWORD)
    assert imap_settings() == settings
    assert imap_password(settings) == PASSWORD
    assert PASSWORD not in str(memory_keyring.passwords.keys())
    from desk_app.storage.meta import get_meta

    assert PASSWORD not in get_meta("imap")


def test_only_administrators_set_the_mailbox(session, imap):
    from desk_app.services import admin
    from desk_app.services.lookup import technician_by_login

    admin.add_technician(session, "kim", "Kim", "service_desk", "Service Desk")
    session.act_as(technician_by_login("kim"))
    with pytest.raises(PermissionDenied):
        save_imap(session, settings_for(imap), PASSWORD)


def test_poll_imports_unread_mail_and_marks_it_read_after_commit(session, imap):
    save_imap(session, settings_for(imap), PASSWORD)
    imap.deliver(mail(1), mail(2), mail(3, "Auto-Submitted: auto-replied\r\n"))
    report = poll_once(session, release=True)
    assert report.polled and report.reason is None
    assert sorted(o.outcome for o in report.outcomes) == ["ignored", "new", "new"]
    assert {ticket_by_number(o.number).summary for o in report.outcomes
            if o.outcome == "new"} == {"Problem 1", "Problem 2"}
    assert imap.unread() == 0 and imap.seen() == 3
    assert poll_once(session).outcomes == []  # nothing unread is left


def test_a_message_seen_again_is_a_duplicate(session, imap):
    save_imap(session, settings_for(imap), PASSWORD)
    imap.deliver(mail(1))
    poll_once(session)
    imap.deliver(mail(1))  # the same Message-ID delivered twice
    report = poll_once(session)
    assert [o.outcome for o in report.outcomes] == ["duplicate"]
    assert Ticket.select().count() == 1 and imap.unread() == 0


def test_a_refused_message_stays_unread(session, imap):
    save_imap(session, settings_for(imap), PASSWORD)
    imap.deliver(b"Subject: no sender\r\nMessage-ID: <ns@x>\r\n\r\nbody\r\n", mail(2))
    report = poll_once(session)
    assert [o.outcome for o in report.outcomes] == ["refused", "new"]
    assert report.left_unread == 1 and imap.unread() == 1
    assert "1 left unread" in report.summary()


def test_processed_mail_can_be_moved_to_a_folder(session, imap):
    with imap.client() as box:
        if not box.folder.exists("Imported"):
            box.folder.create("Imported")
    save_imap(session, settings_for(imap, processed_folder="Imported"), PASSWORD)
    imap.deliver(mail(1))
    assert poll_once(session).outcomes[0].outcome == "new"
    with imap.client() as box:
        box.folder.set("Imported")
        assert len(box.uids()) == 1


def test_wrong_password_says_so_and_leaves_the_mail_unread(session, imap):
    save_imap(session, settings_for(imap), "wrong")
    imap.deliver(mail(1))
    report = poll_once(session)
    assert not report.polled
    assert report.reason == (f"password: 127.0.0.1:{imap.port} refused the login {USER}: "
                             "wrong login or password")
    assert imap.unread() == 1 and Ticket.select().count() == 0
    with pytest.raises(MailboxUnavailable, match="wrong login or password"):
        check_mailbox()


def test_an_unreachable_server_says_so(session, imap):
    settings = settings_for(imap, port=free_port())
    save_imap(session, settings, PASSWORD)
    report = poll_once(session)
    assert not report.polled and report.reason.startswith(
        f"imap: cannot reach 127.0.0.1:{settings.port}")


def test_an_untrusted_certificate_is_refused(session, imap):
    save_imap(session, settings_for(imap, ca_file=""), PASSWORD)
    report = poll_once(session)
    assert not report.polled
    assert report.reason.startswith(f"imap: TLS with 127.0.0.1:{imap.port} failed"), \
        report.reason


def test_check_mailbox_counts_unread(session, imap):
    save_imap(session, settings_for(imap), PASSWORD)
    imap.deliver(mail(1), mail(2))
    assert check_mailbox().endswith("reachable, 2 unread message(s)")
