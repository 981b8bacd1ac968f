"""Incoming mail on a team: two desks that import the same message end with one
ticket, one import record and one worklog entry; one desk polls a mailbox at a time."""

import pytest

from desk_app.services.mail_in import import_bytes
from desk_app.storage.models import MailImport, Ticket, Worklog
from tests.sync.conftest import same_as_server, server_copy, synced_copy

NEW = (b"From: Bob <bob@example.com>\r\nTo: helpdesk@example.org\r\nSubject: VPN down\r\n"
       b"Message-ID: <team-1@example.com>\r\n\r\nThe VPN is down.\r\n")


def reply(number: str) -> bytes:
    return (f"From: Bob <bob@example.com>\r\nSubject: Re: [{number}] VPN down\r\n"
            f"Message-ID: <team-2@example.com>\r\n\r\nStill down at noon.\r\n").encode()


def test_two_desks_import_the_same_message_once(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    amy.open()  # both offline: each imports the message the mailbox gave both
    assert import_bytes(amy.session, NEW).outcome == "new"
    ben.open()
    assert import_bytes(ben.session, NEW).outcome == "new"
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    copies = []
    for client in (amy, ben):
        client.open()
        assert Ticket.select().count() == 1
        assert MailImport.select().count() == 1
        copies.append(synced_copy())
    assert copies[0] == copies[1]
    assert same_as_server(copies[0], server_copy(team_db))

    number = Ticket.get().number
    ben.open()
    assert import_bytes(ben.session, reply(number)).outcome == "reply"
    ben.sync()
    amy.open()
    amy.sync()
    assert import_bytes(amy.session, NEW).outcome == "duplicate"
    assert import_bytes(amy.session, reply(number)).outcome == "duplicate"
    assert Worklog.select().where(Worklog.kind == "email").count() == 1


def with_file(message_id: str) -> bytes:
    return (f"From: Bob <bob@example.com>\r\nSubject: Error on screen\r\n"
            f"Message-ID: {message_id}\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain\r\n\r\nSee the log.\r\n--b\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Disposition: attachment; filename=\"vpn.log\"\r\n\r\n"
            "08:52 connect failed\r\n--b--\r\n").encode()


def test_a_mails_file_reaches_the_other_desk_once(clients, team_db):
    from desk_app.services.attachments import content_path, list_attachments
    from desk_app.storage.models import Attachment

    amy, ben = clients("amy"), clients("ben")
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    amy.open()
    outcome = import_bytes(amy.session, with_file("<file-1@example.com>"))
    assert outcome.attachments == 1
    amy.sync()
    ben.open()
    ben.sync()
    [info] = list_attachments(ben.session, outcome.number)
    assert (info.name, info.source, info.here) == ("vpn.log", "email", False)
    assert content_path(info.id).read_bytes() == b"08:52 connect failed"

    amy.open()  # both offline: each imports the message the mailbox gave both
    assert import_bytes(amy.session, with_file("<file-2@example.com>")).attachments == 1
    ben.open()
    assert import_bytes(ben.session, with_file("<file-2@example.com>")).attachments == 1
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    for client in (amy, ben):
        client.open()
        assert Ticket.select().count() == 2
        assert Attachment.select().count() == 2  # one file per ticket, as in the mail


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch):
    monkeypatch.setenv("DESK_APP_IMAP_PASSWORD", "imap-secret")


def test_the_lease_keeps_a_second_desk_from_polling(clients, team_db, imap):
    from desk_app.services.imap_settings import checked_settings
    from desk_app.services.mail_poll import poll_once
    from tests.imap_server import USER

    settings = checked_settings({"host": "127.0.0.1", "port": imap.port, "login": USER,
                                 "security": "starttls", "ca_file": str(imap.ca_file),
                                 "poll_seconds": 60})
    amy, ben = clients("amy"), clients("ben")
    for client in (amy, ben):
        client.open()
        client.sync()
    imap.deliver(NEW)
    amy.open()
    first = poll_once(amy.session, settings)
    assert first.polled and [o.outcome for o in first.outcomes] == ["new"]
    imap.deliver(reply("INC-000001").replace(b"team-2", b"team-3"))
    ben.open()
    second = poll_once(ben.session, settings)
    assert not second.polled
    assert second.reason.startswith("desk of amy polls this mailbox (its lease runs until")
    assert imap.unread() == 1
    amy.open()
    assert poll_once(amy.session, settings, release=True).polled  # renews, then gives up
    imap.deliver(reply("INC-000001").replace(b"team-2", b"team-4"))
    ben.open()
    assert poll_once(ben.session, settings).polled  # the lease was free
    assert team_db.scalar("SELECT holder_login FROM desk.mailbox_lease") == "ben"


def test_a_team_desk_that_cannot_reach_the_team_database_does_not_poll(clients, imap):
    from desk_app.services.imap_settings import checked_settings
    from desk_app.services.mail_poll import poll_once
    from desk_app.storage.meta import set_meta
    from desk_app.sync.remote import RemoteSettings
    from tests.imap_server import USER, free_port

    amy = clients("amy")
    amy.open()
    amy.sync()
    set_meta("remote", RemoteSettings("127.0.0.1", "x", "amy", free_port(),
                                      "disable").to_json())
    imap.deliver(NEW)
    report = poll_once(amy.session, checked_settings({
        "host": "127.0.0.1", "port": imap.port, "login": USER, "security": "starttls",
        "ca_file": str(imap.ca_file)}))
    assert not report.polled and "team database is unreachable" in report.reason
    assert imap.unread() == 1
