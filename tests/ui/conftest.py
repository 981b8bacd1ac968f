"""Fixtures for the desktop client's tests: the database worker and a way to wait for it."""

import pytest

from desk_app.storage.database import close_database
from desk_app.ui.worker import BackgroundWorker


@pytest.fixture
def worker(qtbot, desk):
    running = BackgroundWorker()
    yield running
    running.stop(close_database)  # the worker thread's own connection


def settle(qtbot, worker, timeout: int = 10_000) -> None:
    """Wait until every queued database job ran and its result was delivered."""
    qtbot.waitUntil(lambda: worker.idle, timeout=timeout)


@pytest.fixture
def window(qtbot, worker, session, tmp_path):
    """The main window on the test desk, started and settled."""
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.window_state import WindowState

    main = MainWindow(worker, session, WindowState(tmp_path / "state.json"))
    main.leave_question = lambda *_args: "discard"  # no modal question; tests answer
    qtbot.addWidget(main)
    main.show()
    main.start()
    settle(qtbot, worker)
    yield main
    main.stop_timers()  # the sync thread too


def open_dialog(qtbot, worker, window, action: str):
    """Start a ticket action from the ticket view's action row and return its dialog."""
    assert window.view.ticket_actions[action].isVisible(), f"{action} is not offered"
    with qtbot.waitSignal(window.commands.dialog_opened) as opened:
        window.view.ticket_actions[action].trigger()
    return opened.args[0]


def submit(qtbot, worker, dialog, **values) -> None:
    """Fill a form dialog and press OK; waits for the work to finish."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QPlainTextEdit, QSpinBox

    for name, value in values.items():
        widget = dialog.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and widget.isEditable():
                widget.setEditText(value)
            else:
                assert index >= 0, f"{value!r} is not a choice of {name}"
                widget.setCurrentIndex(index)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value)
        elif isinstance(widget, QSpinBox):
            widget.setValue(value)
        else:
            widget.setText(value)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(qtbot, worker)
