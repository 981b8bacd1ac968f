"""The suggestions panel: only the newest question is answered while typing; in the
logging form and the ticket view; "This solved it" fills the resolution."""

import threading

from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
from desk_app.services import workflow
from desk_app.services.classification import ticked_items
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.search import Hit
from desk_app.storage.models import KnowledgeArticle, KnowledgeUse
from desk_app.ui.suggestions_panel import SuggestionsPanel
from tests.conftest import new_ticket
from tests.ui.conftest import settle
from tests.ui.test_incident_flow import _fill, _open_form


def _hit(title: str) -> Hit:
    return Hit("article", title, "KB-000001", title, "fix", -1.0, "published")


def _open_suggestions(qtbot, worker, window, number: str):
    """Show ticket ``number`` and open its Suggestions tab; returns the ticket view."""
    window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    view = window.view
    with qtbot.waitSignal(view.suggestions.shown, timeout=10_000):
        view.tabs.setCurrentWidget(view.suggestions_page)
    settle(qtbot, worker)
    return view


def test_only_the_newest_question_is_answered(qtbot, worker):
    panel = SuggestionsPanel(worker)
    qtbot.addWidget(panel)
    gate, asked = threading.Event(), []
    worker.submit(gate.wait)  # the database thread is busy while the person types

    def question(text: str):
        def work():
            asked.append(text)
            return [_hit(text)]
        return work

    shown = []
    panel.shown.connect(shown.append)
    for text in ("o", "ou", "out"):
        panel.ask(question(text))
    gate.set()
    settle(qtbot, worker)
    assert asked == ["out"]  # the stale two never reached the database
    assert [[h.title for h in hits] for hits in shown] == [["out"]]
    assert panel.dropped == 2 and panel.list.count() == 1


def test_a_late_answer_to_an_older_question_is_dropped(qtbot, worker):
    panel = SuggestionsPanel(worker)
    qtbot.addWidget(panel)
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return [_hit("old")]

    panel.ask(slow)
    assert started.wait(5)  # the first question is running already
    panel.ask(lambda: [_hit("new")])
    release.set()
    settle(qtbot, worker)
    assert [h.title for h in panel.hits] == ["new"] and panel.dropped == 1


def _published(title: str, solution: str) -> KnowledgeArticle:
    return KnowledgeArticle.create(number="KB-000001", title=title, symptoms="",
                                   cause="", solution=solution, status="published",
                                   author="alice", created_at=0, updated_at=0)


def test_logging_form_shows_suggestions_and_records_what_solved_it(qtbot, worker, window,
                                                                   session):
    _published("VPN drops every few minutes", "Turn off the adapter's power saving.")
    form = _open_form(qtbot, worker, window)
    with qtbot.waitSignal(form.suggestions.shown, timeout=10_000,
                          check_params_cb=lambda hits: bool(hits)):
        _fill(form)
    assert form.searched_knowledge
    form.suggestions.list.setCurrentRow(0)
    assert "power saving" in form.suggestions.fix.text()
    form.suggestions.solved_button.click()
    assert form.chosen_label.isVisible()
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000) as shown:
        form.save()
    settle(qtbot, worker)
    ticket = ticket_by_number(shown.args[0]["number"])
    assert SEARCHED_KNOWN_ERRORS in ticked_items(ticket)
    assert KnowledgeUse.get().ticket_id == ticket.id
    assert window.commands.offered[ticket.id][0] == "Turn off the adapter's power saving."


def test_a_suggestion_click_fills_the_resolution(qtbot, worker, window, session):
    old = log_ticket(session, new_ticket(summary="Printer spooler hangs")).number
    workflow.resolve(session, old, "permanent", "solved", "Restarted the spooler service")
    number = log_ticket(session, new_ticket(summary="Printer spooler hangs again")).number
    view = _open_suggestions(qtbot, worker, window, number)
    assert [h.label for h in view.suggestions.hits] == [old]
    # shown with results: "Searched known errors" is ticked, and not clickable by hand
    assert SEARCHED_KNOWN_ERRORS in ticked_items(ticket_by_number(number))
    view.suggestions.list.setCurrentRow(0)
    with qtbot.waitSignal(window.commands.dialog_opened, timeout=10_000) as opened:
        view.suggestions.solved_button.click()
    dialog = opened.args[0]
    assert dialog.inputs["notes"].toPlainText() == "Restarted the spooler service"
    assert KnowledgeUse.get().kind == "ticket"
    dialog.reject()


def test_searched_known_errors_cannot_be_ticked_by_hand(qtbot, worker, window, session):
    number = log_ticket(session, new_ticket()).number
    window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    box = window.view.checklists.ticks[SEARCHED_KNOWN_ERRORS]
    assert not box.isEnabled() and "suggestions" in box.toolTip()


def test_opening_suggestions_that_find_nothing_still_ticks_the_search(qtbot, worker, window,
                                                                      session):
    number = log_ticket(session, new_ticket(summary="Quantum flux capacitor misaligned")).number
    view = _open_suggestions(qtbot, worker, window, number)
    assert view.suggestions.hits == []
    assert SEARCHED_KNOWN_ERRORS in ticked_items(ticket_by_number(number))
