"""A problem in the ticket view: it lists its incidents (and each incident names it),
its "Work the problem" form makes it a known error and then resolves it with a fix that
resolves its open incidents."""

from PySide6.QtWidgets import QLabel

from desk_app.services import links
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.ui.problem_facts import problem_facts
from tests.conftest import new_ticket
from tests.ui.conftest import open_dialog, settle, submit


def _show(qtbot, worker, window, number):
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    return window.view


def test_a_problem_lists_its_incidents_and_a_fix_resolves_them(qtbot, worker, window,
                                                                session):
    first = log_ticket(session, new_ticket()).number
    second = log_ticket(session, new_ticket(summary="VPN again")).number
    problem = links.raise_problem(session, first).number
    links.link_problem(session, second, problem)
    view = _show(qtbot, worker, window, problem)
    facts = view.details.facts.text()
    assert "Problem: <b>New</b>" in facts and f"{first} (New), {second} (New)" in facts
    dialog = open_dialog(qtbot, worker, window, "work_problem")
    submit(qtbot, worker, dialog, root_cause="Expired certificate",
           workaround="Use the web VPN", step="known_error")
    assert not dialog.isVisible()
    assert ticket_by_number(problem).problem_status == "known_error"
    assert "Workaround: Use the web VPN" in view.details.facts.text()
    dialog = open_dialog(qtbot, worker, window, "work_problem")
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("Resolve its 2 open incident(s)" in text for text in labels)
    submit(qtbot, worker, dialog, step="resolved", fix="Renewed the certificate")
    assert not dialog.isVisible()
    for number in (first, second):
        assert ticket_by_number(number).status == "resolved"
    incident = _show(qtbot, worker, window, first)
    assert f"Problem {problem}" in incident.details.facts.text()
    assert not incident.ticket_actions["work_problem"].isEnabled()


def test_a_known_error_without_a_workaround_is_refused_in_the_form(qtbot, worker, window,
                                                                   session):
    problem = links.raise_problem(session, log_ticket(session, new_ticket()).number).number
    _show(qtbot, worker, window, problem)
    dialog = open_dialog(qtbot, worker, window, "work_problem")
    submit(qtbot, worker, dialog, step="known_error")
    assert dialog.isVisible() and "workaround" in dialog.error.text()
    assert ticket_by_number(problem).problem_status == "new"


def test_problem_facts_escape_what_people_typed():
    facts = problem_facts({"problem_status": "known_error", "workaround": "<b>x</b>",
                           "incidents": [{"number": "INC-000001", "status": "new"}],
                           "problem_reason": "<script>y()</script>"})
    text = " ".join(facts)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<script>" not in text
