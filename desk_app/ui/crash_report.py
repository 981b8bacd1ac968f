"""An unexpected error in the desktop client: logged with its traceback, every open
form's typing kept as a draft, and a dialog that says what happened, offers the report
to copy, and lets the person carry on (the app does not close; the form stays open).

Refusals (a person's mistake) never come here: screens show them on the field."""

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app import __version__, logs, paths
from desk_app.ui.drafts import save_open_drafts

log = logging.getLogger(__name__)


def crash_report(kind: type[BaseException], error: BaseException,
                 trace: TracebackType | None, where: str) -> str:
    """The text a person copies for whoever supports them (secrets masked)."""
    lines = [
        f"desk-app {__version__} ({'bundle' if paths.is_frozen() else 'source'}) "
        f"unexpected error in the {where}",
        f"when: {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}",
        f"system: {platform.system()} {platform.release()} ({platform.machine()}), "
        f"Python {platform.python_version()}, PySide6 {pyside_version}",
        f"log: {logs.log_file()}",
        "",
        *traceback.format_exception(kind, error, trace),
    ]
    return logs.redact("\n".join(line.rstrip("\n") for line in lines))


class CrashDialog(QDialog):
    """What happened, that the work is safe, the report (copy it), the log folder."""

    def __init__(self, parent: QWidget | None, summary: str, report: str,
                 drafts_kept: int) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle("desk-app ran into a problem")
        self.report = report
        layout = QVBoxLayout(self)
        kept = (f"What you were typing in {drafts_kept} open form"
                f"{'s' if drafts_kept != 1 else ''} is kept: the form stays open, and comes "
                "back filled in if desk-app is closed. " if drafts_kept else "")
        self.message = QLabel(
            f"<b>Something went wrong that desk-app did not expect.</b><br>{summary}<br><br>"
            f"{kept}Everything already saved is safe. You can carry on; if it happens again, "
            "copy the report and send it to whoever supports desk-app for you.")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit(report)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setObjectName("copy_report")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button = QPushButton("Open &log folder")
        self.log_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs.log_dir()))))
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def copy_report(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("Copied")


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook`` while the client
    runs; errors from other threads are shown on the GUI thread."""

    shown = Signal(object)  # the CrashDialog
    _from_thread = Signal(object, object, object, str)

    def __init__(self) -> None:
        super().__init__()
        self._from_thread.connect(self.handle, Qt.ConnectionType.QueuedConnection)
        self.dialog: CrashDialog | None = None
        self.count = 0
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> "CrashHandler":
        sys.excepthook = self._gui_hook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _gui_hook(self, kind: type[BaseException], error: BaseException,
                  trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, error, trace)
            return
        self.handle(kind, error, trace, "window")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        where = f"background thread {args.thread.name if args.thread else '?'}"
        self._from_thread.emit(args.exc_type, args.exc_value, args.exc_traceback, where)

    def handle(self, kind: type[BaseException], error: BaseException,
               trace: TracebackType | None, where: str) -> None:
        """Log it, keep the open forms' typing, and show (or add to) the dialog."""
        self.count += 1
        log.error("unexpected error in the %s", where, exc_info=(kind, error, trace))
        try:
            kept = save_open_drafts()
        except Exception:  # keeping drafts must not stop the report
            log.exception("could not keep the open forms' drafts")
            kept = 0
        report = crash_report(kind, error, trace, where)
        summary = logs.redact(f"{kind.__name__}: {error}")
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.report += "\n\n" + report
            self.dialog.details.setPlainText(self.dialog.report)
            return
        # top-level, not parented: the window that failed may be in a bad state
        self.dialog = CrashDialog(None, summary, report, kept)
        self.dialog.show()
        self.dialog.raise_()
        self.shown.emit(self.dialog)
