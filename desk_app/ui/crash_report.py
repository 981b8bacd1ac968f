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
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal

from desk_app import __version__, logs, paths
from desk_app.ui.drafts import save_open_drafts

if TYPE_CHECKING:
    from desk_app.ui.crash_dialog import CrashDialog

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


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook`` while the client
    runs; errors from other threads are shown on the GUI thread."""

    shown = Signal(object)  # the CrashDialog (ui/crash_dialog.py)
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
        from desk_app.ui.crash_dialog import CrashDialog  # the first error's: not at start

        # top-level, not parented: the window that failed may be in a bad state
        self.dialog = CrashDialog(None, summary, report, kept)
        self.dialog.show()
        self.dialog.raise_()
        self.shown.emit(self.dialog)
