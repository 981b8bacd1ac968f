"""Child incidents from the logging form (offered when the new ticket's service or CI
matches a running major incident; nothing forced) and from a queue (many selected
tickets attached at once)."""

from datetime import datetime

from PySide6.QtCore import QDateTime, QItemSelectionModel

from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.major_board import major_board
from desk_app.storage.models import Ticket
from tests.conftest import new_ticket
from tests.ui.conftest import settle, submit
from tests.ui.majors import running_major


def _form(qtbot, worker, window, **typed):
    form = window.open_logging_form()
    qtbot.addWidget(form)
    settle(qtbot, worker)
    values = {"summary": "Cannot open shared mailbox", "reporter": "Eve Long",
              "contact": "eve@example.com", "service": "Remote access",
              "description": "Since nine"} | typed
    for name, text in values.items():
        widget = form.inputs[name]
        (widget.setPlainText if name == "description" else widget.setText)(text)
    form.inputs["channel"].setCurrentIndex(form.inputs["channel"].findData("phone"))
    form.inputs["detected_at"].setDateTime(QDateTime(datetime(2026, 11, 23, 8, 30)))
    form.inputs["category"].setCurrentIndex(form.inputs["category"].findData("Email"))
    form.inputs["subcategory"].setCurrentIndex(form.inputs["subcategory"].findData("Mailbox"))
    return form


def _offered(qtbot, worker, form):
    """Wait until the form asked for matching majors after the typing (and got them)."""
    with qtbot.waitSignal(form.related_shown, timeout=5_000):
        pass  # asked together with the related tickets, after the same pause
    settle(qtbot, worker)


def _saved(qtbot, worker, window, form) -> str:
    with qtbot.waitSignal(form.logged, timeout=10_000) as logged:
        form.save()
    settle(qtbot, worker)
    return logged.args[0]


def test_logging_a_ticket_on_the_major_service_offers_to_attach_it(qtbot, worker, window,
                                                                   session):
    major = running_major(session)
    form = _form(qtbot, worker, window)
    _offered(qtbot, worker, form)
    assert form.attach_offer.isHidden()  # another service: nothing offered
    form.inputs["service"].setText("email")  # the major's service, any case
    qtbot.waitUntil(lambda: not form.attach_offer.isHidden(), timeout=5_000)
    assert f"Attach to major incident {major.number}" in form.attach_offer.check.text()
    assert not form.attach_offer.check.isChecked()  # offered, not forced
    assert form.minimumSizeHint().width() <= 980  # a long summary does not widen the form
    form.attach_offer.check.setChecked(True)
    ticket_id = _saved(qtbot, worker, window, form)
    children = [c.number for c in major_board(session, major.number).children]
    new_number = next(c for c in children if c != major.child)
    assert ticket_by_number(new_number).id == ticket_id


def test_the_ci_alone_is_enough_and_an_unticked_offer_attaches_nothing(qtbot, worker,
                                                                       window, session):
    major = running_major(session)
    form = _form(qtbot, worker, window, service="Telephony", ci="exch-01")
    qtbot.waitUntil(lambda: not form.attach_offer.isHidden(), timeout=5_000)
    _saved(qtbot, worker, window, form)
    assert [c.number for c in major_board(session, major.number).children] == [major.child]


def test_many_tickets_selected_in_a_queue_are_attached_at_once(qtbot, worker, window,
                                                               session):
    major = running_major(session)
    numbers = [log_ticket(session, new_ticket(summary=f"Mail bounce {i}")).number
               for i in range(2)]
    window.queues.select("all_open")
    window.refresh()
    settle(qtbot, worker)
    rows = [r for r in range(window.model.rowCount())
            if window.model.row_at(r).number in numbers]
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(window.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(window.selected_numbers()) == sorted(numbers)
    assert window.attach_major_action in window.table.actions()
    dialog = window.attach_selected_to_major()
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    assert dialog.inputs["major"].findData(major.number) >= 0
    submit(qtbot, worker, dialog, major=major.number)
    assert not dialog.isVisible()
    children = {c.number for c in major_board(session, major.number).children}
    assert children == {major.child, *numbers}


def test_attaching_a_ticket_that_cannot_be_a_child_names_it_and_attaches_none(
        qtbot, worker, window, session):
    major = running_major(session)
    fresh = log_ticket(session, new_ticket(summary="Mail bounce")).number
    window.refresh()
    settle(qtbot, worker)
    selection = window.table.selectionModel()
    for row in range(window.model.rowCount()):
        if window.model.row_at(row).number in (fresh, major.number):
            selection.select(window.model.index(row, 0),
                             QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
    dialog = window.attach_selected_to_major()
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    submit(qtbot, worker, dialog, major=major.number)
    assert dialog.isVisible() and major.number in dialog.error.text()
    assert dialog.inputs["child"].property("invalid")
    assert [c.number for c in major_board(session, major.number).children] == [major.child]
    dialog.reject()


def test_attaching_with_nothing_selected_says_what_to_do(qtbot, worker, window, session):
    from PySide6.QtWidgets import QMessageBox

    running_major(session)
    window.refresh()
    settle(qtbot, worker)
    window.table.selectionModel().clearSelection()
    assert window.attach_selected_to_major() is None
    box = window.findChild(QMessageBox, "error_box")
    assert box is not None and "select the tickets" in box.text()
    box.close()


def test_a_refused_attachment_keeps_the_ticket_logged_and_says_why(qtbot, worker, window,
                                                                   session):
    from PySide6.QtWidgets import QMessageBox

    from desk_app.services.major_incidents import stand_down

    major = running_major(session)
    form = _form(qtbot, worker, window, service="Email")
    qtbot.waitUntil(lambda: not form.attach_offer.isHidden(), timeout=5_000)
    form.attach_offer.check.setChecked(True)
    stand_down(session, major.number, "False alarm")  # meanwhile, on another desk
    ticket_id = _saved(qtbot, worker, window, form)
    assert not form.isVisible()  # logged: the form is done
    box = window.findChild(QMessageBox, "error_box")
    assert box is not None and major.number in box.text()
    assert Ticket.get_by_id(ticket_id).parent_id is None
    box.close()
