"""The user's satisfaction on a ticket: recorded by a technician (alone or with the
confirmation) or from a reply to the closure mail; refusals change nothing."""

from datetime import datetime

import pytest

from desk_app.core.errors import InvalidValue, PermissionDenied, Refused
from desk_app.services import admin, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.mail_in import import_bytes
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.session import Session
from desk_app.storage.models import History, Outbox, Ticket, Worklog

from ..conftest import new_ticket


def snapshot():
    """Every row an activity could write."""
    return (History.select().count(), Worklog.select().count(), Outbox.select().count(),
            [tuple(t) for t in Ticket.select().tuples()])


def resolved(session, **kw) -> str:
    number = log_ticket(session, new_ticket(**kw)).number
    workflow.resolve(session, number, "permanent", "config", "Replaced the token",
                     knowledge="not_needed", problem_decision="not_needed")
    return number


def satisfaction_history(number):
    ticket = ticket_by_number(number)
    return [(h.field, h.old, h.new) for h in History.select().where(
        (History.ticket == ticket.id) & History.field.startswith("satisfaction_score"))
        .order_by(History.at, History.id)]


def test_a_technician_records_the_answer_on_a_resolved_incident(session, clock):
    number = resolved(session)
    ticket = record_satisfaction(session, number, 4, "  Quick and friendly ")
    stored = ticket_by_number(number)
    assert (stored.satisfaction_score, stored.satisfaction_comment,
            stored.satisfaction_source) == (4, "Quick and friendly", "technician")
    assert stored.satisfaction_at == clock()
    assert ticket.satisfaction_score == 4
    assert satisfaction_history(number) == [("satisfaction_score", None, "4")]


def test_a_later_answer_replaces_the_earlier_one_with_history(session, clock):
    number = resolved(session)
    record_satisfaction(session, number, 2, "Took long")
    workflow.confirm(session, number)
    workflow.close(session, number)
    clock.advance(hours=2)
    record_satisfaction(session, number, 5)
    stored = ticket_by_number(number)
    assert (stored.satisfaction_score, stored.satisfaction_comment) == (5, None)
    assert stored.satisfaction_at == clock()
    assert satisfaction_history(number) == [("satisfaction_score", None, "2"),
                                            ("satisfaction_score", "2", "5")]
    comments = History.select().where(History.field == "satisfaction_comment")
    assert [(h.old, h.new) for h in comments] == [(None, "Took long"), ("Took long", None)]


@pytest.mark.parametrize(("score", "comment", "field"), [
    (0, None, "score"), (6, None, "score"), (3.5, None, "score"), (True, None, "score"),
    ("four", None, "score"), (None, None, "score"), (-1, None, "score"),
    (4, "x" * 2001, "comment"),
])
def test_bad_answers_are_refused_naming_the_field_and_change_nothing(
        session, score, comment, field):
    number = resolved(session)
    before = snapshot()
    with pytest.raises(InvalidValue) as err:
        record_satisfaction(session, number, score, comment)
    assert err.value.field == field
    assert snapshot() == before


def test_an_unknown_source_is_refused(session):
    number = resolved(session)
    before = snapshot()
    with pytest.raises(InvalidValue) as err:
        record_satisfaction(session, number, 4, source="phone")
    assert err.value.field == "source"
    assert snapshot() == before


def test_only_resolved_or_closed_incidents_take_an_answer(session):
    open_one = log_ticket(session, new_ticket()).number
    request = resolved(session, type="request")
    before = snapshot()
    with pytest.raises(Refused) as err:
        record_satisfaction(session, open_one, 4)
    assert err.value.field == "status"
    with pytest.raises(Refused) as err:
        record_satisfaction(session, request, 4)
    assert err.value.field == "type"
    assert snapshot() == before


def test_an_inactive_technician_is_refused(session, clock):
    admin.add_group(session, "Night shift", "L1")
    admin.add_technician(session, "sam", "Sam", "support", "Night shift")
    number = resolved(session)
    sam = Session(admin.technician_by_login("sam"), clock)
    record_satisfaction(sam, number, 3)  # every technician may record it
    admin.update_technician(session, "sam", active=False)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        record_satisfaction(sam, number, 5)
    assert snapshot() == before


def test_confirmation_records_score_and_comment_in_the_same_activity(session):
    number = resolved(session)
    outbox_before = Outbox.select().count()
    workflow.confirm(session, number, score=5, comment="Great")
    stored = ticket_by_number(number)
    assert (stored.confirmation, stored.satisfaction_score, stored.satisfaction_comment,
            stored.satisfaction_source) == ("confirmed", 5, "Great", "technician")
    assert Outbox.select().count() > outbox_before


def test_confirmation_without_an_answer_leaves_satisfaction_empty(session):
    number = resolved(session)
    workflow.confirm(session, number)
    stored = ticket_by_number(number)
    assert stored.confirmation == "confirmed" and stored.satisfaction_score is None


@pytest.mark.parametrize(("score", "comment", "field"), [
    (9, None, "score"), (None, "Great", "score"), (4, "y" * 2001, "comment")])
def test_a_refused_answer_refuses_the_whole_confirmation(session, score, comment, field):
    number = resolved(session)
    before = snapshot()
    with pytest.raises(InvalidValue) as err:
        workflow.confirm(session, number, score=score, comment=comment)
    assert err.value.field == field
    assert snapshot() == before
    assert ticket_by_number(number).confirmation is None


def _mail(subject, body, msgid, date="Mon, 23 Nov 2026 08:00:00 +0000") -> bytes:
    return (f"From: Bob <bob@example.com>\r\nTo: helpdesk@example.org\r\n"
            f"Subject: {subject}\r\nMessage-ID: {msgid}\r\nDate: {date}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def test_a_mailed_digit_answering_the_closure_mail_is_recorded(session, clock):
    number = resolved(session)
    workflow.confirm(session, number)
    workflow.close(session, number)
    clock.advance(days=1)
    sent = "Tue, 24 Nov 2026 08:30:00 +0000"
    outcome = import_bytes(session, _mail(f"RE: [{number}] Closed", "4 - quick, thanks\n"
                                          "\nOn Mon x wrote:\n> How satisfied", "<s1@x>",
                                          sent))
    assert (outcome.outcome, outcome.action) == ("reply", "rated")  # not a rejection
    stored = ticket_by_number(number)
    assert stored.status == "closed"
    assert (stored.satisfaction_score, stored.satisfaction_comment,
            stored.satisfaction_source) == (4, "quick, thanks", "mail")
    assert stored.satisfaction_at == datetime.fromisoformat("2026-11-24T08:30:00+00:00")
    assert Worklog.get(Worklog.kind == "email").note.startswith("Satisfaction: 4/5")
    # a second answer replaces it
    import_bytes(session, _mail(f"RE: [{number}] Closed", "2", "<s2@x>", sent))
    assert ticket_by_number(number).satisfaction_score == 2
    assert satisfaction_history(number)[-1] == ("satisfaction_score", "4", "2")


def test_a_mailed_answer_on_a_closed_request_stays_a_worklog_note(session, clock):
    number = resolved(session, type="request")
    workflow.confirm(session, number)
    workflow.close(session, number)
    outcome = import_bytes(session, _mail(f"RE: [{number}] Closed", "5", "<s3@x>"))
    assert outcome.action == "rated"
    assert ticket_by_number(number).satisfaction_score is None
