"""The desktop half of ``desk-app selftest``: start the real client on a throwaway desk,
wait for its first painted main window, then run the service checks on the client's
own database thread (as every screen does) and report each outcome."""

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desk_app.services import selftest
from desk_app.services.selftest import Outcome
from desk_app.ui.application import DesktopClient, OpenDesk, qt_application
from desk_app.ui.worker import DatabaseWorker

TIMEOUT_S = 60.0


class _Failed(Exception):
    pass


def _wait(app: QApplication, done: Callable[[], bool], what: str,
          timeout_s: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise _Failed(f"gave up waiting after {timeout_s:.0f} s for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _on_worker(app: QApplication, worker: DatabaseWorker, work: Callable[[], Any],
               what: str) -> Any:
    """Run ``work`` on the database thread and wait for its result (or its error)."""
    box: dict[str, Any] = {}
    worker.submit(work, lambda result: box.setdefault("result", result),
                  lambda error: box.setdefault("error", error))
    _wait(app, lambda: bool(box), what)
    if "error" in box:
        error = box["error"]
        raise _Failed(str(error) if isinstance(error, selftest.SelfTestFailed)
                      else f"{type(error).__name__}: {error}")
    return box["result"]


class _Run:
    """Collects outcomes; a failed step stops the steps that depend on it."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []

    def step(self, name: str, action: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            detail, ok = action(), True
        except Exception as error:  # every failure is reported, never raised past here
            detail, ok = (str(error) if isinstance(error, _Failed)
                          else f"{type(error).__name__}: {error}"), False
        self.outcomes.append(Outcome(name, ok, detail, time.perf_counter() - started))
        return ok


def run_window_selftest(open_desk: Callable[[], OpenDesk], icon_path: str) -> list[Outcome]:
    """Open the main window on the desk ``open_desk`` makes, take a ticket through its
    life through the services, read it back, and close; returns every outcome."""
    app = qt_application(icon_path)
    run = _Run()

    def icon() -> str:
        pixmap = QIcon(icon_path).pixmap(64, 64)
        if pixmap.isNull():
            raise _Failed(f"the icon {icon_path} did not render (SVG image plugin missing?)")
        return f"{icon_path} renders ({app.platformName()} platform)"

    run.step("application icon", icon)
    client = DesktopClient(open_desk, interactive=False)
    try:
        def window() -> str:
            _wait(app, lambda: client.first_paint_seconds is not None or client.error
                  is not None, "the first painted main window")
            if client.error is not None:
                raise _Failed(f"the desk did not open: {client.error}")
            assert client.window is not None
            if not client.window.isVisible():
                raise _Failed("the main window is not visible")
            return (f"{client.window.windowTitle()!r} painted "
                    f"{client.first_paint_seconds * 1000:.0f} ms after the client started")

        if not run.step("main window", window):
            return run.outcomes
        assert client.desk is not None
        session = client.desk.session
        numbers: list[str] = []

        def lifecycle() -> str:
            numbers.append(_on_worker(app, client.worker,
                                      lambda: selftest.ticket_lifecycle(session),
                                      "the ticket's life"))
            return f"{numbers[0]} logged, assigned, worked, resolved, confirmed, closed"

        if run.step("ticket lifecycle", lifecycle):
            run.step("read back", lambda: _on_worker(
                app, client.worker, lambda: selftest.read_back(session, numbers[0]),
                "reading the ticket back"))
        for check in selftest.CHECKS:
            run.step(check.name, lambda check=check: _on_worker(
                app, client.worker, lambda: check.run(session), check.name))
    finally:
        client.shutdown()
    return run.outcomes
