"""Starting the desktop client: the Qt application, the database worker and the main
window, which paints its light start (ui/main_window.py) before the desk and the code
behind the window load; then the desk opens on the database thread and the window
fills in (and the first-run wizard opens on a new desk)."""

import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import desk_app
from desk_app.ui import look
from desk_app.ui.crash_report import CrashHandler
from desk_app.ui.main_window import MainWindow
from desk_app.ui.theme import STATE_KEY, theme_of
from desk_app.ui.window_state import WindowState
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services.session import Session
    from desk_app.ui.first_run_wizard import FirstRunWizard

# the desk opens after the first paint, or after this long if the window is not drawn
# (hidden on another desktop): the window fills in either way
OPEN_AT_THE_LATEST_MS = 2_000

log = logging.getLogger(__name__)


class OpenDesk(Protocol):
    """What the composition root hands over: an open desk."""

    session: "Session"
    first_run: bool
    database_path: Any

    def close(self) -> None: ...


_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.DEBUG,
              QtMsgType.QtWarningMsg: logging.INFO, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's own messages go to the log (its warnings are mostly platform chatter)."""
    logging.getLogger("desk_app.ui.qt").log(_QT_LEVELS.get(kind, logging.INFO), "%s", message)


def qt_application(icon_path: str | None = None) -> QApplication:
    """The one QApplication (created once), with the Fusion style and the body size of
    the type scale; the palette comes with the theme (``DesktopClient``)."""
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_qt_message)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("desk-app")
        app.setOrganizationName("desk-app")
        app.setStyle("Fusion")
        body = app.font()
        body.setPointSize(look.BODY_PT)
        app.setFont(body)
    if icon_path:
        app.setWindowIcon(QIcon(icon_path))
    return app  # type: ignore[return-value]


class DesktopClient:
    """Owns the worker, the desk and the main window for one run of the app.
    ``first_paint_seconds``: when the window first painted (its light start);
    ``ready_seconds``: when it showed the open desk (``on_ready`` is called then)."""

    def __init__(self, open_desk: Callable[[], OpenDesk], state: WindowState | None = None,
                 started: float | None = None, interactive: bool = True,
                 on_painted: Callable[[float], None] | None = None,
                 on_ready: Callable[[float], None] | None = None) -> None:
        self.started = started or time.perf_counter()
        self.on_painted = on_painted
        self.on_ready = on_ready
        # interactive: a person is there to answer first-run questions and error boxes
        self.interactive = interactive
        self.worker = BackgroundWorker()
        self.state = state if state is not None else WindowState()
        # light or dark before the window is built: nothing is drawn twice
        theme_of(QApplication.instance(), self.state.value(STATE_KEY, "system"))
        self.desk: OpenDesk | None = None
        self.first_paint_seconds: float | None = None
        self.ready_seconds: float | None = None
        self.error: Exception | None = None
        self.wizard: FirstRunWizard | None = None  # on a new desk
        self._open_desk: Callable[[], OpenDesk] | None = open_desk
        window = MainWindow(self.worker, None, self.state)  # its light start, no desk yet
        window.painted.connect(self._painted)
        self.window: MainWindow | None = window
        window.show()
        # the desk opens on the database thread once the window is on screen
        window.after_first_paint(self._start_opening)
        QTimer.singleShot(OPEN_AT_THE_LATEST_MS, self._start_opening)

    def _start_opening(self) -> None:
        open_desk, self._open_desk = self._open_desk, None
        if open_desk is not None:
            self.worker.submit(open_desk, self._opened, self._failed)

    def _opened(self, desk: OpenDesk) -> None:
        self.desk = desk
        window = self.window
        if window is None:  # closed while the desk was opening
            return
        window.database_path = str(desk.database_path)
        window.open_desk(desk.session)
        window.start()
        self.ready_seconds = time.perf_counter() - self.started
        if self.on_ready is not None:
            self.on_ready(self.ready_seconds)
        if desk.first_run and self.interactive:
            from desk_app.services.reference import desk_reference  # a new desk only

            session = desk.session
            self.worker.submit(lambda: desk_reference(session), self._open_wizard)

    def _open_wizard(self, reference: Any) -> None:
        assert self.window is not None and self.desk is not None
        window = self.window
        from desk_app.ui.first_run_wizard import FirstRunWizard  # a new desk only

        wizard = FirstRunWizard(window, self.worker, self.desk.session, reference)
        wizard.completed.connect(window.load_reference)
        wizard.completed.connect(window.refresh)
        wizard.completed.connect(lambda: window.team_sync.sync())
        self.wizard = wizard
        wizard.open()

    def _painted(self) -> None:
        self.first_paint_seconds = time.perf_counter() - self.started
        if self.on_painted is not None:
            self.on_painted(self.first_paint_seconds)

    def _failed(self, error: Exception) -> None:
        self.error = error
        log.error("could not open the desk: %s", error)
        if not self.interactive:
            return
        from PySide6.QtWidgets import QMessageBox

        from desk_app.ui.refusals import refusal_text

        QMessageBox.critical(None, "desk-app", "The desk could not be opened:\n"
                             + refusal_text(error))
        QApplication.instance().quit()

    def shutdown(self) -> None:
        """Save the layout, finish queued work and close the database on its thread."""
        if self.window is not None:
            if self.window.desk_open:
                self.window.save_layout()
                self.window.stop_timers()
            self.window.close()
            self.window.deleteLater()
        self.worker.stop(self.desk.close if self.desk else None)


def run_desktop(open_desk: Callable[[], OpenDesk], icon_path: str | None = None,
                quit_after_ms: int | None = None, exit_after_paint: bool = False) -> int:
    """Run the desktop client until its window closes; returns the exit code.
    ``exit_after_paint`` (start-up benchmarks) prints "first-paint <ms>" when the main
    window first painted and "window-ready <ms>" when it showed the open desk, and
    quits."""
    app = qt_application()
    crashes = CrashHandler().install()

    def painted(seconds: float) -> None:
        if exit_after_paint:
            print(f"first-paint {seconds * 1000:.0f}", flush=True)

    def ready(seconds: float) -> None:
        if exit_after_paint:
            print(f"window-ready {seconds * 1000:.0f}", flush=True)
            QTimer.singleShot(0, app.quit)

    client = DesktopClient(open_desk, started=desk_app.STARTED, on_painted=painted,
                           on_ready=ready)
    if icon_path and client.window is not None:  # Qt's SVG icon engine loads after it
        client.window.after_first_paint(lambda: app.setWindowIcon(QIcon(icon_path)))
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, app.quit)
    app.setQuitOnLastWindowClosed(True)
    try:
        code = app.exec()
        client.shutdown()
    finally:
        crashes.uninstall()
    return 1 if client.error else code
