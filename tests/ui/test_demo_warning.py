"""The team database settings warn before a desk's demo tickets would go to the team:
remove them, send them (an explicit button), or do not connect (nothing changes)."""

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desk_app.services import team_sync as service
from desk_app.services.demo import write_demo_tickets
from desk_app.storage.demo_rows import demo_ticket_count
from tests.ui.conftest import settle, submit

UNREACHABLE = dict(host="127.0.0.1", port="1", database="desk", user="kim", sslmode="disable")


def _on_database(qtbot, worker, fn):
    found = []
    worker.submit(fn, found.append)
    settle(qtbot, worker)
    return found[0]


@pytest.fixture
def opened_boxes(monkeypatch):
    """Every message box opened, in order (still opened for real)."""
    boxes = []
    original = QMessageBox.open

    def record(box):
        boxes.append(box)
        original(box)

    monkeypatch.setattr(QMessageBox, "open", record)
    return boxes


def _ask(qtbot, worker, window, session, opened_boxes):
    _on_database(qtbot, worker, lambda: write_demo_tickets(session, 30))
    window.team_sync._every.stop()
    dialog = window.team_sync.edit_settings()
    submit(qtbot, window.team_sync.worker, dialog, **UNREACHABLE)
    qtbot.waitUntil(lambda: any(b.objectName() == "demo_tickets_warning"
                                for b in opened_boxes), timeout=10_000)
    box = next(b for b in opened_boxes if b.objectName() == "demo_tickets_warning")
    return dialog, box


@pytest.mark.parametrize(("button", "left", "connected"), [
    ("remove_demo", 0, True), ("include_demo", 30, True), ("cancel_demo", 30, False)])
def test_connecting_with_demo_tickets_asks_first(qtbot, worker, window, session, opened_boxes,
                                                 button, left, connected):
    dialog, box = _ask(qtbot, worker, window, session, opened_boxes)
    assert "30 demo tickets" in box.text() and "every colleague" in box.text()
    assert _on_database(qtbot, worker, service.remote_settings) is None  # not yet
    assert box.defaultButton().objectName() == "remove_demo"
    assert box.findChild(QPushButton, "include_demo").text() == \
        "Send the 30 demo tickets to the team"

    box.findChild(QPushButton, button).click()
    if connected:
        qtbot.waitUntil(lambda: any(b.objectName() == "team_database_test"
                                    for b in opened_boxes), timeout=20_000)
    else:
        qtbot.waitUntil(lambda: "not connected" in dialog.error.text(), timeout=5_000)
    settle(qtbot, window.team_sync.worker)
    settle(qtbot, worker)
    remote = _on_database(qtbot, worker, service.remote_settings)
    assert (remote is not None) == connected
    assert _on_database(qtbot, worker, demo_ticket_count) == left
    if not connected:
        assert dialog.isVisible() and dialog.buttons.isEnabled()


def test_a_desk_without_demo_tickets_connects_without_asking(qtbot, worker, window,
                                                            opened_boxes):
    window.team_sync._every.stop()
    dialog = window.team_sync.edit_settings()
    submit(qtbot, window.team_sync.worker, dialog, **UNREACHABLE)
    qtbot.waitUntil(lambda: any(b.objectName() == "team_database_test"
                                for b in opened_boxes), timeout=20_000)
    assert not any(b.objectName() == "demo_tickets_warning" for b in opened_boxes)
