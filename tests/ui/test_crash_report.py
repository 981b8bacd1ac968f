"""An unexpected error: the dialog says what happened, the report can be copied, the
form being typed stays open and its typing survives even the app dying."""

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desk_app import logs
from desk_app.ui.crash_report import CrashHandler
from desk_app.ui.drafts import DraftStore
from tests.ui.conftest import settle
from tests.ui.test_incident_flow import _fill, _open_form


@pytest.fixture
def crashes():
    handler = CrashHandler().install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_dialog_and_keeps_the_form(qtbot, worker, window,
                                                                 crashes, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path / "logs"))
    logs.configure_logging(console=False)
    form = _open_form(qtbot, worker, window)
    _fill(form, summary="Scanner on floor 2 offline", description="Lights blink red")

    def broken_slot():
        raise RuntimeError("model index out of range (password=hunter2)")

    with qtbot.waitSignal(crashes.shown, timeout=5_000) as shown:
        QTimer.singleShot(0, broken_slot)
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and "RuntimeError: model index out of range" in dialog.message.text()
    assert "1 open form" in dialog.message.text()
    # the form is still open with everything typed, and kept on disk
    assert form.isVisible() and form.inputs["summary"].text() == "Scanner on floor 2 offline"
    kept = DraftStore().load(form.DRAFT)
    assert kept is not None and kept[0]["description"] == "Lights blink red"
    # the report: where, what version, the traceback, no secret
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied == dialog.report and "desk-app 0.1.0" in copied
    assert "broken_slot" in copied and "Traceback" in copied
    assert "hunter2" not in copied and "password=***" in copied
    assert dialog.copy_button.text() == "Copied"
    logged = logs.log_file().read_text()
    assert "unexpected error in the window" in logged and "broken_slot" in logged
    logs.configure_logging(console=False)
    # the app carries on: the form still saves
    _fill(form)
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000):
        form.save()
    settle(qtbot, worker)
    assert DraftStore().load(form.DRAFT) is None


@pytest.mark.qt_no_exception_capture
def test_errors_from_another_thread_reach_the_same_dialog(qtbot, crashes):
    import threading

    def boom():
        raise ValueError("sync thread fell over")

    with qtbot.waitSignal(crashes.shown, timeout=5_000) as shown:
        thread = threading.Thread(target=boom, name="desk-sync")
        thread.start()
        thread.join()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    assert "ValueError: sync thread fell over" in dialog.message.text()
    assert "background thread desk-sync" in dialog.report
    crashes.handle(KeyError, KeyError("second"), None, "window")  # a second one adds to it
    assert crashes.count == 2 and "KeyError" in dialog.details.toPlainText()


def test_the_hooks_are_put_back(crashes):
    assert sys.excepthook == crashes._gui_hook
    crashes.uninstall()
    assert sys.excepthook != crashes._gui_hook
    crashes.install()
