"""The catalogue in the desktop client: completion of services and CIs in the logging
form (a chosen CI fills the service), a CI's page opened from the ticket's details
(its history, a double-click opens the ticket), the editor's staged save, and the
models under qtmodeltester."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desk_app.services import catalogue
from desk_app.services.intake import log_ticket
from desk_app.storage.models import ConfigurationItem, Service
from desk_app.ui.admin.catalogue_model import StagedCatalogueModel
from desk_app.ui.catalogue_models import CatalogueNamesModel, TicketHistoryModel
from desk_app.ui.catalogue_page import open_catalogue_page
from tests.conftest import new_ticket
from tests.ui.conftest import settle


@pytest.fixture
def stocked(session):
    catalogue.add_entry(session, "service", {"name": "Email", "criticality": "high"})
    catalogue.add_entry(session, "ci", {"name": "MAIL-01", "type": "server",
                                        "service": "Email", "location": "DC1"})
    catalogue.add_entry(session, "ci", {"name": "MAILGW-2", "service": "Email"})
    first = log_ticket(session, new_ticket(summary="Mail slow", ci="MAIL-01", service=""))
    second = log_ticket(session, new_ticket(summary="Mail down", ci="MAIL-01", service=""))
    return first, second


def test_the_logging_form_completes_cis_and_a_chosen_ci_fills_the_service(
        qtbot, worker, window, stocked):
    form = window.open_logging_form()
    qtbot.addWidget(form)
    settle(qtbot, worker)
    ci, service = form.inputs["ci"], form.inputs["service"]
    completer = ci.completer()
    assert completer is not None and service.completer() is not None
    completer.setCompletionPrefix("mail")
    shown = [completer.completionModel().index(row, 0).data()
             for row in range(completer.completionModel().rowCount())]
    assert shown == ["MAIL-01", "MAILGW-2"]  # case-insensitive, as typed
    service.setText("")
    with qtbot.waitSignal(form.related_shown, timeout=5_000) as related:
        completer.activated[str].emit("MAIL-01")
        ci.setText("MAIL-01")
    assert service.text() == "Email"
    assert {row["number"] for row in related.args[0]} >= {stocked[0].number}
    assert related.args[0][0]["why"] == "same CI"
    service_completer = service.completer()
    service_completer.setCompletionPrefix("em")
    assert service_completer.completionModel().index(0, 0).data() == "Email"


def test_the_ci_page_shows_the_history_and_a_double_click_opens_the_ticket(
        qtbot, worker, window, stocked):
    first, second = stocked
    window.show_ticket(first.id)
    settle(qtbot, worker)
    button = window.view.details.findChild(type(window.view.details.save_details),
                                           "open_ci_page")
    with qtbot.waitSignal(window.catalogue_page_opened) as opened:
        button.click()
    page = opened.args[0]
    qtbot.addWidget(page)
    settle(qtbot, worker)
    assert page.model.rowCount() == 2
    assert page.model.index(0, 0).data() == second.number  # newest first
    assert page.model.index(0, 3).data().startswith("●")  # open, marked
    assert page.counts.text() == "2 incident(s) · 2 open"
    assert page.related_button.text().startswith("Service: Email")
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000) as shown:
        page.table.doubleClicked.emit(page.model.index(1, 0))
    assert shown.args[0]["number"] == first.number


def test_the_catalogue_editor_stages_and_saves_in_one_go(qtbot, worker, window, stocked):
    editor = window.open_catalogue_editor()
    qtbot.addWidget(editor)
    settle(qtbot, worker)
    services = editor.services
    services.add()
    services.inputs["name"].setText("Printing")
    services.inputs["name"].textEdited.emit("Printing")
    services.inputs["major_priorities"].textEdited.emit("P1,P2")
    cis = editor.cis
    cis.select(cis.model.row_named("MAIL-01"))
    cis.inputs["location"].textEdited.emit("DC2")
    assert editor.note.text() == "2 unsaved changes"
    assert Service.select().count() == 1  # staged only
    with qtbot.waitSignal(editor.summary_shown, timeout=5_000) as asked:
        editor.save()
    box = asked.args[0]
    assert any("Add service Printing" in line for line in box.lines)
    with qtbot.waitSignal(editor.saved, timeout=5_000):
        box.accept()
    settle(qtbot, worker)
    assert Service.get(Service.name == "Printing").major_priorities == "P1,P2"
    assert ConfigurationItem.get(ConfigurationItem.name == "MAIL-01").location == "DC2"


def test_a_refused_staged_change_is_marked_and_nothing_is_saved(qtbot, worker, window,
                                                                stocked):
    editor = window.open_catalogue_editor()
    qtbot.addWidget(editor)
    settle(qtbot, worker)
    cis = editor.cis
    cis.select(cis.model.row_named("MAIL-01"))
    cis.inputs["location"].textEdited.emit("DC9")
    cis.add()
    cis.inputs["name"].textEdited.emit("PC-1")
    cis.inputs["service"].textEdited.emit("Payroll")
    editor.save()
    settle(qtbot, worker)
    assert editor.error.isVisible() and "Payroll" in editor.error.text()
    assert cis.inputs["service"].property("invalid") is True
    assert ConfigurationItem.get(ConfigurationItem.name == "MAIL-01").location == "DC1"


def test_models_pass_qtmodeltester(qtmodeltester, qtbot):
    names = CatalogueNamesModel()
    names.set_rows([("MAIL-01", "Email"), ("PC-1", None)])
    qtmodeltester.check(names)
    assert names.service_of("mail-01") == "Email"
    history = TicketHistoryModel()
    history.set_rows([{"id": "1", "number": "INC-000001", "status": "in_progress",
                       "priority": "P2", "summary": "Down", "open": True,
                       "logged_at": datetime(2026, 1, 1, tzinfo=UTC)},
                      {"id": "2", "number": "INC-000002", "status": "closed",
                       "priority": "P4", "summary": "Slow", "open": False,
                       "logged_at": datetime(2026, 1, 2, tzinfo=UTC)}])
    qtmodeltester.check(history)
    assert history.index(1, 3).data() == "Closed"
    assert history.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    staged = StagedCatalogueModel("ci")
    staged.load([{"id": "x", "name": "PC-1", "type": "", "serial": "", "location": "",
                  "owner": "", "service": None, "notes": "", "retired": 0}])
    staged.add_row()
    staged.set_value(0, "location", "Room 4")
    qtmodeltester.check(staged)
    assert [e.action for e in staged.staged()] == ["edit", "add"]


def test_administration_sets_the_unknown_value_policy(qtbot, worker, window, session):
    dialog = window.open_admin()
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    assert dialog.pending() == []  # nothing staged on opening
    page = next(p for p in dialog.pages if "catalogue" in p.owns)
    page.unknown_values.setCurrentIndex(page.unknown_values.findData("refuse"))
    assert len(dialog.pending()) == 1
    with qtbot.waitSignal(dialog.summary_shown, timeout=5_000) as asked:
        dialog.save()
    with qtbot.waitSignal(dialog.saved, timeout=5_000):
        asked.args[0].accept()
    settle(qtbot, worker)
    assert session.policy.catalogue_unknown_values == "refuse"


def test_the_ci_page_shows_stored_markup_as_typed(qtbot, worker, window, session):
    markup = "<b>Rack</b> <img src='file:///etc/hostname'>"
    catalogue.add_entry(session, "service", {"name": "Email", "notes": markup})
    catalogue.add_entry(session, "ci", {"name": "MAIL-01", "service": "Email",
                                        "location": markup, "owner": markup,
                                        "type": markup})
    first = log_ticket(session, new_ticket(summary="Mail slow", ci="MAIL-01", service=""))
    window.show_ticket(first.id)
    settle(qtbot, worker)
    button = window.view.details.findChild(type(window.view.details.save_details),
                                           "open_ci_page")
    with qtbot.waitSignal(window.catalogue_page_opened) as opened:
        button.click()
    page = opened.args[0]
    qtbot.addWidget(page)
    settle(qtbot, worker)
    service_page = open_catalogue_page(window, window.worker, window.session, "service",
                                       "Email", lambda _ticket_id: None)
    qtbot.addWidget(service_page)
    settle(qtbot, worker)
    shown = [label for p in (page, service_page) for label in p.findChildren(QLabel)
             if "<img" in label.text()]
    assert len(shown) >= 3
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
