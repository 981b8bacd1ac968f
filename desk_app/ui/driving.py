"""Driving the client without a person at it (screenshots, the self-test, benchmarks):
wait for the screen, run work on the database thread and wait for its result."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

from desk_app.ui.worker import BackgroundWorker


def wait_until(condition: Callable[[], bool], timeout_ms: int = 30_000,
               what: str = "the screen to get ready") -> None:
    """Process events until ``condition()`` holds; TimeoutError naming ``what`` if it
    does not in time."""
    deadline = QDeadlineTimer(timeout_ms)
    loop = QEventLoop()
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError(f"gave up after {timeout_ms / 1000:.0f} s waiting for {what}")
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def run_on_worker(worker: BackgroundWorker, work: Callable[[], Any],
                  what: str = "the database work") -> Any:
    """Run ``work`` on the database thread and wait for its result (its error is raised
    here)."""
    box: dict[str, Any] = {}
    worker.submit(work, lambda result: box.setdefault("result", result),
                  lambda error: box.setdefault("error", error))
    wait_until(lambda: bool(box), 60_000, what)
    if "error" in box:
        raise box["error"]
    return box["result"]
