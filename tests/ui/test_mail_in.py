"""Incoming mail in the window: dropped .eml files and the mailbox poller."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.imap_server import PASSWORD, USER
from tests.ui.conftest import settle

MAIL = Path(__file__).parents[1] / "data" / "mail"


def _mime(*paths: Path) -> QMimeData:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return data


def test_dropping_eml_files_on_the_window_imports_them(qtbot, window, worker, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not mail")
    not_mail = _mime(other)  # an event does not own its data: keep it alive
    enter = QDragEnterEvent(QPointF(50, 50).toPoint(), Qt.DropAction.CopyAction,
                            not_mail, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()  # only mail files are taken
    data = _mime(MAIL / "alternative.eml", MAIL / "bounce.eml")
    enter = QDragEnterEvent(QPointF(50, 50).toPoint(), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.mail_drop.imported, timeout=10_000) as imported:
        QApplication.sendEvent(window, drop)
    assert [o.outcome for o in imported.args[0]] == ["new", "ignored"]
    assert window.statusBar().currentMessage() == "Mail: 1 new ticket, 1 ignored (automatic)"
    settle(qtbot, worker)
    window.queues.select("needs_triage")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)


def test_a_refused_file_among_dropped_ones_is_a_refusal_not_a_fault(qtbot, window,
                                                                     worker):
    from PySide6.QtWidgets import QMessageBox

    with qtbot.waitSignal(window.mail_drop.imported, timeout=10_000):
        window.mail_drop.import_files([MAIL / "alternative.eml", MAIL / "no_headers.eml"])
    box = window.findChild(QMessageBox, "error_box")
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text().startswith("mail: 1 of 2 file(s) not imported:")
    assert "no_headers.eml: refused: from: the message has no sender address" in box.text()
    assert "did not expect" not in box.text() and "Nothing was changed" not in box.text()
    box.close()


@pytest.fixture
def _keyring(memory_keyring):
    return memory_keyring


def test_the_poller_imports_on_its_own_thread(qtbot, worker, session, imap, _keyring,
                                              tmp_path):
    from desk_app.services.imap_settings import checked_settings, save_imap
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.window_state import WindowState

    save_imap(session, checked_settings({
        "host": "127.0.0.1", "port": imap.port, "login": USER, "security": "starttls",
        "ca_file": str(imap.ca_file), "poll_seconds": 30}), PASSWORD)
    imap.deliver((MAIL / "html_only.eml").read_bytes())
    main = MainWindow(worker, session, WindowState(tmp_path / "state.json"))
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.mail_poller.imported, timeout=20_000) as imported:
        main.start()
    try:
        assert [o.outcome for o in imported.args[0].outcomes] == ["new"]
        assert main.mail_poller.label.text().startswith("Mail: 1 new at ")
        assert imap.unread() == 0
    finally:
        main.stop_timers()


def test_a_desk_without_a_mailbox_shows_no_mail_state(qtbot, window, worker):
    settle(qtbot, worker)
    assert window.mail_poller.settings is None
    assert not window.mail_poller.label.isVisible()


def test_the_incoming_mail_dialog_saves_tests_and_restarts_polling(
        qtbot, worker, session, imap, _keyring, tmp_path):
    from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

    from desk_app.services.imap_settings import checked_settings, imap_settings, save_imap
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.window_state import WindowState
    from tests.ui.conftest import submit

    save_imap(session, checked_settings({
        "host": "127.0.0.1", "port": imap.port, "login": USER, "security": "starttls",
        "ca_file": str(imap.ca_file)}), "wrong")
    main = MainWindow(worker, session, WindowState(tmp_path / "state.json"))
    qtbot.addWidget(main)
    main.show()
    main.start()
    try:
        qtbot.waitUntil(lambda: main.mail_poller.label.text().startswith("Mail: not polled"),
                        timeout=20_000)
        assert "wrong login or password" in main.mail_poller.label.toolTip()
        dialog = main.mail_poller.edit_settings()
        assert dialog.inputs["password"].echoMode() == QLineEdit.EchoMode.Password
        assert dialog.inputs["host"].text() == "127.0.0.1"
        dialog.grab().save(str(tmp_path / "incoming-mail.png"))
        submit(qtbot, worker, dialog, poll_seconds="45", password=PASSWORD)
        qtbot.waitUntil(lambda: any(w.objectName() == "incoming_mail_test"
                                    for w in QApplication.topLevelWidgets()
                                    if w.isVisible()), timeout=20_000)
        box = next(w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "incoming_mail_test")
        assert isinstance(box, QMessageBox) and box.text().endswith(
            "reachable, 0 unread message(s)")
        assert imap_settings().poll_seconds == 45
        qtbot.waitUntil(lambda: main.mail_poller.label.text().startswith("Mail: checked"),
                        timeout=20_000)
    finally:
        main.stop_timers()
