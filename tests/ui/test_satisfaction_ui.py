"""The user's satisfaction in the window: asked (optionally) when the user confirms,
recorded later with "Record satisfaction…", shown on the ticket's header."""

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.ui.ticket_header import satisfaction_text
from tests.conftest import new_ticket
from tests.ui.conftest import open_dialog, settle, submit


def _shown_resolved(qtbot, worker, window, session, close: bool = False) -> str:
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "config", "Replaced the token",
                     knowledge="not_needed", problem_decision="not_needed")
    if close:
        workflow.confirm(session, number)
        workflow.close(session, number)
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    return number


def test_the_confirmation_asks_for_score_and_comment(qtbot, worker, window, session):
    number = _shown_resolved(qtbot, worker, window, session)
    header = window.view.header
    assert not header.satisfaction.isVisibleTo(window)
    dialog = open_dialog(qtbot, worker, window, "confirm")
    assert dialog.inputs["score"].currentData() is None  # optional: "(not asked)"
    submit(qtbot, worker, dialog, score=4, comment="Quick and friendly")
    assert not dialog.isVisible()
    stored = ticket_by_number(number)
    assert (stored.confirmation, stored.satisfaction_score, stored.satisfaction_comment,
            stored.satisfaction_source) == ("confirmed", 4, "Quick and friendly", "technician")
    assert header.satisfaction.isVisibleTo(window)
    text = header.satisfaction.text()
    assert "★★★★☆" in text and "4/5 — Quick and friendly" in text
    assert "told to a technician" in text


def test_a_refused_answer_keeps_the_dialog_and_changes_nothing(qtbot, worker, window,
                                                                session):
    number = _shown_resolved(qtbot, worker, window, session)
    dialog = open_dialog(qtbot, worker, window, "confirm")
    submit(qtbot, worker, dialog, comment="A comment without a score")
    assert dialog.isVisible()
    assert "score" in dialog.error.text()
    assert ticket_by_number(number).confirmation is None
    submit(qtbot, worker, dialog, score=5, comment="x" * 2001)
    assert dialog.isVisible() and "comment" in dialog.error.text()
    assert ticket_by_number(number).satisfaction_score is None
    dialog.reject()


def test_record_satisfaction_on_a_closed_ticket_replaces_the_answer(qtbot, worker, window,
                                                                    session):
    number = _shown_resolved(qtbot, worker, window, session, close=True)
    dialog = open_dialog(qtbot, worker, window, "record_satisfaction")
    submit(qtbot, worker, dialog, score=2, comment="Took three days")
    assert ticket_by_number(number).satisfaction_score == 2
    again = open_dialog(qtbot, worker, window, "record_satisfaction")
    assert again.inputs["score"].currentData() == 2  # the recorded answer, to change
    assert again.inputs["comment"].toPlainText() == "Took three days"
    submit(qtbot, worker, again, score=5, comment="")
    assert (ticket_by_number(number).satisfaction_score,
            ticket_by_number(number).satisfaction_comment) == (5, None)
    assert "5/5" in window.view.header.satisfaction.text()


def test_record_satisfaction_is_not_offered_on_an_open_ticket(qtbot, worker, window,
                                                              session):
    number = log_ticket(session, new_ticket()).number
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    assert not window.view.ticket_actions["record_satisfaction"].isVisible()
    assert "resolved or closed" in window.view.data["actions"]["record_satisfaction"]


def test_the_answer_reads_with_its_source_and_time():
    assert satisfaction_text({"score": 3, "comment": None, "source": "mail",
                              "at": "2026-11-24T08:30:00+00:00"}) == \
        "★★★☆☆ 3/5 · by mail, 24 Nov 2026 08:30"
    assert satisfaction_text(None) == ""
