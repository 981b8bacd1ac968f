"""Import, export and demo data from the File menu: progress, cancel, nothing half done."""

import json

from PySide6.QtWidgets import QMessageBox, QPushButton

from desk_app.services.demo import write_demo_tickets
from desk_app.services.queues import TicketFilter, listing_count
from tests.ui.conftest import settle


def _quiet(monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)


def test_demo_data_shows_progress_and_cancel_rolls_everything_back(qtbot, worker, window,
                                                                   session, monkeypatch):
    _quiet(monkeypatch)
    with qtbot.waitSignal(window.long_work.started) as started:
        job = window.long_work.demo(100_000)
    dialog = started.args[0]
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=20_000)
    assert dialog.maximum() == 100_000
    dialog.findChild(QPushButton).click()  # the Cancel button
    settle(qtbot, worker, timeout=60_000)
    assert job.cancelled
    assert listing_count(session, TicketFilter()) == 0  # nothing of it stayed


def test_export_then_import_round_trip(qtbot, worker, window, session, tmp_path, monkeypatch):
    _quiet(monkeypatch)
    write_demo_tickets(session, 50)
    target = tmp_path / "out.json"
    with qtbot.waitSignal(window.long_work.finished, timeout=20_000):
        window.long_work.export_file(str(target))
    assert len(json.loads(target.read_text())["tickets"]) == 50
    assert not list(tmp_path.glob("*.partial"))  # no scratch file of any name left
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "desk-app", "tickets": [{"number": "X"}]}', encoding="utf-8")
    errors = []
    monkeypatch.setattr("desk_app.ui.long_work.show_error",
                        lambda parent, title, error: errors.append(error))
    window.long_work.import_file(str(bad))
    settle(qtbot, worker)
    assert errors and listing_count(session, TicketFilter()) == 50  # refused whole


def test_an_import_says_its_warnings(qtbot, worker, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    source = tmp_path / "list.csv"
    source.write_text("number,short_description,state,opened_at,u_custom\n"
                      "INC0010001,Printer,New,2024-01-02 10:00:00,x\n", encoding="utf-8")
    with qtbot.waitSignal(window.long_work.finished, timeout=20_000):
        window.long_work.import_file(str(source))
    settle(qtbot, worker)
    assert shown and shown[0].startswith("Imported 1 tickets (0 skipped).")
    assert "\nColumn(s) not imported: u_custom." in shown[0]
    assert "\nTimes without a time zone were read in the desk's time zone" in shown[0]


def test_an_import_message_names_the_knowledge_articles_it_brought():
    from desk_app.services.transfer.importer import ImportResult
    from desk_app.ui.long_work import import_message

    assert import_message(ImportResult(imported=3, articles=2)) == (
        "Imported 3 tickets (0 skipped) and 2 knowledge articles.")
    assert import_message(ImportResult(imported=3)) == "Imported 3 tickets (0 skipped)."
