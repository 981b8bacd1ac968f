"""Incoming mail becomes tickets and worklog entries, once."""

from datetime import timedelta
from pathlib import Path

import pytest

from desk_app.core.mail_ids import message_id
from desk_app.services import workflow
from desk_app.services.lookup import ticket_by_number
from desk_app.services.mail_in import import_bytes, import_files
from desk_app.services.queues import queue_filter
from desk_app.storage.models import History, Link, MailImport, Outbox, Ticket, Worklog
from desk_app.storage.ticket_queries import count_tickets

MAIL = Path(__file__).parents[1] / "data" / "mail"


def mail(subject="Printer jams", body="The printer jams.", sender="Bob <bob@example.com>",
         msgid="<m1@example.com>", headers="") -> bytes:
    return (f"From: {sender}\r\nTo: helpdesk@example.org\r\nSubject: {subject}\r\n"
            f"Message-ID: {msgid}\r\nDate: Mon, 23 Nov 2026 08:00:00 +0000\r\n{headers}"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def counts():
    return (Ticket.select().count(), Worklog.select().count(), History.select().count(),
            MailImport.select().count(), Outbox.select().count())


def test_a_new_message_opens_an_email_ticket_needing_triage(session):
    outcome = import_bytes(session, (MAIL / "alternative.eml").read_bytes(), "a.eml")
    assert (outcome.outcome, outcome.number) == ("new", "INC-000001")
    ticket = ticket_by_number("INC-000001")
    assert ticket.channel == "email" and ticket.status == "new"
    assert ticket.reporter == "Smith, Bob" and ticket.contact == "bob.smith@example.com"
    assert ticket.summary == "Printer on 3rd floor jams every page"
    assert "jams on every page" in ticket.description
    assert (ticket.impact, ticket.urgency, ticket.priority) == ("medium", "medium", "P3")
    assert count_tickets(queue_filter(session, "needs_triage")) == 1
    workflow.start_work(session, "INC-000001")
    assert count_tickets(queue_filter(session, "needs_triage")) == 0
    assert outcome.text == "a.eml: new ticket INC-000001"


def test_mailbox_defaults_come_from_the_policy(session):
    from desk_app.services.admin import change_policy

    change_policy(session, {"mailboxes": [
        {"address": "helpdesk@example.org", "impact": "high", "urgency": "high",
         "service": "Printing", "category": "Hardware", "subcategory": "Printer"},
        {"address": "*", "impact": "low", "urgency": "low"}]})
    import_bytes(session, mail())
    ticket = ticket_by_number("INC-000001")
    assert (ticket.impact, ticket.urgency, ticket.service, ticket.category) == \
        ("high", "high", "Printing", "Hardware")
    other = mail(msgid="<m2@x>").replace(b"helpdesk@", b"facilities@")
    import_bytes(session, other)
    assert ticket_by_number("INC-000002").impact == "low"
    import_bytes(session, other.replace(b"<m2@x>", b"<m3@x>"), mailbox="helpdesk@example.org")
    assert ticket_by_number("INC-000003").impact == "high"  # the polled mailbox's entry


def test_the_mailboxes_section_is_validated(session):
    from desk_app.core.errors import InvalidValue
    from desk_app.services.admin import change_policy

    with pytest.raises(InvalidValue) as err:
        change_policy(session, {"mailboxes": [{"address": "*", "impact": "huge"}]})
    assert "mailboxes[0].impact" in str(err.value)
    with pytest.raises(InvalidValue, match="listed twice"):
        change_policy(session, {"mailboxes": [{"address": "*"}, {"address": "*"}]})


def test_the_same_message_is_imported_once(session):
    assert import_bytes(session, mail()).outcome == "new"
    before = counts()
    again = import_bytes(session, mail())
    assert (again.outcome, again.number) == ("duplicate", "INC-000001")
    assert counts() == before


def test_auto_replies_and_bounces_change_nothing(session):
    import_bytes(session, mail())
    before = counts()
    for name in ("auto_reply.eml", "bounce.eml", "list_mail.eml"):
        assert import_bytes(session, (MAIL / name).read_bytes()).outcome == "ignored"
    loop = mail(subject="Re: [INC-000001] Printer jams", msgid="<oof@x>",
                headers="Auto-Submitted: auto-replied\r\n")
    assert import_bytes(session, loop).outcome == "ignored"
    assert counts() == before


def test_refused_messages_say_why_and_change_nothing(session, tmp_path):
    before = counts()
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    msg = tmp_path / "old.msg"
    msg.write_bytes(b"\xd0\xcf\x11\xe0")
    outcomes = import_files(session, [empty, msg, tmp_path / "missing.eml",
                                      MAIL / "no_headers.eml"])
    assert [o.outcome for o in outcomes] == ["refused"] * 4
    assert "empty" in outcomes[0].reason and ".eml" in outcomes[1].reason
    assert "No such file" in outcomes[2].reason
    assert outcomes[3].reason == "from: the message has no sender address"
    assert counts() == before


def reply(number="INC-000001", body="Thanks", msgid="<r1@example.com>", **kw):
    return mail(subject=f"RE: [{number}] Printer jams", body=body, msgid=msgid, **kw)


def test_a_reply_by_subject_tag_becomes_an_email_worklog_entry(session):
    import_bytes(session, mail())
    outcome = import_bytes(session, reply(body="More detail:\n\nOn Mon x wrote:\n> old"))
    assert (outcome.outcome, outcome.number, outcome.action) == \
        ("reply", "INC-000001", "worklog")
    entry = Worklog.get(Worklog.kind == "email")
    assert entry.note == "Email from Bob <bob@example.com>: RE: [INC-000001] Printer jams" \
                         "\n\nMore detail:"


def test_a_reply_found_by_our_message_id_in_references(session):
    import_bytes(session, mail())
    ticket = ticket_by_number("INC-000001")
    ours = message_id(ticket.id, "resolved", "k", "example.org")
    outcome = import_bytes(session, mail(subject="Re: lost the number", msgid="<r2@x>",
                                         headers=f"References: <a@b> {ours}\r\n"))
    assert (outcome.outcome, outcome.number) == ("reply", "INC-000001")


def test_a_reply_to_the_original_message_threads_too(session):
    import_bytes(session, mail())
    outcome = import_bytes(session, mail(subject="Also the scanner", msgid="<r3@x>",
                                         headers="In-Reply-To: <m1@example.com>\r\n"))
    assert (outcome.outcome, outcome.number) == ("reply", "INC-000001")


def test_a_reply_resumes_a_ticket_on_hold_awaiting_the_user(session, clock):
    import_bytes(session, mail())
    workflow.start_work(session, "INC-000001")
    workflow.hold(session, "INC-000001", "awaiting_user")
    clock.advance(hours=2)
    outcome = import_bytes(session, reply(body="Here is the log you asked for"))
    assert outcome.action == "resumed"
    ticket = ticket_by_number("INC-000001")
    assert ticket.status == "in_progress" and ticket.sla_stopped_since is None


def test_a_reply_on_hold_for_a_supplier_only_adds_work(session):
    import_bytes(session, mail())
    workflow.start_work(session, "INC-000001")
    workflow.hold(session, "INC-000001", "awaiting_supplier")
    assert import_bytes(session, reply()).action == "worklog"
    assert ticket_by_number("INC-000001").status == "on_hold"


def resolved(session, sender="Bob <bob@example.com>"):
    import_bytes(session, mail(sender=sender))
    workflow.start_work(session, "INC-000001")
    workflow.resolve(session, "INC-000001", "permanent", "fixed", "Replaced the roller")


def test_yes_confirms_the_resolution(session):
    resolved(session, sender="Bob Smith <bob.smith@example.com>")
    outcome = import_bytes(session, (MAIL / "reply_quoted.eml").read_bytes())
    assert outcome.action == "confirmed"
    assert ticket_by_number("INC-000001").confirmation == "confirmed"


def test_anything_else_rejects_and_reopens_with_the_mail_as_reason(session):
    resolved(session)
    outcome = import_bytes(session, reply(body="Still jams on page 2.\n\n> resolved"))
    assert outcome.action == "rejected"
    ticket = ticket_by_number("INC-000001")
    assert ticket.status == "in_progress" and ticket.confirmation is None
    assert ticket.reopen_count == 1
    notes = [w.note for w in Worklog.select().order_by(Worklog.at)]
    assert any("Still jams on page 2. (by email)" in n for n in notes)


def test_a_reply_on_a_closed_ticket_past_the_window_opens_a_linked_one(session, clock):
    resolved(session)
    workflow.confirm(session, "INC-000001")
    workflow.close(session, "INC-000001", knowledge="not_needed",
                   problem_decision="not_needed")
    clock.advance(days=30)
    outcome = import_bytes(session, reply(body="It is back"))
    assert (outcome.outcome, outcome.number, outcome.action) == \
        ("new", "INC-000002", "follow-up")
    link = Link.get()
    assert link.ticket.number == "INC-000002" and link.target.number == "INC-000001"
    assert link.kind == "follows"
    assert ticket_by_number("INC-000001").status == "closed"


def test_a_reply_on_a_closed_ticket_inside_the_window_reopens_it(session, clock):
    resolved(session)
    workflow.confirm(session, "INC-000001")
    workflow.close(session, "INC-000001", knowledge="not_needed",
                   problem_decision="not_needed")
    clock.advance(hours=1)
    assert import_bytes(session, reply(body="Broken again")).action == "reopened"
    assert ticket_by_number("INC-000001").status == "in_progress"


def closed(session):
    resolved(session)
    workflow.confirm(session, "INC-000001")
    workflow.close(session, "INC-000001", knowledge="not_needed",
                   problem_decision="not_needed")


@pytest.mark.parametrize("days", [0, 30])  # inside and past the reopen window
def test_a_satisfaction_score_answering_the_closure_mail_is_noted_not_a_reopen(
        session, clock, days):
    closed(session)
    clock.advance(days=days, hours=1)
    outcome = import_bytes(session, reply(body="5\n\nOn Mon x wrote:\n> How satisfied"))
    assert (outcome.outcome, outcome.number, outcome.action) == \
        ("reply", "INC-000001", "rated")
    assert ticket_by_number("INC-000001").status == "closed"
    assert Ticket.select().count() == 1
    assert Worklog.get(Worklog.kind == "email").note.startswith("Satisfaction: 5/5")


def test_ids_derive_from_the_message_id(session):
    from desk_app.core.mail_in_ids import ticket_id_for, worklog_id_for

    import_bytes(session, mail())
    import_bytes(session, reply())
    assert ticket_by_number("INC-000001").id == ticket_id_for("<m1@example.com>")
    assert Worklog.get_or_none(Worklog.id == worklog_id_for("<r1@example.com>"))


def test_a_ten_megabyte_attachment(session):
    blob = bytes(range(256)) * (10 * 4096)
    import base64
    encoded = base64.encodebytes(blob).decode()
    data = ("From: a@example.com\r\nSubject: big log\r\nMessage-ID: <big@x>\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain\r\n\r\nlog attached\r\n--b\r\n"
            "Content-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename=\"big.log\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + encoded + "--b--\r\n").encode()
    from desk_app.core.mail_message import parse_message

    [attachment] = parse_message(data).attachments
    assert attachment.data == blob and attachment.name == "big.log"
    outcome = import_bytes(session, data)
    assert outcome.outcome == "new" and outcome.attachments == 1


def test_attachments_of_a_message_are_kept_on_its_ticket(session):
    from desk_app.core.mail_in_ids import attachment_id_for
    from desk_app.core.mail_message import parse_message
    from desk_app.services.attachments import content_path, list_attachments

    data = (MAIL / "inline_image.eml").read_bytes()
    outcome = import_bytes(session, data)
    assert outcome.attachments == 1 and outcome.attachments_skipped == ()
    [image] = parse_message(data).attachments
    [info] = list_attachments(session, outcome.number)
    assert (info.name, info.content_type, info.source) == (image.name, image.content_type,
                                                           "email")
    assert info.id == attachment_id_for(outcome.message_id, 0)
    assert content_path(info.id).read_bytes() == image.data
    assert Outbox.select().where(Outbox.entity == "attachment").exists()  # it syncs
    forwarded = import_bytes(session, (MAIL / "forwarded.eml").read_bytes())
    assert forwarded.attachments == 2
    assert len(list_attachments(session, forwarded.number)) == 2


def test_a_mail_dated_in_the_future_is_detected_now(session, clock):
    import_bytes(session, mail().replace(b"2026", b"2031"))
    assert ticket_by_number("INC-000001").detected_at == clock()
    assert clock() - timedelta(0) == clock()


def test_eight_bit_bytes_in_headers_are_stored_as_text(session):
    data = (b"From: J\xf6rg <joerg@example.com>\r\nSubject: Dr\xfccker\r\n"
            b"Message-ID: <\xff\xfe@example.com>\r\nIn-Reply-To: <\xe9t\xe9@x>\r\n\r\nbody\r\n")
    outcome = import_bytes(session, data)
    assert outcome.outcome == "new" and "\ufffd" in outcome.message_id
    assert import_bytes(session, data).outcome == "duplicate"


def test_a_message_the_parser_fails_on_is_refused_not_raised(session, monkeypatch):
    import desk_app.services.mail_in as mail_in

    def broken(data):
        raise ValueError("a parser fault")

    monkeypatch.setattr(mail_in, "parse_message", broken)
    outcome = import_bytes(session, mail(), "x.eml")
    assert outcome.outcome == "refused" and "could not be read" in outcome.reason
    assert counts() == (0, 0, 0, 0, 0)


def test_at_most_a_hundred_files_of_a_message_are_kept(session):
    from desk_app.services.attachments import list_attachments

    parts = "".join(f"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment;"
                    f" filename=\"f{i}.txt\"\r\n\r\nfile {i}\r\n" for i in range(150))
    data = ("From: a@example.com\r\nSubject: many\r\nMessage-ID: <many@x>\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + parts + "--b--\r\n")
    outcome = import_bytes(session, data.encode())
    assert outcome.outcome == "new" and outcome.attachments == 100
    assert outcome.attachments_skipped == ("50 more files: at most 100 of a message are kept",)
    assert len(list_attachments(session, outcome.number)) == 100
    assert "50 more files" in Worklog.get(Worklog.kind == "email").note


def test_a_reply_from_someone_else_is_kept_but_changes_nothing(session):
    resolved(session)
    outcome = import_bytes(session, reply(body="Not fixed at all", sender="mallory@evil.example"))
    assert outcome.action == "worklog"
    ticket = ticket_by_number("INC-000001")
    assert ticket.status == "resolved" and ticket.confirmation is None
    note = Worklog.select().order_by(Worklog.at.desc()).first().note
    assert "Not fixed at all" in note and "nothing was changed" in note


def test_a_technician_may_answer_for_the_reporter(session):
    from desk_app.storage.models import Technician

    Technician.update(email="Alice@Example.org").where(Technician.login == "alice").execute()
    resolved(session)
    outcome = import_bytes(session, reply(body="Yes, fixed", sender="alice@example.org"))
    assert outcome.action == "confirmed"


def test_a_thank_you_neither_rejects_a_resolution_nor_reopens_a_closed_ticket(session):
    resolved(session)
    outcome = import_bytes(session, reply(body="Thanks!\n\nBob", msgid="<t1@x>"))
    assert outcome.action == "worklog"
    assert ticket_by_number("INC-000001").status == "resolved"
    workflow.confirm(session, "INC-000001")
    workflow.close(session, "INC-000001", knowledge="not_needed",
                   problem_decision="not_needed")
    outcome = import_bytes(session, reply(body="Thank you very much", msgid="<t2@x>"))
    assert outcome.action == "worklog"
    assert ticket_by_number("INC-000001").status == "closed"
